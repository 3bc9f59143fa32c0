namespace PushConsole.Sending.Providers;

public enum PushProvider { Fcm, Apns, WebPush }

/// <summary>alert = a visible notification; background = data only (APNs content-available, FCM without notification).</summary>
public enum PushType { Alert, Background }

/// <summary>High wakes the device now (APNs 10, FCM HIGH, Urgency high); normal lets it save power (APNs 5, FCM NORMAL).</summary>
public enum PushPriority { Normal, High }

/// <summary>A browser's push subscription (PushSubscription.toJSON(): endpoint and keys.p256dh / keys.auth, base64url).</summary>
public sealed record WebPushSubscription(string Endpoint, string P256dh, string Auth);

/// <summary>Where one push goes: an FCM registration token, an APNs device token on a host, or a Web Push subscription.</summary>
public sealed record PushTarget
{
    private PushTarget(PushProvider provider, string token, ApnsEnvironment environment, WebPushSubscription? subscription)
    {
        Provider = provider;
        Token = token;
        Environment = environment;
        Subscription = subscription;
    }

    public PushProvider Provider { get; }

    /// <summary>FCM token, APNs hex token, or the Web Push endpoint.</summary>
    public string Token { get; }

    /// <summary>Which APNs host the token belongs to (development builds get sandbox tokens).</summary>
    public ApnsEnvironment Environment { get; }

    public WebPushSubscription? Subscription { get; }

    public static PushTarget Fcm(string token) => new(PushProvider.Fcm, token, default, null);

    public static PushTarget Apns(string deviceToken, ApnsEnvironment environment) => new(PushProvider.Apns, deviceToken, environment, null);

    public static PushTarget WebPush(WebPushSubscription subscription) => new(PushProvider.WebPush, subscription.Endpoint, default, subscription);

    /// <summary>Token shown to people: first and last characters only.</summary>
    public string Masked => Token.Length <= 16 ? "…" : $"{Token[..8]}…{Token[^6..]}";
}

/// <summary>What the recipient sees or the app receives; rendered once per (variant, language, platform) by the dispatcher.</summary>
public sealed record PushContent
{
    public string? Title { get; init; }
    public string? Body { get; init; }
    /// <summary>https URL of a picture (FCM notification.image, APNs mutable-content for a service extension, Web Push image).</summary>
    public string? ImageUrl { get; init; }
    /// <summary>Where a tap leads (deep link or https URL); sent as <c>link</c> (FCM data, APNs top level, Web Push url).</summary>
    public string? Link { get; init; }
    /// <summary>Custom key/values: FCM data, APNs top-level keys beside aps, Web Push <c>data</c>.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }
    /// <summary>APNs aps.sound, FCM android.notification.sound ("default" or a file name).</summary>
    public string? Sound { get; init; }
    /// <summary>APNs aps.badge (0 clears it); FCM android notification_count.</summary>
    public int? Badge { get; init; }
    /// <summary>APNs thread-id (grouping).</summary>
    public string? ThreadId { get; init; }
    /// <summary>APNs category, FCM click_action (actions registered by the app).</summary>
    public string? Category { get; init; }
    /// <summary>Android notification channel id.</summary>
    public string? ChannelId { get; init; }
    /// <summary>Android small icon resource name; Web Push icon URL.</summary>
    public string? Icon { get; init; }
    /// <summary>Action buttons with their titles in the recipient's language (APNs and FCM: <c>actions</c> JSON; Web Push: notification actions).</summary>
    public IReadOnlyList<PushAction>? Actions { get; init; }
}

/// <summary>
/// One push to one target. Every payload carries <see cref="DeliveryId"/> (FCM data.deliveryId, APNs top-level
/// deliveryId, Web Push JSON deliveryId) so the app can report receipt and opens, and APNs's apns-id is derived from it.
/// </summary>
public sealed record PushMessage(long DeliveryId, PushTarget Target, PushContent Content)
{
    public PushType Type { get; init; } = PushType.Alert;
    public PushPriority Priority { get; init; } = PushPriority.High;
    /// <summary>How long the provider may keep trying; null = the provider's default (4 weeks FCM/Web Push, APNs storage policy). Zero = now or never.</summary>
    public TimeSpan? TimeToLive { get; init; }
    /// <summary>A newer push with the same id replaces an undelivered or shown one (APNs collapse id, FCM collapse_key + tag, Web Push Topic).</summary>
    public string? CollapseId { get; init; }
}
