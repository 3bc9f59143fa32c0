using System.Globalization;
using System.Text.Json;

namespace PushConsole.Sending.Providers.Apns;

/// <summary>
/// APNs provider API for one app on one host (production or sandbox): its own long-lived HTTP/2 connections, because
/// APNs binds a team and key to a connection. Apple advertises enough streams for one connection to carry everything, but
/// one connection is one TLS stream on each side; sends go to the connection with the fewest in flight, so a quiet
/// client keeps one connection and a busy one shards over up to <c>Providers:Apns:Connections</c> (as node-apn's pool does).
/// </summary>
public sealed class ApnsClient(Http2Pool connections, ApnsProviderToken token, string bundleId, Uri baseUrl, ApnsEnvironment environment, TimeProvider clock)
    : IPushClient, IDisposable
{
    private readonly Uri _deviceBase = new(baseUrl, "3/device/");

    public PushProvider Provider => PushProvider.Apns;

    /// <summary>A client with its own connection pool for one key on one APNs host.</summary>
    public static ApnsClient Create(string p8, string keyId, string teamId, string bundleId, ApnsEnvironment environment, ProvidersOptions options, TimeProvider clock)
    {
        var url = environment == ApnsEnvironment.Sandbox ? options.Apns.SandboxUrl : options.Apns.ProductionUrl;
        var token = new ApnsProviderToken(p8, keyId, teamId, clock, TimeSpan.FromMinutes(options.Apns.TokenRefreshMinutes));
        return new ApnsClient(Http2Pool.Create(options.Apns.Connections, options, oneConnectionEach: true), token, bundleId, new Uri(url), environment, clock);
    }
    public ApnsEnvironment Environment => environment;
    public ApnsProviderToken Token => token;

    public async Task<ProviderResult> SendAsync(PushMessage message, CancellationToken ct = default)
    {
        var body = ApnsPayload.Write(message);
        if (ApnsPayload.Check(message, body.Length) is { } refused)
            return ProviderHttp.Result(PushProvider.Apns, refused.Outcome, refused.Reason, refused.Detail);

        var jwt = token.Current();
        var (result, expired) = await SendOnceAsync(message, body, jwt, ct);
        if (!expired) return result;
        // ExpiredProviderToken: sign a fresh token and try once more
        return (await SendOnceAsync(message, body, token.Renew(jwt), ct)).Result;
    }

    private async Task<(ProviderResult Result, bool ExpiredToken)> SendOnceAsync(PushMessage message, byte[] body, string jwt, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_deviceBase, message.Target.Token)) { Content = new ByteArrayContent(body) };
        // a raw value is written as it is; a parsed one is formatted again for every request
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/json");
        var headers = request.Headers;
        headers.TryAddWithoutValidation("authorization", token.AuthorizationFor(jwt));
        headers.TryAddWithoutValidation("apns-topic", bundleId);
        headers.TryAddWithoutValidation("apns-push-type", message.Type == PushType.Background ? "background" : "alert");
        // background pushes must use 5; alerts use 10 unless the campaign asked for normal priority
        headers.TryAddWithoutValidation("apns-priority", message.Type == PushType.Alert && message.Priority == PushPriority.High ? "10" : "5");
        headers.TryAddWithoutValidation("apns-id", DeliveryIds.ToApnsId(message.DeliveryId));
        if (message.TimeToLive is { } ttl)
            headers.TryAddWithoutValidation("apns-expiration", ttl <= TimeSpan.Zero ? "0"
                : (clock.GetUtcNow() + ttl).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (message.CollapseId is not null) headers.TryAddWithoutValidation("apns-collapse-id", message.CollapseId);

        var (response, failure) = await connections.SendAsync(request, PushProvider.Apns, ct);
        if (failure is not null) return (failure, false);
        using (response)
        {
            var (text, answer) = await ProviderHttp.ReadAsync(response!, ct, "apns-id", "apns-unique-id", "retry-after");
            var status = (int)response!.StatusCode;
            if (status == 200)
            {
                var id = Header(response, "apns-unique-id") ?? Header(response, "apns-id");
                return (new ProviderResult { Provider = PushProvider.Apns, Outcome = ProviderOutcome.Sent, MessageId = id, Answer = answer }, false);
            }
            var (reason, timestamp) = ParseError(text);
            var (outcome, detail) = ApnsErrors.Classify(status, reason);
            return (new ProviderResult
            {
                Provider = PushProvider.Apns, Outcome = outcome, Reason = reason ?? status.ToString(CultureInfo.InvariantCulture), Detail = detail,
                TokenInvalidSince = status == 410 && timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
                RetryAfter = outcome == ProviderOutcome.RetryLater ? ProviderHttp.RetryAfter(response.Headers.RetryAfter, clock) : null,
                Answer = answer,
            }, reason == "ExpiredProviderToken");
        }
    }

    /// <summary>{"reason":"…"} and, for 410, "timestamp" in milliseconds since the epoch.</summary>
    private static (string? Reason, long? Timestamp) ParseError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            long? timestamp = root.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var ms) ? ms : null;
            return (reason, timestamp);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose()
    {
        connections.Dispose();
        token.Dispose();
    }
}
