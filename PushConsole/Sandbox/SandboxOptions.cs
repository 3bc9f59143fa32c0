namespace PushConsole.Sandbox;

/// <summary>How the sandbox listens. Every provider has a cleartext HTTP/2 (h2c) and a TLS HTTP/2 listener of its own.</summary>
public sealed record SandboxOptions
{
    /// <summary>The control endpoint (HTTP/1.1: OAuth token endpoint, <c>/sandbox/*</c>), e.g. http://127.0.0.1:9000.</summary>
    public string ControlUrl { get; init; } = "http://127.0.0.1:0";

    /// <summary>
    /// First of eight consecutive provider ports (FCM h2c, FCM TLS, APNs production h2c, TLS, APNs development h2c, TLS,
    /// Web Push h2c, TLS); null picks free ports.
    /// </summary>
    public int? FirstProviderPort { get; init; }

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS per connection, per provider (what the real services advertise).</summary>
    public int FcmMaxStreams { get; init; } = 100;
    public int ApnsMaxStreams { get; init; } = 1000;
    public int WebPushMaxStreams { get; init; } = 100;

    /// <summary>The sandbox's clock (token lifetimes, JWT ages); a fake one in tests.</summary>
    public TimeProvider? Clock { get; init; }
}
