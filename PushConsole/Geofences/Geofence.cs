using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;

namespace PushConsole.Geofences;

/// <summary>
/// A circle apps monitor (<c>/v4/geofences</c>): centre, radius, how long a stay counts as dwelling, how long a repeated
/// transition stays quiet, the days it is active, and optionally the agenda room it stands for ("the next session in this hall").
/// </summary>
public sealed class Geofence
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>The id back-ends and apps use (<c>geofenceId</c> of transitions); unique per app.</summary>
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public double RadiusM { get; set; }
    public int DwellSeconds { get; set; }
    public int CooldownSeconds { get; set; }
    /// <summary>UTC; null = no start.</summary>
    public DateTime? ActiveFrom { get; set; }
    /// <summary>UTC; null = no end.</summary>
    public DateTime? ActiveUntil { get; set; }
    /// <summary>The agenda room (<c>agenda_sessions.room</c>) this geofence stands for.</summary>
    public string? Room { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool IsActiveAt(DateTime utc) => (ActiveFrom is null || ActiveFrom <= utc) && (ActiveUntil is null || utc < ActiveUntil);
}

/// <summary>Bumped by every change of an app's geofences: apps refresh their monitored set when it moves, servers their index.</summary>
public sealed class GeofenceSetVersion
{
    public long AppId { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// Location consent, separate from push consent: a user's own (<c>PUT /api/v1/users/{userId}/preferences {"location"}</c>),
/// or an anonymous installation's. Without it geofences are not listed and transitions are dropped.
/// </summary>
public sealed class LocationConsent
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long? AppUserId { get; set; }
    public long? InstallationId { get; set; }
    public bool Granted { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? Source { get; set; }
}

/// <summary>When a transition of a kind last triggered for a person (user, else installation) at a geofence: the cooldown's start.</summary>
public sealed class GeofenceTrigger
{
    public long GeofenceId { get; set; }
    /// <summary>"u{user row id}" or "i{installation row id}".</summary>
    public required string Subject { get; set; }
    public required string Type { get; set; }
    public long? AppUserId { get; set; }
    public long? InstallationId { get; set; }
    public DateTime At { get; set; }
}

public sealed class GeofenceConfiguration : IEntityTypeConfiguration<Geofence>, IEntityTypeConfiguration<GeofenceSetVersion>,
    IEntityTypeConfiguration<LocationConsent>, IEntityTypeConfiguration<GeofenceTrigger>
{
    public const int MaxExternalId = 64;
    public const int MaxName = 200;
    public const int MaxRoom = 100;

    public void Configure(EntityTypeBuilder<Geofence> builder)
    {
        builder.ToTable("geofences");
        builder.Property(g => g.ExternalId).HasMaxLength(MaxExternalId);
        builder.Property(g => g.Name).HasMaxLength(MaxName);
        builder.Property(g => g.Room).HasMaxLength(MaxRoom);
        builder.HasIndex(g => new { g.AppId, g.ExternalId }).IsUnique();
        builder.HasOne<App>().WithMany().HasForeignKey(g => g.AppId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<GeofenceSetVersion> builder)
    {
        builder.ToTable("geofence_versions");
        builder.HasKey(v => v.AppId);
        builder.Property(v => v.AppId).ValueGeneratedNever();
        builder.HasOne<App>().WithMany().HasForeignKey(v => v.AppId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<LocationConsent> builder)
    {
        builder.ToTable("location_consents");
        builder.Property(c => c.Source).HasMaxLength(20);
        builder.HasIndex(c => c.AppUserId).IsUnique();
        builder.HasIndex(c => c.InstallationId).IsUnique();
        builder.HasOne<Devices.AppUser>().WithMany().HasForeignKey(c => c.AppUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Devices.Installation>().WithMany().HasForeignKey(c => c.InstallationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<App>().WithMany().HasForeignKey(c => c.AppId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<GeofenceTrigger> builder)
    {
        builder.ToTable("geofence_triggers");
        builder.HasKey(t => new { t.GeofenceId, t.Subject, t.Type });
        builder.Property(t => t.Subject).HasMaxLength(24);
        builder.Property(t => t.Type).HasMaxLength(30);
        builder.HasIndex(t => t.AppUserId);
        builder.HasIndex(t => t.InstallationId);
        builder.HasOne<Devices.AppUser>().WithMany().HasForeignKey(t => t.AppUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Devices.Installation>().WithMany().HasForeignKey(t => t.InstallationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Geofence>().WithMany().HasForeignKey(t => t.GeofenceId).OnDelete(DeleteBehavior.Cascade);
    }
}
