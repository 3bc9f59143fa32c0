using System.Text.Json.Serialization;

namespace PushConsole.Devices;

/// <summary>Body of <c>PUT /api/v1/installations/{installationId}</c> (API.md). Unknown fields are ignored.</summary>
public sealed class InstallationRequest
{
    private string? _userId;

    /// <summary>android, ios or web.</summary>
    public string? Platform { get; set; }
    /// <summary>FCM token (android) or APNs hex token (ios).</summary>
    public string? PushToken { get; set; }
    /// <summary>The browser's PushSubscription (web).</summary>
    public WebPushSubscription? WebPush { get; set; }
    /// <summary>production or sandbox (ios); absent means the app's APNs environment.</summary>
    public string? ApnsEnvironment { get; set; }

    /// <summary>The logged-in user; null logs out; absent keeps the current user.</summary>
    public string? UserId
    {
        get => _userId;
        set { _userId = value; UserIdGiven = true; }
    }

    /// <summary>Whether the body had a <c>userId</c> property at all (null included).</summary>
    [JsonIgnore] public bool UserIdGiven { get; private set; }

    /// <summary>The OS notification permission; false means background (data) pushes only. Absent keeps the last known value.</summary>
    public bool? NotificationsEnabled { get; set; }
    public string? Language { get; set; }
    public string? TimeZone { get; set; }
    public string? AppVersion { get; set; }
    public string? OsVersion { get; set; }
    public string? DeviceModel { get; set; }
    /// <summary>Replaces the installation's tags when present.</summary>
    public List<string?>? Tags { get; set; }
}

public sealed class WebPushSubscription
{
    public string? Endpoint { get; set; }
    public WebPushKeys? Keys { get; set; }
}

public sealed class WebPushKeys
{
    public string? P256dh { get; set; }
    public string? Auth { get; set; }
}

/// <summary>Body of <c>PUT /api/v1/installations/{installationId}/user</c>.</summary>
public sealed class InstallationUserRequest
{
    public string? UserId { get; set; }
}

/// <summary>Answer of the installation endpoints.</summary>
public sealed record InstallationAnswer(string InstallationId, string State, string? UserId);

/// <summary>One event of <c>POST /api/v1/events</c>.</summary>
public sealed class ClientEventRequest
{
    public string? InstallationId { get; set; }
    public string? Type { get; set; }
    public string? DeliveryId { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset? At { get; set; }
    public System.Text.Json.JsonElement? Properties { get; set; }
    /// <summary>notification_clicked: the button tapped (absent = the body).</summary>
    public string? ActionId { get; set; }
    /// <summary>geofence_entered / geofence_exited / geofence_dwelled: which geofence.</summary>
    public string? GeofenceId { get; set; }
    /// <summary>geofence_exited / geofence_dwelled: how long the device stayed.</summary>
    public int? DwellSeconds { get; set; }
}

/// <summary>Body of <c>PUT /api/v1/users/{userId}/preferences</c> (and of an anonymous installation's preferences).</summary>
public sealed class PreferencesRequest
{
    /// <summary>true = granted, false = withdrawn (denied); absent or null leaves it as it is.</summary>
    public bool? Consent { get; set; }
    /// <summary>Categories the app defines (key → on/off); absent ones keep their value or default.</summary>
    public Dictionary<string, bool>? Categories { get; set; }
    /// <summary>Location consent (geofences), separate from push consent: true = granted, false = withdrawn; absent leaves it.</summary>
    public bool? Location { get; set; }
    /// <summary>Shown by name on the game's leaderboard (true) or as "Attendee #n" (false, the default); absent leaves it as it is.</summary>
    public bool? Leaderboard { get; set; }
}
