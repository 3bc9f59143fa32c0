using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PushConsole.Apps;

namespace PushConsole.Devices;

/// <summary>
/// One app on one device. Only <see cref="DeviceRegistry"/> changes its token, user or state, and each
/// such change appends a <see cref="TokenChange"/> in the same transaction.
/// </summary>
public sealed class Installation
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>The <c>installationId</c> the app chose; unique per app.</summary>
    public required string ExternalId { get; set; }
    public Platform Platform { get; set; }
    /// <summary>FCM token, APNs hex token (lower case) or Web Push endpoint; unique per app, null once taken by another installation.</summary>
    public string? Token { get; set; }
    /// <summary>Stored "production" or "sandbox" (iOS); null means the app's APNs environment.</summary>
    public ApnsEnvironment? ApnsEnvironment { get; set; }
    /// <summary>Web Push subscription keys, base64url as the browser gives them.</summary>
    public string? WebPushP256dh { get; set; }
    public string? WebPushAuth { get; set; }
    /// <summary>The user logged in on the device now (the last one wins).</summary>
    public long? AppUserId { get; set; }
    public AppUser? AppUser { get; set; }
    public PushState State { get; set; }
    /// <summary>What the device last said about the OS notification permission; the state follows it unless invalid/uninstalled.</summary>
    public bool NotificationsEnabled { get; set; } = true;
    public string? Language { get; set; }
    public string? TimeZone { get; set; }
    public string? AppVersion { get; set; }
    public string? OsVersion { get; set; }
    public string? DeviceModel { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    /// <summary>When the app last sent its token; a provider's "dead token" answer older than this is ignored (APNs 410 timestamp).</summary>
    public DateTime? TokenRegisteredAt { get; set; }
    /// <summary>Consent of an anonymous installation (no user logged in); a user's own consent wins once one logs in.</summary>
    public ConsentState Consent { get; set; }
    public DateTime? ConsentAt { get; set; }
    public string? ConsentSource { get; set; }
    public List<InstallationTag> Tags { get; set; } = [];
}

/// <summary>A tag of an installation (<c>tags</c> in the registration); one row each so segments can query has any/all/none.</summary>
public sealed class InstallationTag
{
    public long InstallationId { get; set; }
    /// <summary>Denormalised so "installations of app X with tag T" is one index range.</summary>
    public long AppId { get; set; }
    public required string Tag { get; set; }
}

public sealed class InstallationConfiguration : IEntityTypeConfiguration<Installation>
{
    public const int MaxExternalId = 128;
    public const int MaxToken = 1024;

    public void Configure(EntityTypeBuilder<Installation> builder)
    {
        builder.ToTable("installations");
        builder.Property(i => i.ExternalId).HasMaxLength(MaxExternalId);
        builder.Property(i => i.Platform).HasConversion(PlatformNames.PlatformConverter).HasMaxLength(10);
        builder.Property(i => i.State).HasConversion(DeviceConverters.State).HasMaxLength(20);
        builder.Property(i => i.Token).HasMaxLength(MaxToken);
        builder.Property(i => i.ApnsEnvironment).HasConversion(PlatformNames.ApnsEnvironmentConverter).HasMaxLength(12);
        builder.Property(i => i.WebPushP256dh).HasMaxLength(100);
        builder.Property(i => i.WebPushAuth).HasMaxLength(40);
        builder.Property(i => i.Language).HasMaxLength(35);
        builder.Property(i => i.TimeZone).HasMaxLength(64);
        builder.Property(i => i.AppVersion).HasMaxLength(50);
        builder.Property(i => i.OsVersion).HasMaxLength(50);
        builder.Property(i => i.DeviceModel).HasMaxLength(100);
        builder.Property(i => i.Consent).HasConversion(ConsentNames.Converter).HasMaxLength(10).HasDefaultValueSql("'unknown'")
            .HasSentinel((ConsentState)(-1)); // EF always writes the value; the default serves the registry's raw inserts
        builder.Property(i => i.ConsentSource).HasMaxLength(20);
        builder.HasOne<App>().WithMany().HasForeignKey(i => i.AppId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(i => i.AppUser).WithMany().HasForeignKey(i => i.AppUserId).OnDelete(DeleteBehavior.SetNull);
        // leading external id / token: the lookup page finds them across apps; unique per app
        builder.HasIndex(i => new { i.ExternalId, i.AppId }).IsUnique();
        // text_pattern_ops: token prefix search (LIKE 'abc%') uses the index whatever the PostgreSQL collation
        builder.HasIndex(i => new { i.Token, i.AppId }).IsUnique().HasOperators("text_pattern_ops", "int8_ops");
        builder.HasIndex(i => i.AppUserId);
        builder.HasIndex(i => new { i.AppId, i.State });
        // segments: the app's distinct versions, one seek each (version comparisons)
        builder.HasIndex(i => new { i.AppId, i.AppVersion });
        // segments: a narrow copy of what rules read, in user order (Audience/SegmentSql.FromFor); id last so
        // PostgreSQL can answer from the index alone (SQLite keeps the rowid in every index anyway)
        builder.HasIndex(i => new { i.AppId, i.AppUserId, i.Platform, i.State, i.Language, i.TimeZone, i.AppVersion, i.CreatedAt, i.LastSeenAt, i.Id })
            .HasDatabaseName("ix_installations_segments");
        builder.HasMany(i => i.Tags).WithOne().HasForeignKey(t => t.InstallationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class InstallationTagConfiguration : IEntityTypeConfiguration<InstallationTag>
{
    public const int MaxTag = 64;

    public void Configure(EntityTypeBuilder<InstallationTag> builder)
    {
        builder.ToTable("installation_tags");
        builder.HasKey(t => new { t.InstallationId, t.Tag });
        builder.Property(t => t.Tag).HasMaxLength(MaxTag);
        // covering: a segment's device-tag set is read from the index alone (else SQLite scans the table)
        builder.HasIndex(t => new { t.AppId, t.Tag, t.InstallationId });
    }
}

internal static class DeviceConverters
{
    public static readonly ValueConverter<PushState, string> State = new(v => DeviceNames.Of(v), v => DeviceNames.ParseState(v));
    public static readonly ValueConverter<ChangeKind, string> Kind = new(v => DeviceNames.Of(v), v => DeviceNames.ParseKind(v));
}
