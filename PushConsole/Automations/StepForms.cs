using System.Text.Encodings.Web;
using System.Text.Json;

namespace PushConsole.Automations;

public sealed record DelayForm(long Amount, string Unit);

public sealed record TagForm(string Add, string Remove);

public sealed record WaitForm(string EventType, long TimeoutSeconds, string OnTimeout);

public sealed record PushForm(string Title, string Alert);

/// <summary>
/// The builder's small forms for common steps: each reads a step's JSON into fields and writes the fields back as JSON, so the
/// step's text (and its validation as typed) stays the one source. A text the form cannot show (hand-edited, invalid) gives null.
/// </summary>
public static class StepForms
{
    public static readonly string[] Units = ["seconds", "minutes", "hours"];

    // the JSON stays readable in the step's text box: "—" or "'" as typed, not \u escapes
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static DelayForm? ReadDelay(string text)
    {
        if (Object(text) is not { } root || root.EnumerateObject().Count() != 1 || !root.TryGetProperty("seconds", out var s) || !s.TryGetInt64(out var seconds)) return null;
        return seconds % 3600 == 0 && seconds != 0 ? new(seconds / 3600, "hours") : seconds % 60 == 0 && seconds != 0 ? new(seconds / 60, "minutes") : new(seconds, "seconds");
    }

    public static string WriteDelay(DelayForm form) =>
        $$"""{ "seconds": {{form.Amount * (form.Unit switch { "hours" => 3600, "minutes" => 60, _ => 1 })}} }""";

    public static TagForm? ReadTag(string text)
    {
        if (Object(text) is not { } root || root.EnumerateObject().Any(p => p.Name is not ("add" or "remove") || p.Value.ValueKind != JsonValueKind.Array
                                                                           || p.Value.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))) return null;
        string List(string name) => root.TryGetProperty(name, out var a) ? string.Join(", ", a.EnumerateArray().Select(t => t.GetString())) : "";
        return new(List("add"), List("remove"));
    }

    public static string WriteTag(TagForm form)
    {
        static string[] Tags(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        var body = new Dictionary<string, string[]>();
        if (Tags(form.Add) is { Length: > 0 } add) body["add"] = add;
        if (Tags(form.Remove) is { Length: > 0 } remove) body["remove"] = remove;
        return JsonSerializer.Serialize(body, Readable);
    }

    /// <summary>A wait on an event type alone (filters, names: JSON only).</summary>
    public static WaitForm? ReadWait(string text)
    {
        if (Object(text) is not { } root || root.EnumerateObject().Any(p => p.Name is not ("event" or "timeout_seconds" or "on_timeout"))
            || !root.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object || e.EnumerateObject().Any(p => p.Name != "type")
            || !e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("timeout_seconds", out var t) || !t.TryGetInt64(out var timeout)) return null;
        var onTimeout = root.TryGetProperty("on_timeout", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "continue";
        return new(type.GetString()!, timeout, onTimeout);
    }

    public static string WriteWait(WaitForm form) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["event"] = new Dictionary<string, string> { ["type"] = form.EventType }, ["timeout_seconds"] = form.TimeoutSeconds, ["on_timeout"] = form.OnTimeout }, Readable);

    /// <summary>A push of one alert text, with an iOS title over the same text or none (per-platform payloads: JSON only).</summary>
    public static PushForm? ReadPush(string text)
    {
        if (Object(text) is not { } root || root.EnumerateObject().Any(p => p.Name != "notification")
            || !root.TryGetProperty("notification", out var n) || n.ValueKind != JsonValueKind.Object
            || n.EnumerateObject().Any(p => p.Name is not ("alert" or "ios"))
            || !n.TryGetProperty("alert", out var a) || a.ValueKind != JsonValueKind.String) return null;
        var alert = a.GetString()!;
        if (!n.TryGetProperty("ios", out var ios)) return new("", alert);
        if (ios.ValueKind != JsonValueKind.Object || ios.EnumerateObject().Any(p => p.Name != "alert") || !ios.TryGetProperty("alert", out var ia)
            || ia.ValueKind != JsonValueKind.Object || ia.EnumerateObject().Any(p => p.Name is not ("title" or "body"))
            || !ia.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String
            || !ia.TryGetProperty("body", out var body) || body.GetString() != alert) return null;
        return new(title.GetString()!, alert);
    }

    public static string WritePush(PushForm form)
    {
        var notification = new Dictionary<string, object> { ["alert"] = form.Alert };
        if (form.Title.Length > 0)
            notification["ios"] = new Dictionary<string, object> { ["alert"] = new Dictionary<string, string> { ["title"] = form.Title, ["body"] = form.Alert } };
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["notification"] = notification }, Readable);
    }

    private static JsonElement? Object(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException) { return null; }
    }
}
