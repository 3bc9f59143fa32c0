using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PushConsole.Sending.Providers;

namespace PushConsole.Sandbox;

/// <summary>
/// The APNs provider API per PROTOCOLS 2.9: ES256 provider token verified against registered keys (kid, team, age,
/// too-frequent refresh per connection), topic, push type, priority, id, expiration, collapse id, size, and 410 with a
/// millisecond timestamp for dead tokens. Which host (production or development) is the listener the request came in on.
/// </summary>
public static partial class ApnsEndpoint
{
    private static readonly string[] PushTypes = ["alert", "background", "location", "voip", "complication", "fileprovider", "mdm", "liveactivity", "pushtotalk", "widgets"];
    private static readonly string[] ShownHeaders = ["apns-topic", "apns-push-type", "apns-priority", "apns-id", "apns-expiration", "apns-collapse-id"];

    /// <summary>Per-connection state, as Apple keeps it: the team and key bound on first use, and the last token change.</summary>
    internal sealed class Connection
    {
        public string? TeamId;
        public string? Jwt;
        public DateTimeOffset JwtChangedAt;
        public volatile bool Authenticated;
        public readonly SemaphoreSlim FirstStream = new(1, 1);
    }

    public static void Map(IEndpointRouteBuilder routes, Func<HttpContext, ApnsEnvironment> environmentOf)
    {
        routes.MapPost("/3/device/{token}", (HttpContext context, string token, SandboxState state) => HandleAsync(context, token, state, environmentOf(context)));
        routes.MapPost("/3/device/", (HttpContext context, SandboxState state) => RefuseAsync(context, state, "", null, 400, "MissingDeviceToken"));
        routes.MapMethods("/3/device/{token}", ["GET", "PUT", "DELETE", "PATCH", "HEAD"], (HttpContext context, SandboxState state) => RefuseAsync(context, state, "", null, 405, "MethodNotAllowed"));
        routes.MapFallback((HttpContext context, SandboxState state) => RefuseAsync(context, state, "", null, 404, "BadPath"));
    }

    private static async Task HandleAsync(HttpContext context, string token, SandboxState state, ApnsEnvironment environment)
    {
        var apns = state.Apns;
        await apns.DelayAsync(context.RequestAborted);
        var connection = state.ApnsConnections.GetOrAdd(context.Connection.Id, _ => new Connection());
        // with token auth APNs allows one stream until a request with a valid token has succeeded
        var gated = !connection.Authenticated;
        if (gated) await connection.FirstStream.WaitAsync(context.RequestAborted);
        try
        {
            await HandleOnConnectionAsync(context, token, state, environment, connection, apns);
        }
        finally
        {
            if (gated) connection.FirstStream.Release();
        }
    }

