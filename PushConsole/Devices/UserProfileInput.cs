using System.Globalization;
using System.Text.Json;
using PushConsole.Api;

namespace PushConsole.Devices;

/// <summary>The profile fields a back-end sets: one user (<c>PUT /v4/users/{userId}</c>) or a row of a batch (<c>POST /v4/users/batch</c>).</summary>
public interface IUserProfileFields
{
    string? Email { get; }
    string? DisplayName { get; }
    string? Language { get; }
    string? TimeZone { get; }
    Dictionary<string, JsonElement>? Attributes { get; }
    List<string?>? Tags { get; }
}

/// <summary>
/// A profile that passed every check. Text fields: null = leave as it is, "" = clear. Attributes: a null value removes
/// the attribute; <see cref="Attributes"/> null leaves them all. Tags replace the user's tags when not null.
/// </summary>
public sealed record ValidProfile(string UserId, string? Email, string? DisplayName, string? Language, string? TimeZone,
    IReadOnlyDictionary<string, string?>? Attributes, IReadOnlyList<string>? Tags)
{
    /// <summary>The attribute as stored: its text, and its number when it reads as one (segments compare either).</summary>
    public static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : null;
}

/// <summary>The one set of checks for user profiles, so a batch row is held to exactly what <c>PUT /v4/users/{userId}</c> accepts.</summary>
public static class UserProfileInput
{
    public const int MaxEmail = 254;
    public const int MaxDisplayName = 200;
    public const int MaxAttributeValue = 500;

    /// <summary>Adds one error per bad field to <paramref name="errors"/>; returns the profile only when there was none.</summary>
    public static ValidProfile? Validate(FieldErrors errors, string? userId, IUserProfileFields body)
    {
        var before = errors.Count;
        var id = DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        var email = DeviceValidation.Text(errors, "email", body.Email, MaxEmail);
        if (!string.IsNullOrEmpty(email) && (email.IndexOf('@') is <= 0 || email.EndsWith('@') || email.Contains(' ')))
            errors.Add("email", "email is an address like name@example.com (or \"\" to clear it).");
        var displayName = DeviceValidation.Text(errors, "displayName", body.DisplayName, MaxDisplayName);
        var language = body.Language is "" ? "" : DeviceValidation.Language(errors, "language", body.Language);
        var timeZone = body.TimeZone is "" ? "" : DeviceValidation.TimeZone(errors, "timeZone", body.TimeZone);
        var attributes = Attributes(errors, body.Attributes);
        var tags = DeviceValidation.Tags(errors, "tags", body.Tags);
        return errors.Count > before ? null : new ValidProfile(id!, email, displayName, language, timeZone, attributes, tags);
    }

    private static Dictionary<string, string?>? Attributes(FieldErrors errors, Dictionary<string, JsonElement>? attributes)
    {
        if (attributes is null) return null;
        if (attributes.Count > Preferences.MaxAttributes) { errors.Add("attributes", $"At most {Preferences.MaxAttributes} attributes per request."); return null; }
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            var field = $"attributes.{DeviceValidation.Clip(name)}";
            if (!Preferences.IsKey(name)) { errors.Add(field, "An attribute name is 1 to 64 letters, digits, '_', '-' or '.'."); continue; }
            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) errors.Add(field, "An attribute is a string, a number, a boolean, or null to remove it.");
            else if (text is { Length: > MaxAttributeValue }) errors.Add(field, $"An attribute value is at most {MaxAttributeValue} characters.");
            else result[name] = text;
        }
        return result;
    }
}
