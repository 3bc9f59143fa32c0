using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;

namespace PushConsole.Devices;

/// <summary>A person as the app knows them (app-scoped <c>userId</c>), with the profile back-ends set and the consent the app reports.</summary>
public sealed class AppUser
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>The <c>userId</c> the app and its back-end use; unique per app.</summary>
    public required string ExternalId { get; set; }
    public string? Email { get; set; }
    /// <summary>Lower-invariant email, indexed for the lookup page.</summary>
    public string? NormalizedEmail { get; set; }
    public string? DisplayName { get; set; }
    public string? Language { get; set; }
    public string? TimeZone { get; set; }
    public DateTime? LastActiveAt { get; set; }
    /// <summary>Unknown until the app (or the console) reports it; then granted or denied. Gates non-transactional pushes.</summary>
    public ConsentState Consent { get; set; }
    public DateTime? ConsentAt { get; set; }
    public string? ConsentSource { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<UserAttribute> Attributes { get; set; } = [];
    public List<UserTag> Tags { get; set; } = [];
    public List<UserCategory> Categories { get; set; } = [];
}

/// <summary>
/// One attribute of a user (role, company, custom): always as text, and as a number too when it parses,
/// so segments compare either in portable SQL.
/// </summary>
public sealed class UserAttribute
{
    public long AppUserId { get; set; }
    public long AppId { get; set; }
    public required string Name { get; set; }
    public required string TextValue { get; set; }
    public double? NumberValue { get; set; }
}

public sealed class UserTag
{
    public long AppUserId { get; set; }
    public long AppId { get; set; }
    public required string Tag { get; set; }
}

/// <summary>A notification category the user opted in or out of (reminders, program_changes, marketing…).</summary>
public sealed class UserCategory
{
    public long AppUserId { get; set; }
    public required string Category { get; set; }
    public bool Enabled { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public const int MaxExternalId = 128;

    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.ToTable("app_users");
        builder.Property(u => u.ExternalId).HasMaxLength(MaxExternalId);
        builder.Property(u => u.Email).HasMaxLength(254);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(254);
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.Language).HasMaxLength(35);
        builder.Property(u => u.TimeZone).HasMaxLength(64);
        builder.Property(u => u.Consent).HasConversion(ConsentNames.Converter).HasMaxLength(10).HasDefaultValueSql("'unknown'")
            .HasSentinel((ConsentState)(-1)); // EF always writes the value; the default serves the registry's raw inserts
        builder.Property(u => u.ConsentSource).HasMaxLength(20);
        builder.HasOne<App>().WithMany().HasForeignKey(u => u.AppId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(u => new { u.ExternalId, u.AppId }).IsUnique();
        builder.HasIndex(u => new { u.NormalizedEmail, u.AppId });
        builder.HasMany(u => u.Attributes).WithOne().HasForeignKey(a => a.AppUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(u => u.Tags).WithOne().HasForeignKey(t => t.AppUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(u => u.Categories).WithOne().HasForeignKey(c => c.AppUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class UserAttributeConfiguration : IEntityTypeConfiguration<UserAttribute>
{
    public void Configure(EntityTypeBuilder<UserAttribute> builder)
    {
        builder.ToTable("user_attributes");
        builder.HasKey(a => new { a.AppUserId, a.Name });
        builder.Property(a => a.Name).HasMaxLength(64);
        builder.Property(a => a.TextValue).HasMaxLength(500);
        // the user last: a segment's attribute set is read from the index alone (a row lookup per user cost ~0.2 s at 600k users)
        builder.HasIndex(a => new { a.AppId, a.Name, a.TextValue, a.AppUserId });
        builder.HasIndex(a => new { a.AppId, a.Name, a.NumberValue, a.AppUserId });
    }
}

public sealed class UserTagConfiguration : IEntityTypeConfiguration<UserTag>
{
    public void Configure(EntityTypeBuilder<UserTag> builder)
    {
        builder.ToTable("user_tags");
        builder.HasKey(t => new { t.AppUserId, t.Tag });
        builder.Property(t => t.Tag).HasMaxLength(InstallationTagConfiguration.MaxTag);
        // covering: a segment's tag set is read from the index alone
        builder.HasIndex(t => new { t.AppId, t.Tag, t.AppUserId });
    }
}

public sealed class UserCategoryConfiguration : IEntityTypeConfiguration<UserCategory>
{
    public void Configure(EntityTypeBuilder<UserCategory> builder)
    {
        builder.ToTable("user_categories");
        builder.HasKey(c => new { c.AppUserId, c.Category });
        builder.Property(c => c.Category).HasMaxLength(64);
        // segments: "opted in/out of category X" is one range of user ids
        builder.HasIndex(c => new { c.Category, c.Enabled, c.AppUserId });
    }
}
