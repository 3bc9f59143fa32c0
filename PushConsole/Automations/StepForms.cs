using System.Text.Json;

namespace PushConsole.Automations;

public sealed record DelayForm(long Amount, string Unit);

public sealed record TagForm(string Add, string Remove);

/// <summary>
/// The builder's small forms for common steps: each reads a step's JSON into fields and writes the fields back as JSON, so the
/// step's text (and its validation as typed) stays the one source. A text the form cannot show (hand-edited, invalid) gives null.
/// </summary>
public static class StepForms
{
    public static readonly string[] Units = ["seconds", "minutes", "hours"];

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
        return JsonSerializer.Serialize(body);
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
