using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PushConsole.Sandbox;

/// <summary>
/// FCM HTTP v1 <c>messages:send</c> per PROTOCOLS 1.6: bearer from the sandbox's own OAuth endpoint, exactly one target,
/// data values as strings, no reserved keys, Duration strings, snake_case or camelCase, enums in any case.
/// </summary>
public static partial class FcmSendEndpoint
{
    private const int MaxPayload = 4096;

    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/v1/projects/{project}/messages:send", HandleAsync);

    private static async Task HandleAsync(HttpContext context, string project, SandboxState state)
    {
        var fcm = state.Fcm;
        await fcm.DelayAsync(context.RequestAborted);
        var auth = context.Request.Headers.Authorization.ToString();
        var grant = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? state.ValidateAccessToken(auth[7..].Trim()) : null;
        if (grant is null)
        {
            await RefuseAsync(context, fcm, "", null, 401, "UNAUTHENTICATED", null,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
            return;
        }
        state.SawBearer(auth[7..].Trim());
        if (grant.ProjectId != project)
        {
            await RefuseAsync(context, fcm, "", null, 403, "PERMISSION_DENIED", null,
                $"Permission 'cloudmessaging.messages.create' denied on resource '//cloudmessaging.googleapis.com/projects/{project}' (or it may not exist).");
            return;
        }
        if (fcm.DrawOverload() is { } overload)
        {
            await RefuseAsync(context, fcm, "", null, overload, overload == 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE", overload == 429 ? "QUOTA_EXCEEDED" : "UNAVAILABLE",
                overload == 429 ? "Quota exceeded for quota metric 'Messages'." : "The service is currently unavailable.", retryAfter: fcm.RetryAfterSeconds);
            return;
        }

        var body = await SandboxHttp.ReadBodyAsync(context, 64 * 1024);
        JsonElement message;
        bool validateOnly;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out message) || message.ValueKind != JsonValueKind.Object)
            {
                await InvalidAsync(context, fcm, "", null, "message", "The request needs a \"message\" object.");
                return;
            }
            validateOnly = (Get(root, "validate_only", "validateOnly") is { ValueKind: JsonValueKind.True });
        }
        catch (JsonException e)
        {
            await InvalidAsync(context, fcm, "", null, "", $"Invalid JSON payload received. {e.Message}");
            return;
        }

        var token = Get(message, "token")?.GetString() ?? "";
        var (problem, field, deliveryId, payloadBytes) = Validate(message);
        if (problem is null && payloadBytes > MaxPayload) (problem, field) = ("Message is too big", "message");
        if (problem is not null)
        {
            await InvalidAsync(context, fcm, token, deliveryId, field!, problem);
            return;
        }
        if (token.Length > 0 && fcm.FailureFor(token) is { } failure)
        {
            var (status, errorCode, text) = failure.Reason switch
            {
                "UNREGISTERED" => ("NOT_FOUND", "UNREGISTERED", "Requested entity was not found."),
                "SENDER_ID_MISMATCH" => ("PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch"),
                "INVALID_ARGUMENT" => ("INVALID_ARGUMENT", "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token"),
                "QUOTA_EXCEEDED" => ("RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded."),
                "UNAVAILABLE" => ("UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."),
                "INTERNAL" => ("INTERNAL", "INTERNAL", "Internal error encountered."),
                "THIRD_PARTY_AUTH_ERROR" => ("UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "Auth error from APNS or Web Push Service"),
                _ => (StatusName(failure.Status), failure.Reason, $"Injected failure {failure.Status}."),
            };
            await RefuseAsync(context, fcm, token, deliveryId, failure.Status, status, errorCode, text, failure.RetryAfterSeconds,
                errorCode == "INVALID_ARGUMENT" ? "message.token" : null);
            return;
        }

        var id = validateOnly ? "fake_message_id" : $"0:{state.Clock.GetUtcNow().ToUnixTimeMilliseconds()}%{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}";
        fcm.Record(context, 200, null, token, validateOnly ? null : deliveryId, Encoding.UTF8.GetString(body), SandboxHttp.Headers(context, "content-type"));
        await SandboxHttp.WriteJsonAsync(context, 200, new { name = $"projects/{project}/messages/{id}" });
    }

    /// <summary>The first problem with the message (and the field it is in), its deliveryId, and its data + notification bytes.</summary>
    private static (string? Problem, string? Field, long? DeliveryId, int PayloadBytes) Validate(JsonElement message)
    {
        long? deliveryId = null;
        var bytes = 0;
        string[] targets = ["token", "topic", "condition", "fid"];
        var count = targets.Count(t => message.TryGetProperty(t, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0);
        if (count != 1) return ("Exactly one of token, topic, condition or fid must be set.", "message", null, 0);
        if (Get(message, "data") is { } data)
        {
            if (data.ValueKind != JsonValueKind.Object) return ("data must be a map of strings.", "message.data", null, 0);
            var index = 0;
            foreach (var pair in data.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String)
                    return ($"Invalid value at 'message.data[{index}].value' (TYPE_STRING), {pair.Value.GetRawText()}", $"message.data[{index}].value", null, 0);
                var key = pair.Name;
                if (key is "from" or "message_type" or "gcm" || key.StartsWith("google.", StringComparison.Ordinal) || key.StartsWith("gcm.", StringComparison.Ordinal))
                    return ($"Invalid data payload key: \"{key}\" is reserved.", $"message.data[{index}].key", null, 0);
                if (key == "deliveryId" && long.TryParse(pair.Value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) deliveryId = id;
                bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(pair.Value.GetString()!);
                index++;
            }
        }
        if (Get(message, "notification") is { } notification)
        {
            if (notification.ValueKind != JsonValueKind.Object) return ("notification must be an object.", "message.notification", deliveryId, 0);
            foreach (var pair in notification.EnumerateObject())
            {
                if (pair.Name is not ("title" or "body" or "image")) return ($"Unknown name \"{pair.Name}\" at 'message.notification'.", "message.notification", deliveryId, 0);
                if (pair.Value.ValueKind != JsonValueKind.String) return ($"notification.{pair.Name} must be a string.", $"message.notification.{pair.Name}", deliveryId, 0);
                bytes += Encoding.UTF8.GetByteCount(pair.Value.GetString()!);
            }
        }
        if (Get(message, "android") is { } android)
        {
            if (android.ValueKind != JsonValueKind.Object) return ("android must be an object.", "message.android", deliveryId, bytes);
            if (Get(android, "ttl") is { } ttl && (ttl.ValueKind != JsonValueKind.String || !Duration().IsMatch(ttl.GetString()!)))
                return ($"Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), {ttl.GetRawText()}", "message.android.ttl", deliveryId, bytes);
            if (Get(android, "priority") is { } priority && (priority.ValueKind != JsonValueKind.String || priority.GetString()!.ToUpperInvariant() is not ("NORMAL" or "HIGH")))
                return ($"Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), {priority.GetRawText()}", "message.android.priority", deliveryId, bytes);
            if (Get(android, "collapse_key", "collapseKey") is { ValueKind: not JsonValueKind.String }) return ("collapse_key must be a string.", "message.android.collapse_key", deliveryId, bytes);
            if (Get(android, "notification") is { } an)
                foreach (var pair in an.EnumerateObject())
                    if (pair.Name is "notification_count" or "notificationCount" ? pair.Value.ValueKind != JsonValueKind.Number
                        : pair.Name is "channel_id" or "channelId" or "icon" or "sound" or "tag" or "click_action" or "clickAction" or "title" or "body" or "image" or "color"
                          && pair.Value.ValueKind != JsonValueKind.String)
                        return ($"Invalid value at 'message.android.notification.{pair.Name}'.", $"message.android.notification.{pair.Name}", deliveryId, bytes);
        }
        return (null, null, deliveryId, bytes);
    }

    private static JsonElement? Get(JsonElement element, params string[] names)
    {
        foreach (var name in names)
            if (element.TryGetProperty(name, out var value)) return value;
        return null;
    }

    private static Task InvalidAsync(HttpContext context, SandboxProvider fcm, string token, long? deliveryId, string field, string problem) =>
        RefuseAsync(context, fcm, token, deliveryId, 400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", problem, violatedField: field);

    private static async Task RefuseAsync(HttpContext context, SandboxProvider fcm, string token, long? deliveryId, int code, string status, string? errorCode,
        string message, int? retryAfter = null, string? violatedField = null)
    {
        var details = new List<object>();
        if (errorCode is not null) details.Add(new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = errorCode });
        if (violatedField is not null)
            details.Add(new Dictionary<string, object>
            {
                ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
                ["fieldViolations"] = new[] { new { field = violatedField, description = message } },
            });
        fcm.Record(context, code, errorCode ?? status, token, deliveryId, null, SandboxHttp.Headers(context, "content-type"));
        await SandboxHttp.WriteJsonAsync(context, code, new { error = new { code, message, status, details } }, retryAfter);
    }

    private static string StatusName(int status) => status switch
    {
        400 => "INVALID_ARGUMENT", 401 => "UNAUTHENTICATED", 403 => "PERMISSION_DENIED", 404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED", 500 => "INTERNAL", 503 => "UNAVAILABLE", _ => "UNKNOWN",
    };

    [GeneratedRegex(@"^\d+(\.\d{1,9})?s$")]
    private static partial Regex Duration();
}
