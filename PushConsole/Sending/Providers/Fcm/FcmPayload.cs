using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PushConsole.Sending.Providers.Fcm;

/// <summary>The FCM v1 send body: snake_case, data values as strings, android.ttl as a Duration string.</summary>
public static class FcmPayload
{
    /// <summary>FCM's limit on the data + notification payload.</summary>
    public const int MaxPayloadBytes = 4096;
    /// <summary>android.ttl maximum (and FCM's default): 4 weeks.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromSeconds(2_419_200);

    /// <summary>Why FCM would refuse this message before we send it, or null.</summary>
    public static (ProviderOutcome Outcome, string Reason, string Detail)? Check(PushMessage message)
    {
        if (string.IsNullOrWhiteSpace(message.Target.Token))
            return (ProviderOutcome.DeadToken, "MissingToken", "The installation has no FCM token.");
        if (message.Content.Data is { } data)
            foreach (var key in data.Keys)
                if (IsReserved(key))
                    return (ProviderOutcome.PayloadRejected, "ReservedDataKey", $"\"{key}\" is reserved by FCM and cannot be a data key.");
        var size = PayloadBytes(message);
        if (size > MaxPayloadBytes)
            return (ProviderOutcome.PayloadTooLarge, "PayloadTooLarge", $"The data and notification payload is {size} bytes; FCM allows {MaxPayloadBytes}.");
        return null;
    }

    /// <summary>from, message_type, gcm, and anything starting with google. or gcm. (FCM's reserved words).</summary>
    public static bool IsReserved(string key) =>
        key is "from" or "message_type" or "gcm" || key.StartsWith("google.", StringComparison.Ordinal) || key.StartsWith("gcm.", StringComparison.Ordinal)
        || key.Length == 0;

    /// <summary>Bytes of the keys and values FCM counts against its 4 KB (data and notification).</summary>
    public static int PayloadBytes(PushMessage message)
    {
        var size = 0;
        foreach (var (key, value) in Data(message)) size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        if (message.Type == PushType.Alert)
            foreach (var value in new[] { message.Content.Title, message.Content.Body, message.Content.ImageUrl })
                if (value is not null) size += Encoding.UTF8.GetByteCount(value);
        return size;
    }

    private static readonly PayloadTemplates Templates = new(Render, tokenInPayload: true);

    /// <summary>The payload bytes: rendered once per content and options, the token and delivery id spliced in.</summary>
    public static byte[] Write(PushMessage message) => Templates.Render(message);

    /// <summary>The full render, which the templates are made from.</summary>
    internal static byte[] Render(PushMessage message)
    {
        var json = JsonScratch.Start();
        var content = message.Content;
        json.WriteStartObject();
        json.WriteStartObject("message");
        json.WriteString("token", message.Target.Token);
        if (message.Type == PushType.Alert && (content.Title ?? content.Body ?? content.ImageUrl) is not null)
        {
            json.WriteStartObject("notification");
            WriteIfSet(json, "title", content.Title);
            WriteIfSet(json, "body", content.Body);
            WriteIfSet(json, "image", content.ImageUrl);
            json.WriteEndObject();
        }
        json.WriteStartObject("data");
        foreach (var (key, value) in Data(message)) json.WriteString(key, value);
        json.WriteEndObject();

        json.WriteStartObject("android");
        json.WriteString("priority", message.Priority == PushPriority.High ? "HIGH" : "NORMAL");
        if (message.TimeToLive is { } ttl) json.WriteString("ttl", Duration(ttl));
        WriteIfSet(json, "collapse_key", message.CollapseId);
        if (message.Type == PushType.Alert)
        {
            json.WriteStartObject("notification");
            WriteIfSet(json, "channel_id", content.ChannelId);
            WriteIfSet(json, "icon", content.Icon);
            WriteIfSet(json, "sound", content.Sound);
            WriteIfSet(json, "tag", message.CollapseId);
            WriteIfSet(json, "click_action", content.Category);
            if (content.Badge is { } badge) json.WriteNumber("notification_count", badge);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        return JsonScratch.Finish(json);
    }

    /// <summary>A protobuf Duration in whole seconds ("3600s"), capped at FCM's 4 weeks.</summary>
    public static string Duration(TimeSpan ttl)
    {
        var seconds = (long)Math.Clamp(ttl.TotalSeconds, 0, MaxTtl.TotalSeconds);
        return seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    /// <summary>The data map as sent: the campaign's keys, the link, and the delivery id (which always wins).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Data(PushMessage message)
    {
        if (message.Content.Data is { } data)
            foreach (var pair in data)
                if (pair.Key != "deliveryId" && !(pair.Key == "link" && message.Content.Link is not null)
                    && !(pair.Key == "actions" && message.Content.Actions is { Count: > 0 }))
                    yield return pair;
        if (message.Content.Link is { } link) yield return new("link", link);
        // FCM data is strings only: the app reads the buttons from this JSON text
        if (message.Content.Actions is { Count: > 0 } actions && message.Type == PushType.Alert) yield return new("actions", ActionsJson.Text(actions));
        yield return new("deliveryId", message.DeliveryId.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }
}
