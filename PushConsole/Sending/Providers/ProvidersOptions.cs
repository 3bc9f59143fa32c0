using System.ComponentModel.DataAnnotations;

namespace PushConsole.Sending.Providers;

/// <summary>
/// Where the providers are and how we talk to them (<c>Providers:*</c>). A base URL with <c>http://</c> means
/// cleartext HTTP/2 with prior knowledge (the sandbox); real providers are https.
/// </summary>
public sealed class ProvidersOptions : IValidatableObject
{
    public const string Section = "Providers";

    public FcmSettings Fcm { get; set; } = new();
    public ApnsSettings Apns { get; set; } = new();
    public WebPushSettings WebPush { get; set; } = new();

    /// <summary>
    /// SHA-256 fingerprints (hex) of extra server certificates to trust, e.g. the sandbox's self-signed one.
    /// Only these exact certificates are accepted besides the normally trusted chain; nothing else is relaxed.
    /// </summary>
    public List<string> TrustedCertificateSha256 { get; set; } = [];

    /// <summary>How long a request may take before it counts as a timeout (then: retry later).</summary>
    [Range(1, 600)] public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Connections stay open this long without traffic (APNs wants long-lived connections).</summary>
    [Range(1, 1440)] public int IdleConnectionMinutes { get; set; } = 60;

    /// <summary>HTTP/2 PING after this long without frames, so idle connections survive middleboxes.</summary>
    [Range(10, 7200)] public int KeepAlivePingSeconds { get; set; } = 300;

    /// <summary>How often cached clients compare the app's credential stamps with the database.</summary>
    [Range(0, 3600)] public int CredentialRecheckSeconds { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, url) in new[] { ("Providers:Fcm:BaseUrl", Fcm.BaseUrl), ("Providers:Apns:ProductionUrl", Apns.ProductionUrl), ("Providers:Apns:SandboxUrl", Apns.SandboxUrl) })
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                yield return new ValidationResult($"{name} must be an absolute http:// or https:// URL.", [name]);
        if (Apns.TokenRefreshMinutes is < 20 or > 55)
            yield return new ValidationResult("Providers:Apns:TokenRefreshMinutes must be 20–55 (Apple refuses refreshes more often than every 20 minutes and tokens older than 60).", ["Providers:Apns:TokenRefreshMinutes"]);
        if (Fcm.Connections is < 1 or > 16)
            yield return new ValidationResult("Providers:Fcm:Connections must be 1–16.", ["Providers:Fcm:Connections"]);
        if (Apns.Connections is < 1 or > 16)
            yield return new ValidationResult("Providers:Apns:Connections must be 1–16.", ["Providers:Apns:Connections"]);
        if (WebPush.VapidExpirationHours is < 1 or > 24)
            yield return new ValidationResult("Providers:WebPush:VapidExpirationHours must be 1–24 (RFC 8292).", ["Providers:WebPush:VapidExpirationHours"]);
        foreach (var pin in TrustedCertificateSha256)
            if (pin.Replace(":", "").Length != 64 || !pin.Replace(":", "").All(Uri.IsHexDigit))
                yield return new ValidationResult("Providers:TrustedCertificateSha256 entries must be SHA-256 fingerprints (64 hex digits).", [nameof(TrustedCertificateSha256)]);
    }

    public sealed class FcmSettings
    {
        public string BaseUrl { get; set; } = "https://fcm.googleapis.com";
        /// <summary>HTTP/2 connections that FCM sends (of all apps) are spread over when busy; each opens another beyond FCM's 100 streams.</summary>
        [Range(1, 16)] public int Connections { get; set; } = 4;
    }

    public sealed class ApnsSettings
    {
        public string ProductionUrl { get; set; } = "https://api.push.apple.com";
        public string SandboxUrl { get; set; } = "https://api.sandbox.push.apple.com";
        /// <summary>Provider JWTs are reused this long; Apple refuses refreshes more often than every 20 minutes and tokens older than 60.</summary>
        [Range(20, 55)] public int TokenRefreshMinutes { get; set; } = 50;
        /// <summary>HTTP/2 connections per app and APNs host that sends are spread over when busy (Apple recommends several for throughput).</summary>
        [Range(1, 16)] public int Connections { get; set; } = 3;
    }

    public sealed class WebPushSettings
    {
        /// <summary>VAPID JWT lifetime (RFC 8292 allows at most 24 h; 12 h is what web-push uses).</summary>
        [Range(1, 24)] public int VapidExpirationHours { get; set; } = 12;

        /// <summary>
        /// Lets subscriptions point at loopback, private, link-local or plain-http endpoints (the sandbox, a closed network).
        /// Off, such a subscription is refused at registration and never connected to, whatever its name resolves to.
        /// </summary>
        public bool AllowPrivateEndpoints { get; set; }
    }
}
