using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Devices;

/// <summary>
/// One entry of an installation's token changelog: what changed (token, user, state), when, and who said so
/// (the app, a provider's answer with its raw reason, the console, a job). Written only by <see cref="DeviceRegistry"/>.
/// </summary>
public sealed class TokenChange
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long InstallationId { get; set; }
    public DateTime At { get; set; }
    public ChangeKind Kind { get; set; }
    public string? OldToken { get; set; }
    public string? NewToken { get; set; }
    /// <summary>External <c>userId</c> before and after the change (kept as text: history outlives the user row).</summary>
    public string? OldUser { get; set; }
    public string? NewUser { get; set; }
    /// <summary>See <see cref="ChangeSources"/>.</summary>
    public required string Source { get; set; }
    /// <summary>The provider's reason, e.g. "Unregistered", "UNREGISTERED", "410".</summary>
    public string? ProviderReason { get; set; }
    /// <summary>The provider's answer as received (status line and body), for "why didn't X get Y?".</summary>
    public string? RawAnswer { get; set; }
    public string? Details { get; set; }
}

public sealed class TokenChangeConfiguration : IEntityTypeConfiguration<TokenChange>
{
    public const int MaxRawAnswer = 2000;
    public const int MaxDetails = 1000;

    public void Configure(EntityTypeBuilder<TokenChange> builder)
    {
        builder.ToTable("token_changes");
        builder.Property(c => c.Kind).HasConversion(DeviceConverters.Kind).HasMaxLength(40);
        builder.Property(c => c.OldToken).HasMaxLength(InstallationConfiguration.MaxToken);
        builder.Property(c => c.NewToken).HasMaxLength(InstallationConfiguration.MaxToken);
        builder.Property(c => c.OldUser).HasMaxLength(AppUserConfiguration.MaxExternalId);
        builder.Property(c => c.NewUser).HasMaxLength(AppUserConfiguration.MaxExternalId);
        builder.Property(c => c.Source).HasMaxLength(20);
        builder.Property(c => c.ProviderReason).HasMaxLength(200);
        builder.Property(c => c.RawAnswer).HasMaxLength(MaxRawAnswer);
        builder.Property(c => c.Details).HasMaxLength(MaxDetails);
        builder.HasOne<Installation>().WithMany().HasForeignKey(c => c.InstallationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.InstallationId, c.Id });
        // every attachment of a device to a user writes NewUser: "which devices were ever this user's?"
        builder.HasIndex(c => new { c.NewUser, c.AppId });
    }
}
