using System.Buffers.Text;
using System.Globalization;
using System.Net;

namespace PushConsole.Sending.Providers.WebPush;

/// <summary>
/// Web Push (RFC 8030) for one app: aes128gcm-encrypted body (RFC 8291) and VAPID (RFC 8292), to whichever push
/// service the subscription's endpoint names, over the shared connection pool.
/// </summary>
public sealed class WebPushClient(HttpClient http, VapidSigner vapid, TimeProvider clock, bool allowPrivateEndpoints = false) : IPushClient, IDisposable
{
    /// <summary>RFC 8030 leaves TTL to us but requires it; four weeks is what push libraries default to.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(2_419_200);

    public PushProvider Provider => PushProvider.WebPush;

    /// <summary>A client for one app's VAPID key pair on a shared HTTP/2 client.</summary>
    public static WebPushClient Create(HttpClient http, string vapidPublicKey, string vapidPrivateKey, string subject, ProvidersOptions options, TimeProvider clock) =>
        new(http, new VapidSigner(vapidPublicKey, vapidPrivateKey, subject, clock, TimeSpan.FromHours(options.WebPush.VapidExpirationHours)), clock,
            options.WebPush.AllowPrivateEndpoints);

    public async Task<ProviderResult> SendAsync(PushMessage message, CancellationToken ct = default)
    {
        if (message.Target.Subscription is not { } subscription
            || !Uri.TryCreate(subscription.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
            return ProviderHttp.Result(PushProvider.WebPush, ProviderOutcome.DeadToken, "BadSubscription", "The subscription has no usable endpoint.");
        // subscriptions stored before the policy (or under another setting) are refused before any connection
        if (WebPushEndpointPolicy.Refusal(endpoint, allowPrivateEndpoints, checkNames: false) is { } refusal)
            return ProviderHttp.Result(PushProvider.WebPush, ProviderOutcome.DeadToken, "EndpointRefused", $"The endpoint {refusal}");
        byte[] uaPublic, auth;
        try
        {
            uaPublic = Base64Url.DecodeFromChars(subscription.P256dh.TrimEnd('='));
            auth = Base64Url.DecodeFromChars(subscription.Auth.TrimEnd('='));
        }
        catch (FormatException)
        {
            return ProviderHttp.Result(PushProvider.WebPush, ProviderOutcome.DeadToken, "BadSubscription", "The subscription keys are not base64url.");
        }
        if (uaPublic.Length != 65 || uaPublic[0] != 0x04 || auth.Length != 16)
            return ProviderHttp.Result(PushProvider.WebPush, ProviderOutcome.DeadToken, "BadSubscription", "The subscription keys are not a P-256 point and a 16-byte auth secret.");

        var plaintext = WebPushPayload.Write(message);
        if (plaintext.Length > WebPushEncryption.MaxPlaintext)
            return ProviderHttp.Result(PushProvider.WebPush, ProviderOutcome.PayloadTooLarge, "PayloadTooLarge",
                $"The payload is {plaintext.Length} bytes; Web Push allows {WebPushEncryption.MaxPlaintext} before encryption.");
        byte[] body;
        try { body = WebPushEncryption.Encrypt(plaintext, uaPublic, auth); }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return ProviderHttp.Result(PushProvider.WebPush, ProviderOutcome.DeadToken, "BadSubscription", "The subscription's p256dh is not a point on P-256.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        // raw values are written as they are; parsed ones are formatted again for every request
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/octet-stream");
        request.Content.Headers.TryAddWithoutValidation("content-encoding", "aes128gcm");
        var ttl = message.TimeToLive ?? DefaultTtl;
        request.Headers.TryAddWithoutValidation("TTL", ((long)Math.Max(0, ttl.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Urgency", message.Priority == PushPriority.High ? "high" : message.Type == PushType.Background ? "low" : "normal");
        if (WebPushPayload.Topic(message.CollapseId) is { } topic) request.Headers.TryAddWithoutValidation("Topic", topic);
        request.Headers.TryAddWithoutValidation("Authorization", vapid.AuthorizationFor(endpoint));

        // a push service may speak only HTTP/1.1 over TLS; cleartext (the sandbox) is prior-knowledge h2
        var (response, failure) = await ProviderHttp.SendAsync(http, request, PushProvider.WebPush, ct, allowHttp11: true);
        if (failure is not null) return failure;
        using (response)
        {
            var (_, answer) = await ProviderHttp.ReadAsync(response!, ct, "location", "ttl", "retry-after");
            var status = (int)response!.StatusCode;
            if (status is >= 200 and < 300)
                return new ProviderResult { Provider = PushProvider.WebPush, Outcome = ProviderOutcome.Sent, MessageId = response.Headers.Location?.ToString(), Answer = answer };
            var (outcome, slow, detail) = Classify(response.StatusCode);
            return new ProviderResult
            {
                Provider = PushProvider.WebPush, Outcome = outcome, Reason = status.ToString(CultureInfo.InvariantCulture), Detail = detail, SlowDownLane = slow,
                RetryAfter = outcome == ProviderOutcome.RetryLater ? ProviderHttp.RetryAfter(response.Headers.RetryAfter, clock) : null,
                Answer = answer,
            };
        }
    }

    public static (ProviderOutcome Outcome, bool SlowDownLane, string Detail) Classify(HttpStatusCode status) => (int)status switch
    {
        404 or 410 => (ProviderOutcome.DeadToken, false, "The push service says the subscription is gone (unsubscribed or expired)."),
        413 => (ProviderOutcome.PayloadTooLarge, false, "The push service says the payload is too large."),
        429 => (ProviderOutcome.RetryLater, true, "The push service is rate limiting this sender: slow down."),
        401 or 403 => (ProviderOutcome.CredentialProblem, false, "The push service refused the VAPID authorization (key, aud or exp)."),
        400 => (ProviderOutcome.PayloadRejected, false, "The push service refused the request (TTL, Urgency, Topic or encryption)."),
        408 or >= 500 => (ProviderOutcome.RetryLater, false, $"The push service answered {(int)status}; retry later."),
        _ => (ProviderOutcome.Failed, false, $"The push service answered {(int)status}."),
    };

    public void Dispose() => vapid.Dispose();
}