    private static async Task HandleOnConnectionAsync(HttpContext context, string token, SandboxState state, ApnsEnvironment environment, Connection connection, SandboxProvider apns)
    {
        var headers = context.Request.Headers;
        foreach (var name in ShownHeaders.Append("authorization"))
            if (headers[name].Count > 1) { await RefuseAsync(context, state, token, null, 400, "DuplicateHeaders"); return; }

        var (authProblem, key, jwt) = Authenticate(headers.Authorization.ToString(), state);
        if (authProblem is not null) { await RefuseAsync(context, state, token, null, 403, authProblem); return; }
        if (key!.OnlyEnvironment is { } only && only != environment) { await RefuseAsync(context, state, token, null, 403, "BadEnvironmentKeyIdInToken"); return; }
        var now = state.Clock.GetUtcNow();
        lock (connection)
        {
            if (connection.TeamId is not null && connection.TeamId != key.TeamId) authProblem = "UnrelatedKeyIdInToken";
            else if (connection.Jwt is null) (connection.TeamId, connection.Jwt, connection.JwtChangedAt) = (key.TeamId, jwt, now);
            else if (connection.Jwt != jwt)
            {
                if (now - connection.JwtChangedAt < TimeSpan.FromMinutes(20)) authProblem = "TooManyProviderTokenUpdates";
                else (connection.Jwt, connection.JwtChangedAt) = (jwt, now);
            }
        }
        if (authProblem is not null) { await RefuseAsync(context, state, token, null, authProblem == "TooManyProviderTokenUpdates" ? 429 : 403, authProblem); return; }
        state.SawApnsJwt(jwt!);

        if (!IsHex(token)) { await RefuseAsync(context, state, token, null, 400, "BadDeviceToken"); return; }
        var topic = headers["apns-topic"].ToString();
        if (topic.Length == 0) { await RefuseAsync(context, state, token, null, 400, "MissingTopic"); return; }
        var pushType = headers["apns-push-type"].ToString();
        if (pushType.Length > 0 && !PushTypes.Contains(pushType)) { await RefuseAsync(context, state, token, null, 400, "InvalidPushType"); return; }
        var bundle = pushType switch { "voip" => Strip(topic, ".voip"), "complication" => Strip(topic, ".complication"), "fileprovider" => Strip(topic, ".pushkit.fileprovider"),
            "location" => Strip(topic, ".location-query"), "liveactivity" => Strip(topic, ".push-type.liveactivity"), "pushtotalk" => Strip(topic, ".voip-ptt"),
            "widgets" => Strip(topic, ".push-type.widgets"), _ => topic };
        if (bundle is null) { await RefuseAsync(context, state, token, null, 400, "BadTopic"); return; }
        if (!key.Topics.Contains(bundle)) { await RefuseAsync(context, state, token, null, 400, "TopicDisallowed"); return; }
        var priority = headers["apns-priority"].ToString();
        if (priority.Length > 0 && priority is not ("10" or "5" or "1")) { await RefuseAsync(context, state, token, null, 400, "BadPriority"); return; }
        if (pushType == "background" && priority == "10") { await RefuseAsync(context, state, token, null, 400, "BadPriority"); return; }
        var apnsId = headers["apns-id"].ToString();
        if (apnsId.Length > 0 && !Uuid().IsMatch(apnsId)) { await RefuseAsync(context, state, token, null, 400, "BadMessageId"); return; }
        var expiration = headers["apns-expiration"].ToString();
        if (expiration.Length > 0 && !long.TryParse(expiration, NumberStyles.None, CultureInfo.InvariantCulture, out _)) { await RefuseAsync(context, state, token, null, 400, "BadExpirationDate"); return; }
        if (Encoding.UTF8.GetByteCount(headers["apns-collapse-id"].ToString()) > 64) { await RefuseAsync(context, state, token, null, 400, "BadCollapseId"); return; }

        var limit = pushType == "voip" ? 5120 : 4096;
        var body = await SandboxHttp.ReadBodyAsync(context, limit);
        if (body.Length == 0) { await RefuseAsync(context, state, token, null, 400, "PayloadEmpty"); return; }
        if (body.Length > limit) { await RefuseAsync(context, state, token, null, 413, "PayloadTooLarge"); return; }
        long? deliveryId = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("aps", out var aps) || aps.ValueKind != JsonValueKind.Object)
            { await RefuseAsync(context, state, token, null, 400, "PayloadEmpty"); return; }
            if (root.TryGetProperty("deliveryId", out var d) && d.TryGetInt64(out var id)) deliveryId = id;
        }
        catch (JsonException) { await RefuseAsync(context, state, token, null, 400, "PayloadEmpty"); return; }

        if (state.ApnsDeviceEnvironment(token) is { } tokenEnvironment && tokenEnvironment != environment)
        { await RefuseAsync(context, state, token, deliveryId, 400, "BadDeviceToken"); return; }
        if (apns.DrawOverload() is { } overload)
        {
            context.Response.Headers.RetryAfter = apns.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(context, state, token, deliveryId, overload, overload == 429 ? "TooManyRequests" : "ServiceUnavailable");
            return;
        }
        if (apns.FailureFor(token) is { } failure)
        {
            if (failure.RetryAfterSeconds is { } wait) context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(context, state, token, deliveryId, failure.Status, failure.Reason ?? "Unregistered", failure.Status == 410 ? now.ToUnixTimeMilliseconds() : null);
            return;
        }

        connection.Authenticated = true;
        var responseId = apnsId.Length > 0 ? apnsId : Guid.NewGuid().ToString();
        context.Response.Headers["apns-id"] = responseId;
        if (environment == ApnsEnvironment.Sandbox) context.Response.Headers["apns-unique-id"] = Guid.NewGuid().ToString();
        var shown = SandboxHttp.Headers(context, ShownHeaders);
        shown["environment"] = environment == ApnsEnvironment.Sandbox ? "development" : "production";
        apns.Record(context, 200, null, token, deliveryId, Encoding.UTF8.GetString(body), shown);
        context.Response.StatusCode = 200;
    }

    /// <summary>Verifies the provider token; lenient about padding and a string iat, as Apple is.</summary>
    private static (string? Problem, SandboxState.ApnsKeyRegistration? Key, string? Jwt) Authenticate(string authorization, SandboxState state)
    {
        if (!authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)) return ("MissingProviderToken", null, null);
        var jwt = authorization[7..].Trim();
        // a verified token is remembered (its signature cannot change); its age is checked on every request
        if (state.VerifiedApnsJwts.TryGetValue(jwt, out var known))
            return state.Clock.GetUtcNow().ToUnixTimeSeconds() - known.IssuedAt > 3600 ? ("ExpiredProviderToken", known.Key, jwt) : (null, known.Key, jwt);
        var parts = jwt.Split('.');
        if (parts.Length != 3) return ("InvalidProviderToken", null, null);
        try
        {
            using var header = JsonDocument.Parse(Decode(parts[0]));
            using var claims = JsonDocument.Parse(Decode(parts[1]));
            if (Text(header.RootElement, "alg") != "ES256") return ("InvalidProviderToken", null, null);
            var key = Text(header.RootElement, "kid") is { } kid ? state.FindApnsKey(kid) : null;
            if (key is null) return ("InvalidProviderToken", null, null);
            if (!key.PublicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Decode(parts[2]), HashAlgorithmName.SHA256))
                return ("InvalidProviderToken", null, null);
            if (Text(claims.RootElement, "iss") != key.TeamId) return ("InvalidProviderToken", null, null);
            if (!claims.RootElement.TryGetProperty("iat", out var iatElement)) return ("InvalidProviderToken", null, null);
            var iat = iatElement.ValueKind == JsonValueKind.Number ? iatElement.GetInt64()
                : long.TryParse(iatElement.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
            var now = state.Clock.GetUtcNow().ToUnixTimeSeconds();
            if (iat < 0 || iat > now + 300) return ("InvalidProviderToken", null, null);
            if (now - iat > 3600) return ("ExpiredProviderToken", key, jwt);
            state.RememberApnsJwt(jwt, key, iat);
            return (null, key, jwt);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return ("InvalidProviderToken", null, null);
        }
    }

    private static byte[] Decode(string part)
    {
        var normalized = part.Replace('+', '-').Replace('/', '_').TrimEnd('=');
        return Base64Url.DecodeFromChars(normalized);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Strip(string topic, string suffix) => topic.EndsWith(suffix, StringComparison.Ordinal) ? topic[..^suffix.Length] : null;

    private static bool IsHex(string token) => token.Length is >= 32 and <= 400 && token.All(Uri.IsHexDigit);

    private static async Task RefuseAsync(HttpContext context, SandboxState state, string token, long? deliveryId, int status, string reason, long? timestamp = null)
    {
        var apnsId = context.Request.Headers["apns-id"].ToString();
        context.Response.Headers["apns-id"] = apnsId.Length > 0 && Uuid().IsMatch(apnsId) ? apnsId : Guid.NewGuid().ToString();
        state.Apns.Record(context, status, reason, token, deliveryId, null, SandboxHttp.Headers(context, ShownHeaders));
        await SandboxHttp.WriteJsonAsync(context, status, timestamp is { } ms ? new { reason, timestamp = ms } : new { reason });
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();
}
