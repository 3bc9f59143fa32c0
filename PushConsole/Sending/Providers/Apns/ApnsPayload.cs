using System.Text.Json;

namespace PushConsole.Sending.Providers.Apns;

/// <summary>The APNs JSON payload: aps plus custom keys beside it (never inside), deliveryId at the top level.</summary>
public static class ApnsPayload
{
    public const int MaxBytes = 4096;

    private static readonly PayloadTemplates Templates = new(Render, tokenInPayload: false);

    /// <summary>The payload bytes: rendered once per content and options, the token and delivery id spliced in.</summary>
    public static byte[] Write(PushMessage message) => Templates.Render(message);

    /// <summary>The full render, which the templates are made from.</summary>
    internal static byte[] Render(PushMessage message)
    {
        var content = message.Content;
        var json = JsonScratch.Start();
        json.WriteStartObject();
        json.WriteStartObject("aps");
        if (message.Type == PushType.Alert)
        {
            if (content.Title is not null || content.Body is not null)
            {
                json.WriteStartObject("alert");
                if (content.Title is not null) json.WriteString("title", content.Title);
                if (content.Body is not null) json.WriteString("body", content.Body);
                json.WriteEndObject();
            }
            if (content.Sound is not null) json.WriteString("sound", content.Sound);
            if (content.Badge is { } badge) json.WriteNumber("badge", badge);
            if (content.ThreadId is not null) json.WriteString("thread-id", content.ThreadId);
            if (content.Category is not null) json.WriteString("category", content.Category);
            // the notification service extension downloads the image
            if (content.ImageUrl is not null) json.WriteNumber("mutable-content", 1);
        }
        else
        {
            json.WriteNumber("content-available", 1);
            if (content.Badge is { } badge) json.WriteNumber("badge", badge);
        }
        json.WriteEndObject();
        if (content.Data is { } data)
            foreach (var (key, value) in data)
                if (key is not ("aps" or "deliveryId" or "link" or "image" or "actions")) json.WriteString(key, value);
        if (content.Link is not null) json.WriteString("link", content.Link);
        // the app's category handler (aps.category) finds each button's id, localized title and URL here
        if (content.Actions is { Count: > 0 } actions && message.Type == PushType.Alert) ActionsJson.Write(json, "actions", actions);
        if (content.ImageUrl is not null) json.WriteString("image", content.ImageUrl);
        json.WriteNumber("deliveryId", message.DeliveryId);
        json.WriteEndObject();
        return JsonScratch.Finish(json);
    }

    /// <summary>Why APNs would refuse the push before we send it, or null.</summary>
    public static (ProviderOutcome Outcome, string Reason, string Detail)? Check(PushMessage message, int payloadBytes)
    {
        if (!IsHexToken(message.Target.Token))
            return (ProviderOutcome.DeadToken, "BadDeviceToken", "The APNs device token is not hexadecimal.");
        if (message.CollapseId is { } collapse && System.Text.Encoding.UTF8.GetByteCount(collapse) > 64)
            return (ProviderOutcome.PayloadRejected, "BadCollapseId", "apns-collapse-id may be at most 64 bytes.");
        if (payloadBytes > MaxBytes)
            return (ProviderOutcome.PayloadTooLarge, "PayloadTooLarge", $"The payload is {payloadBytes} bytes; APNs allows {MaxBytes}.");
        if (message.DeliveryId is < 0 or > DeliveryIds.MaxApnsDeliveryId)
            return (ProviderOutcome.Failed, "BadMessageId", "The delivery id does not fit an apns-id.");
        return null;
    }

    public static bool IsHexToken(string token) => token.Length is >= 32 and <= 400 && token.Length % 2 == 0 && token.All(Uri.IsHexDigit);
}
