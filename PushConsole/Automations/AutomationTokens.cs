using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PushConsole.Api;

namespace PushConsole.Automations;

/// <summary>What a push text's <c>{{…}}</c> tokens read for one recipient; a missing value is null (the token's fallback shows).</summary>
public sealed record TokenValues
{
    public string? DisplayName { get; init; }
    public string? UserId { get; init; }
    public string? Language { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    public string? EventName { get; init; }
    public IReadOnlyDictionary<string, string> EventProperties { get; init; } = new Dictionary<string, string>();
    public string? GeofenceId { get; init; }
    public IReadOnlyDictionary<string, string>? Session { get; init; }
    public IReadOnlyDictionary<string, string>? SuggestedSession { get; init; }
}

/// <summary>
/// <c>{{user.display_name}}</c>, <c>{{user.attributes.company}}</c>, <c>{{event.properties.x}}</c>, <c>{{session.title}}</c>…, with an
/// optional fallback after a bar: <c>{{user.display_name | there}}</c>. Unknown fields are refused when the automation is saved;
/// a missing value renders its fallback (or nothing), never the token itself.
/// </summary>
public static partial class AutomationTokens
{
    public static readonly string[] SessionFields = ["title", "room", "track", "starts_at"];
    public static readonly string[] Known =
    [
        "user.display_name", "user.id", "user.language", "user.attributes.<name>", "event.name", "event.properties.<name>", "event.geofence_id",
        .. SessionFields.Select(f => "session." + f), .. SessionFields.Select(f => "suggested_session." + f),
    ];

    [GeneratedRegex(@"\{\{\s*(?<field>[A-Za-z0-9_.\-]+)\s*(?:\|(?<fallback>[^{}]*))?\}\}")]
    private static partial Regex Token();

    /// <summary>Checks every token of every string in a JSON value; errors name the string's path.</summary>
    public static void Validate(JsonElement element, string path, FieldErrors errors, ref bool usesSuggestion)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                foreach (Match m in Token().Matches(text))
                {
                    var field = m.Groups["field"].Value;
                    if (!IsKnown(field)) errors.Add(path, $"{{{{{field}}}}} names no known field; use one of {string.Join(", ", Known.Select(k => "{{" + k + "}}"))}.");
                    if (field.StartsWith("suggested_session.", StringComparison.Ordinal)) usesSuggestion = true;
                }
                if (Token().Replace(text, "").Contains("{{", StringComparison.Ordinal))
                    errors.Add(path, "A token is not closed or not well formed; write {{user.display_name}} or {{user.display_name | there}}.");
                break;
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) Validate(p.Value, $"{path}.{p.Name}", errors, ref usesSuggestion);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Validate(item, $"{path}[{i++}]", errors, ref usesSuggestion);
                break;
        }
    }

    public static bool IsKnown(string field)
    {
        if (field is "user.display_name" or "user.id" or "user.language" or "event.name" or "event.geofence_id") return true;
        if (Rest(field, "user.attributes.") is { Length: > 0 } || Rest(field, "event.properties.") is { Length: > 0 }) return true;
        return Rest(field, "session.") is { } s && SessionFields.Contains(s) || Rest(field, "suggested_session.") is { } g && SessionFields.Contains(g);
    }

    private static string? Rest(string field, string prefix) => field.StartsWith(prefix, StringComparison.Ordinal) ? field[prefix.Length..] : null;

    public static string? Value(string field, TokenValues v) => field switch
    {
        "user.display_name" => v.DisplayName,
        "user.id" => v.UserId,
        "user.language" => v.Language,
        "event.name" => v.EventName,
        "event.geofence_id" => v.GeofenceId,
        _ when Rest(field, "user.attributes.") is { } a => v.Attributes.GetValueOrDefault(a),
        _ when Rest(field, "event.properties.") is { } p => v.EventProperties.GetValueOrDefault(p),
        _ when Rest(field, "suggested_session.") is { } g => v.SuggestedSession?.GetValueOrDefault(g),
        _ when Rest(field, "session.") is { } s => v.Session?.GetValueOrDefault(s),
        _ => null,
    };

    /// <summary>One text with its tokens replaced; an empty or missing value shows the fallback (trimmed) or nothing.</summary>
    public static string Render(string text, TokenValues values)
    {
        if (!text.Contains("{{", StringComparison.Ordinal)) return text;
        var empty = false;
        var rendered = Token().Replace(text, m =>
        {
            var value = Value(m.Groups["field"].Value, values);
            if (!string.IsNullOrEmpty(value)) return value;
            var fallback = m.Groups["fallback"].Value.Trim();
            empty |= fallback.Length == 0;
            return fallback;
        }).Replace("{{", "", StringComparison.Ordinal);
        // a value left out leaves no doubled or trailing space behind ("New contact {{user.attributes.company}}")
        return empty ? MultipleSpaces().Replace(rendered, " ").Trim() : rendered;
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();

    /// <summary>The push body JSON with every string rendered for one recipient (JSON escaping stays right).</summary>
    public static string RenderJson(string json, TokenValues values)
    {
        if (!json.Contains("{{", StringComparison.Ordinal)) return json;
        var node = JsonNode.Parse(json)!;
        Walk(node, values);
        return node.ToJsonString();
    }

    private static void Walk(JsonNode? node, TokenValues values)
    {
        if (node is JsonObject o)
            foreach (var key in o.Select(p => p.Key).ToList())
                if (Rendered(o[key], values) is { } text) o[key] = text;
                else Walk(o[key], values);
        else if (node is JsonArray a)
            for (var i = 0; i < a.Count; i++)
                if (Rendered(a[i], values) is { } text) a[i] = text;
                else Walk(a[i], values);
    }

    private static JsonValue? Rendered(JsonNode? node, TokenValues values) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonValue.Create(Render(v.GetValue<string>(), values)) : null;
}
