using System.Globalization;
using System.Text.Json;
using PushConsole.Api;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>
/// Reads EngageLab-shaped bodies by hand, so every problem names the caller's own field path
/// (<c>to.registration_id</c>, <c>body.options.time_to_live</c>) and unknown keys are refused rather than ignored.
/// </summary>
public static class ServerApiJson
{
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The request body as JSON; a body that is not JSON is a 400 naming <c>body</c>.</summary>
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        // the same answer as the client API: a body that does not say it is JSON is refused before it is read
        if (!request.HasJsonContentType())
            throw new BadHttpRequestException("Send the body as JSON with the header Content-Type: application/json.", StatusCodes.Status415UnsupportedMediaType);
        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, StrictJson.DocumentOptions, ct);
            var errors = new FieldErrors();
            ControlCharacters(document.RootElement, "", errors);
            if (errors.Any) { document.Dispose(); errors.ThrowIfAny(); }
            return document;
        }
        catch (JsonException e)
        {
            if (StrictJson.Describe(e) is var (field, message)) throw new BadInputException(field, message);
            throw new BadInputException("body", $"The body is not valid JSON ({e.Message.Split(". ")[0]}).");
        }
    }

    /// <summary>Names every key and string value holding a control character other than tab or a line break.</summary>
    private static void ControlCharacters(JsonElement element, string path, FieldErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when StrictJson.HasControlCharacters(element.GetString()!):
                errors.Add(path.Length == 0 ? "body" : path, StrictJson.ControlCharacterMessage);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (StrictJson.HasControlCharacters(property.Name)) errors.Add(Path(path, property.Name), "Remove the control characters from the key.");
                    else ControlCharacters(property.Value, Path(path, property.Name), errors);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) ControlCharacters(item, $"{path}[{i++}]", errors);
                break;
        }
    }

    public static string Path(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    /// <summary>True when <paramref name="element"/> is an object; otherwise reports <paramref name="path"/>.</summary>
    public static bool IsObject(JsonElement element, string path, FieldErrors errors, string what)
    {
        if (element.ValueKind == JsonValueKind.Object) return true;
        errors.Add(path, $"{path} is a JSON object ({what}).");
        return false;
    }

    /// <summary>Reports every key of <paramref name="element"/> that is not in <paramref name="known"/>.</summary>
    public static void OnlyKnown(JsonElement element, string path, FieldErrors errors, IReadOnlyCollection<string> known, string? hint = null)
    {
        foreach (var property in element.EnumerateObject())
            if (!known.Contains(property.Name))
                errors.Add(Path(path, property.Name), $"\"{property.Name}\" is not a field PushConsole knows here; use {string.Join(", ", known)}." +
                                                      (hint is null ? "" : " " + hint));
    }

    public static JsonElement? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(JsonElement parent, string name, string path, FieldErrors errors, int maxLength, bool required = false)
    {
        var at = Path(path, name);
        if (Get(parent, name) is not { } value)
        {
            if (required) errors.Add(at, $"{at} is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String) { errors.Add(at, $"{at} is a string."); return null; }
        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text)) { errors.Add(at, $"{at} must not be empty."); return null; }
        if (text.Length > maxLength) { errors.Add(at, $"{at} is longer than {maxLength} characters."); return null; }
        return text;
    }

    /// <summary>A whole number; values beyond int are clamped so the range check that follows reports them.</summary>
    public static int? Integer(JsonElement parent, string name, string path, FieldErrors errors, string unit)
    {
        var at = Path(path, name);
        if (Get(parent, name) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            errors.Add(at, $"{at} is a whole number of {unit}.");
            return null;
        }
        return (int)Math.Clamp(number, int.MinValue, int.MaxValue);
    }

    public static bool? Boolean(JsonElement parent, string name, string path, FieldErrors errors)
    {
        var at = Path(path, name);
        if (Get(parent, name) is not { } value) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors.Add(at, $"{at} is true or false.");
        return null;
    }

    /// <summary>A non-empty array of non-empty strings (ids or tags).</summary>
    public static IReadOnlyList<string>? StringList(JsonElement parent, string name, string path, FieldErrors errors, int maxLength, string what)
    {
        var at = Path(path, name);
        if (!parent.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array) { errors.Add(at, $"{at} is an array of {what}."); return null; }
        var list = new List<string>();
        var n = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                errors.Add($"{at}[{n}]", $"Each entry of {at} is a non-empty string.");
            else if (item.GetString()!.Length > maxLength)
                errors.Add($"{at}[{n}]", $"{at}[{n}] is longer than {maxLength} characters.");
            else list.Add(item.GetString()!);
            n++;
        }
        if (n == 0) errors.Add(at, $"{at} is empty; list at least one of the {what} (or leave the key out).");
        return list;
    }

    /// <summary>extras / custom_args: every value is delivered as a string (FCM data is strings only); objects and arrays as JSON text.</summary>
    public static Dictionary<string, string>? StringMap(JsonElement parent, string name, string path, FieldErrors errors)
    {
        var at = Path(path, name);
        if (Get(parent, name) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Object) { errors.Add(at, $"{at} is a JSON object of key/value pairs."); return null; }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name.Length is 0 or > 100) { errors.Add($"{at}.{property.Name}", "Keys are 1 to 100 characters."); continue; }
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => null,
                _ => property.Value.GetRawText(),
            };
            if (text is not null) map[property.Name] = text;
        }
        return map;
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> exactly (EngageLab's format), as a wall-clock time without zone.</summary>
    public static DateTime? Time(JsonElement parent, string name, string path, FieldErrors errors, bool required)
    {
        var at = Path(path, name);
        if (Get(parent, name) is not { } value)
        {
            if (required) errors.Add(at, $"{at} is required ({TimeFormat}).");
            return null;
        }
        if (value.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(value.GetString(), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        errors.Add(at, $"{at} is a time written {TimeFormat}, e.g. \"2025-12-28 09:00:00\".");
        return null;
    }

    public static string Format(DateTime time) => time.ToString(TimeFormat, CultureInfo.InvariantCulture);
}
