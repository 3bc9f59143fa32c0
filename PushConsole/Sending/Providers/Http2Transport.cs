using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PushConsole.Sending.Providers;

/// <summary>
/// Long-lived HTTP/2 connection pools for the providers. HTTP/2 is exact: over http:// that is prior-knowledge
/// h2c (the default policy would silently fall back to HTTP/1.1), over https ALPN must pick h2.
/// </summary>
public static class Http2Transport
{
    /// <param name="options">Pool settings and pinned certificates.</param>
    /// <param name="webPush">A pool for Web Push endpoints: it connects only to public addresses unless private ones are allowed.</param>
    public static SocketsHttpHandler CreateHandler(ProvidersOptions options, bool webPush = false) => new()
    {
        ConnectCallback = webPush && !options.WebPush.AllowPrivateEndpoints ? WebPush.WebPushEndpointPolicy.ConnectPublicOnlyAsync : null,
        // beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS, open another connection instead of queueing
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(options.IdleConnectionMinutes),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = TimeSpan.FromSeconds(options.KeepAlivePingSeconds),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = options.TrustedCertificateSha256.Count == 0 ? null : PinnedOrTrusted(options.TrustedCertificateSha256),
        },
    };

    public static HttpClient CreateClient(HttpMessageHandler handler, ProvidersOptions options, bool disposeHandler = false) =>
        new(handler, disposeHandler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
        };

    /// <summary>The normal chain check, plus exactly the pinned certificates (the sandbox's self-signed one).</summary>
    private static RemoteCertificateValidationCallback PinnedOrTrusted(IEnumerable<string> sha256Pins)
    {
        var pins = sha256Pins.Select(p => p.Replace(":", "").ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None
            || certificate is not null && pins.Contains(Sha256Fingerprint(certificate));
    }

    public static string Sha256Fingerprint(X509Certificate certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));
}
