using System.Buffers;
using System.Text.Json;

namespace PushConsole.Sending.Providers;

/// <summary>Action buttons as the payloads carry them: <c>[{"id", "title", "url"}]</c> (Web Push names the id <c>action</c>, as showNotification wants).</summary>
public static class ActionsJson
{
    public static void Write(Utf8JsonWriter json, string name, IReadOnlyList<PushAction> actions, string idName = "id")
    {
        json.WriteStartArray(name);
        foreach (var action in actions)
        {
            json.WriteStartObject();
            json.WriteString(idName, action.Id);
            json.WriteString("title", action.Title);
            if (action.Url is not null) json.WriteString("url", action.Url);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The same array as JSON text, for FCM's string-only data map.</summary>
    public static string Text(IReadOnlyList<PushAction> actions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Write(json, "a", actions);
            json.WriteEndObject();
        }
        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text["{\"a\":".Length..^1];
    }
}
