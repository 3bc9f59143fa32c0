using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PushConsole.Api;

/// <summary>
/// The one rule for every request body of every API: a member the endpoint does not know, or a key given twice, is a 400
/// naming it (a misspelt <c>consnet</c> must not silently drop an opt-out). Bound bodies get it from the serializer options,
/// hand-read bodies (<c>/v4</c>) from <see cref="DocumentOptions"/> and their own known-field lists.
/// </summary>
public static partial class StrictJson
{
    /// <summary>Options for bodies read with <see cref="JsonDocument"/>: duplicate keys refused.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static void Apply(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new NoControlCharacters());
    }

    public const string ControlCharacterMessage = "Remove the control characters (only line breaks and tabs are allowed in text).";

    /// <summary>True when <paramref name="text"/> holds a control character other than tab, line feed or carriage return.</summary>
    public static bool HasControlCharacters(string text) => text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));

    /// <summary>Every string of every bound body: escape sequences, NULs and the like never reach storage, logs or headers.</summary>
    private sealed class NoControlCharacters : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException();
            var text = reader.GetString()!;
            return HasControlCharacters(text) ? throw new JsonException(ControlCharacterMessage) : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>The caller's field path of a serializer error (<c>$.webPush.keys</c> → <c>webPush.keys</c>), or <c>body</c>.</summary>
    public static string FieldOf(string? path)
    {
        var field = string.IsNullOrEmpty(path) ? "" : path.TrimStart('$', '.');
        return field.Length == 0 ? "body" : field;
    }

    /// <summary>The field and message of an unknown-member or duplicate-key error; null for any other JSON error.</summary>
    public static (string Field, string Message)? Describe(JsonException json)
    {
        if (Unmapped().Match(json.Message) is { Success: true } unknown)
        {
            var name = unknown.Groups[1].Value;
            var parent = FieldOf(json.Path);
            // the serializer's path may already end at the unknown member
            var field = parent == "body" ? name : parent.EndsWith(name, StringComparison.Ordinal) ? parent : $"{parent}.{name}";
            return (field, $"\"{name}\" is not a field of this request; remove it or fix its spelling (see /openapi/v1.json).");
        }
        if (Duplicate().Match(json.Message) is { Success: true } duplicate)
        {
            var name = duplicate.Groups[1].Value;
            var parent = FieldOf(json.Path);
            var field = parent == "body" ? name : parent.EndsWith(name, StringComparison.Ordinal) ? parent : $"{parent}.{name}";
            return (field, $"\"{name}\" is given more than once; send each key once.");
        }
        if (json.Message.StartsWith(ControlCharacterMessage, StringComparison.Ordinal)) return (FieldOf(json.Path), ControlCharacterMessage);
        return null;
    }

    [GeneratedRegex("""property '([^']*)' could not be mapped""")]
    private static partial Regex Unmapped();

    [GeneratedRegex("""[Dd]uplicate property '([^']*)'""")]
    private static partial Regex Duplicate();
}
