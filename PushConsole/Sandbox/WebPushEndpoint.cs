using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PushConsole.Sending.Providers.WebPush;

namespace PushConsole.Sandbox;

/// <summary>
/// A Web Push service per PROTOCOLS 3.7: TTL/Urgency/Topic rules, aes128gcm only, VAPID (signature, aud = origin,
/// exp within 24 h, k = the key the subscription was made with), decryption with the subscriber's private key and the
/// 0x02 delimiter; 201 with Location, 404/410 for gone subscriptions, 413 over 4096 bytes, 429 when told to.
/// </summary>
public static class WebPushEndpoint
{
    private static readonly string[] ShownHeaders = ["ttl", "urgency", "topic", "content-encoding", "content-type"];

    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/push/{id}", HandleAsync);

    private static async Task HandleAsync(HttpContext context, string id, SandboxState state)
    {
        var push = state.WebPush;
        await push.DelayAsync(context.RequestAborted);
        var subscriber = state.FindSubscriber(id);
        if (subscriber is null) { await RefuseAsync(context, push, id, 404, "NotFound", "No such subscription."); return; }
        if (push.FailureFor(id) is { } failure)
        {
            if (failure.RetryAfterSeconds is { } wait) context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(context, push, id, failure.Status, failure.Reason ?? "Injected", "The subscription is no longer valid.");
            return;
        }

        var headers = context.Request.Headers;
        if (headers["TTL"].Count != 1 || !long.TryParse(headers["TTL"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ttl))
        { await RefuseAsync(context, push, id, 400, "BadTtl", "TTL is required: a non-negative number of seconds."); return; }
        if (headers["Urgency"].Count > 1 || headers["Urgency"].Count == 1 && headers["Urgency"].ToString() is not ("very-low" or "low" or "normal" or "high"))
        { await RefuseAsync(context, push, id, 400, "BadUrgency", "Urgency must be one of very-low, low, normal, high."); return; }
        var topic = headers["Topic"].ToString();
        if (headers["Topic"].Count > 1 || topic.Length > 32 || !topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        { await RefuseAsync(context, push, id, 400, "BadTopic", "Topic must be at most 32 base64url characters."); return; }
        if (context.Request.Headers.ContentEncoding.ToString() != "aes128gcm")
        { await RefuseAsync(context, push, id, 400, "BadEncoding", "Content-Encoding must be aes128gcm."); return; }

        var (vapidStatus, vapidProblem, vapidKey) = CheckVapid(context, state, subscriber);
        if (vapidProblem is not null) { await RefuseAsync(context, push, id, vapidStatus, "BadVapid", vapidProblem); return; }

        var body = await SandboxHttp.ReadBodyAsync(context, 4096);
        if (body.Length > 4096) { await RefuseAsync(context, push, id, 413, "PayloadTooLarge", "The body is larger than 4096 bytes."); return; }
        if (body.Length >= 86 && body.AsSpan(21, 65).SequenceEqual(vapidKey))
        { await RefuseAsync(context, push, id, 400, "SameKeys", "The ECDH key must differ from the VAPID key."); return; }
        var plaintext = WebPushEncryption.Decrypt(body, subscriber.Key, subscriber.PublicKey, subscriber.Auth, out var problem);
        if (plaintext is null) { await RefuseAsync(context, push, id, 400, "BadEncryption", problem!); return; }
        if (push.DrawOverload() is { } overload)
        {
            context.Response.Headers.RetryAfter = push.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(context, push, id, overload, overload == 429 ? "TooManyRequests" : "Unavailable", "Try again later.");
            return;
        }

        var text = Encoding.UTF8.GetString(plaintext);
        long? deliveryId = null;
        try
        {
            using var document = JsonDocument.Parse(plaintext);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("deliveryId", out var d) && d.TryGetInt64(out var parsed))
                deliveryId = parsed;
        }
        catch (JsonException) { /* any bytes are a valid push message; only ours carry JSON */ }
        push.Record(context, 201, null, id, deliveryId, text, SandboxHttp.Headers(context, ShownHeaders));
        context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}/m/{Guid.NewGuid():N}";
        context.Response.Headers["TTL"] = ttl.ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = 201;
    }

    /// <summary>RFC 8292: 401 when missing, 403 when the signature, aud, exp or k is wrong.</summary>
    private static (int Status, string? Problem, byte[] Key) CheckVapid(HttpContext context, SandboxState state, SandboxState.Subscriber subscriber)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("vapid ", StringComparison.OrdinalIgnoreCase)) return (401, "Authorization: vapid t=…, k=… is required.", []);
        string? t = null, k = null;
        foreach (var part in authorization[6..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)) t = part[2..];
            else if (part.StartsWith("k=", StringComparison.Ordinal)) k = part[2..];
        }
        if (t is null || k is null) return (401, "Both t and k are required.", []);
        try
        {
            var key = Base64Url.DecodeFromChars(k.TrimEnd('='));
            if (key.Length != 65 || key[0] != 0x04) return (403, "k must be a raw 65-byte P-256 public key.", []);
            if (subscriber.ApplicationServerKey is { } bound && bound.TrimEnd('=') != k.TrimEnd('='))
                return (403, "k is not the applicationServerKey this subscription was made with.", key);
            // a verified (t, k) pair is remembered (its signature cannot change); aud and exp are checked every time
            if (!state.VerifiedVapid.TryGetValue((t, k), out var verified))
            {
                var parts = t.Split('.');
                if (parts.Length != 3) return (403, "t is not a JWT.", key);
                using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = key[1..33], Y = key[33..] } });
                if (!verifier.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256))
                    return (403, "The VAPID signature does not verify with k.", key);
                using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
                if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "ES256") return (403, "alg must be ES256.", key);
                using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
                var audience = claims.RootElement.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.String ? aud.GetString() : null;
                long? expiry = claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var e) ? e : null;
                verified = (audience, expiry);
                state.RememberVapid(t, k, verified);
            }
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            if (verified.Audience != origin) return (403, $"aud must be the push service origin {origin}.", key);
            var now = state.Clock.GetUtcNow().ToUnixTimeSeconds();
            if (verified.Expires is not { } expires || expires <= now || expires > now + 24 * 3600)
                return (403, "exp must be in the future and at most 24 hours away.", key);
            return (0, null, key);
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException or InvalidOperationException)
        {
            return (403, "The VAPID token is malformed.", []);
        }
    }

    private static async Task RefuseAsync(HttpContext context, SandboxProvider push, string id, int status, string reason, string message)
    {
        push.Record(context, status, reason, id, null, null, SandboxHttp.Headers(context, ShownHeaders));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }
}
