using System.Text.Json;

namespace PushConsole.Sending.Providers.WebPush;

/// <summary>The JSON the service worker receives (event.data.json()): what showNotification needs, plus deliveryId.</summary>
public static class WebPushPayload
{
    private static readonly PayloadTemplates Templates = new(Render, tokenInPayload: false);

    /// <summary>The payload bytes: rendered once per content and options, the token and delivery id spliced in.</summary>
    public static byte[] Write(PushMessage message) => Templates.Render(message);

    /// <summary>The full render, which the templates are made from.</summary>
    internal static byte[] Render(PushMessage message)
    {
        var content = message.Content;
        var json = JsonScratch.Start();
        json.WriteStartObject();
        json.WriteNumber("deliveryId", message.DeliveryId);
        json.WriteString("type", message.Type == PushType.Background ? "background" : "alert");
        if (content.Title is not null) json.WriteString("title", content.Title);
        if (content.Body is not null) json.WriteString("body", content.Body);
        if (content.Icon is not null) json.WriteString("icon", content.Icon);
        if (content.ImageUrl is not null) json.WriteString("image", content.ImageUrl);
        if (content.Link is not null) json.WriteString("url", content.Link);
        if (message.CollapseId is not null) json.WriteString("tag", message.CollapseId);
        if (content.Badge is { } badge) json.WriteNumber("badge", badge);
        // showNotification's actions ({action, title}); the service worker opens the button's url on a click
        if (content.Actions is { Count: > 0 } actions && message.Type == PushType.Alert) ActionsJson.Write(json, "actions", actions, "action");
        if (content.Data is { Count: > 0 } || content.Link is not null)
        {
            json.WriteStartObject("data");
            foreach (var (key, value) in content.Data ?? new Dictionary<string, string>())
                if (!(key == "url" && content.Link is not null)) json.WriteString(key, value);
            if (content.Link is not null) json.WriteString("url", content.Link);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        return JsonScratch.Finish(json);
    }

    /// <summary>RFC 8030 Topic: at most 32 base64url characters; a collapse id that does not fit is not sent as one.</summary>
    public static string? Topic(string? collapseId) =>
        collapseId is { Length: > 0 and <= 32 } && collapseId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? collapseId : null;
}
