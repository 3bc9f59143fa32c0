using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.WebPush;

namespace PushConsole.Sandbox;

public sealed partial class SandboxState
{
    private readonly ConcurrentDictionary<string, Subscriber> _subscribers = new(StringComparer.Ordinal);

    /// <summary>The browser side of a subscription: its private ECDH key and auth secret, and the VAPID key it was made for.</summary>
    internal sealed record Subscriber(string Id, ECDiffieHellman Key, byte[] PublicKey, byte[] Auth, string? ApplicationServerKey);

    /// <summary>Where the Web Push service listens (cleartext h2 and TLS), set when it starts.</summary>
    public Uri? WebPushBase { get; internal set; }
    public Uri? WebPushTlsBase { get; internal set; }

    /// <summary>
    /// Subscribes as a browser would: a fresh P-256 key pair and auth secret (the private parts stay here, so the
    /// sandbox can decrypt), bound to <paramref name="applicationServerKey"/> when given (then other VAPID keys get 403).
    /// </summary>
    public WebPushSubscription CreateWebPushSubscription(string? applicationServerKey = null, bool tls = false)
    {
        var baseUri = (tls ? WebPushTlsBase : WebPushBase) ?? throw new InvalidOperationException("The sandbox's Web Push service is not listening yet.");
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        var publicKey = WebPushEncryption.RawPublicKey(key);
        _subscribers[id] = new Subscriber(id, key, publicKey, auth, applicationServerKey);
        return new WebPushSubscription(new Uri(baseUri, $"push/{id}").ToString(), Base64Url.EncodeToString(publicKey), Base64Url.EncodeToString(auth));
    }

    /// <summary>The user unsubscribed or the browser dropped it: the service answers 410 (or 404 with <paramref name="gone"/> false).</summary>
    public void ExpireWebPushSubscription(WebPushSubscription subscription, bool gone = true) =>
        WebPush.Fail(SubscriptionId(subscription.Endpoint), new SandboxFailure(gone ? 410 : 404, gone ? "Gone" : "NotFound"));

    public static string SubscriptionId(string endpoint) => endpoint[(endpoint.LastIndexOf('/') + 1)..];

    internal Subscriber? FindSubscriber(string id) => _subscribers.GetValueOrDefault(id);

    internal ConcurrentDictionary<(string T, string K), (string? Audience, long? Expires)> VerifiedVapid { get; } = new();

    internal void RememberVapid(string t, string k, (string? Audience, long? Expires) claims)
    {
        if (VerifiedVapid.Count > 10_000) VerifiedVapid.Clear();
        VerifiedVapid[(t, k)] = claims;
    }
}
