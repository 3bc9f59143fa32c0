using System.Text.RegularExpressions;
using PushConsole.Api;

namespace PushConsole.Devices;

/// <summary>Checks of consent categories and user attributes, shared by the client and server APIs.</summary>
public static partial class Preferences
{
    public const int MaxCategories = 50;
    public const int MaxAttributes = 100;

    public static IReadOnlyDictionary<string, bool>? Categories(FieldErrors errors, IReadOnlyDictionary<string, bool>? categories)
    {
        if (categories is null) return null;
        if (categories.Count > MaxCategories) { errors.Add("categories", $"At most {MaxCategories} categories are allowed."); return null; }
        foreach (var name in categories.Keys)
            if (!Key().IsMatch(name))
                errors.Add($"categories.{DeviceValidation.Clip(name)}", "A category is 1 to 64 letters, digits, '_', '-' or '.', e.g. program_changes.");
        return categories;
    }

    public static bool IsKey(string name) => Key().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex Key();
}
