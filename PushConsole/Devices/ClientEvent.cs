using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Devices;

/// <summary>What an app reports (<c>POST /api/v1/events</c>): sessions and what happened to a push. Analytics reads them.</summary>
public sealed class ClientEvent
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long InstallationId { get; set; }
    /// <summary>session_start, notification_received, notification_opened, notification_dismissed or custom.</summary>
    public required string Type { get; set; }
    /// <summary>The <c>deliveryId</c> the push payload carried, as the app sent it back.</summary>
    public string? DeliveryId { get; set; }
    /// <summary>Custom event name.</summary>
    public string? Name { get; set; }
    /// <summary>When it happened on the device (UTC).</summary>
    public DateTime At { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary>The <c>properties</c> object as JSON text.</summary>
    public string? Properties { get; set; }
    /// <summary>The button tapped on a <c>notification_clicked</c> (null = the body).</summary>
    public string? ActionId { get; set; }
    /// <summary>The geofence of a transition.</summary>
    public string? GeofenceId { get; set; }
    /// <summary>How long the device stayed in the geofence (exits and dwells).</summary>
    public int? DwellSeconds { get; set; }
}

public static class ClientEventTypes
{
    public const string SessionStart = "session_start";
    public const string NotificationReceived = "notification_received";
    public const string NotificationOpened = "notification_opened";
    public const string NotificationDismissed = "notification_dismissed";
    public const string NotificationClicked = "notification_clicked";
    public const string GeofenceEntered = "geofence_entered";
    public const string GeofenceExited = "geofence_exited";
    public const string GeofenceDwelled = "geofence_dwelled";
    public const string Custom = "custom";

    /// <summary>What apps may send to <c>POST /api/v1/events</c>.</summary>
    public static readonly IReadOnlyList<string> All =
        [SessionStart, NotificationReceived, NotificationOpened, NotificationDismissed, NotificationClicked, GeofenceEntered, GeofenceExited, GeofenceDwelled, Custom];

    /// <summary>Raised by the server itself (agenda, game), never accepted from apps: they have their own endpoints.</summary>
    public const string SessionCheckedIn = "session_checked_in";
    public const string SessionFavorited = "session_favorited";
    public const string ChallengeCompleted = "challenge_completed";

    /// <summary>An action button's id as the push carries it: <c>[a-z0-9_-]{1,32}</c>.</summary>
    public static bool IsActionId(string value) =>
        value.Length is >= 1 and <= 32 && value.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-');
}

public sealed class ClientEventConfiguration : IEntityTypeConfiguration<ClientEvent>
{
    public const int MaxProperties = 4096;

    public void Configure(EntityTypeBuilder<ClientEvent> builder)
    {
        builder.ToTable("client_events");
        builder.Property(e => e.Type).HasMaxLength(30);
        builder.Property(e => e.DeliveryId).HasMaxLength(64);
        builder.Property(e => e.Name).HasMaxLength(100);
        builder.Property(e => e.Properties).HasMaxLength(MaxProperties);
        builder.Property(e => e.ActionId).HasMaxLength(32);
        builder.Property(e => e.GeofenceId).HasMaxLength(64);
        builder.HasOne<Installation>().WithMany().HasForeignKey(e => e.InstallationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.AppId, e.At });
        // segments: opens per installation in the last N days, counted in installation order from the index alone
        builder.HasIndex(e => new { e.AppId, e.Type, e.InstallationId, e.At });
        builder.HasIndex(e => e.DeliveryId);
        builder.HasIndex(e => e.InstallationId);
    }
}
