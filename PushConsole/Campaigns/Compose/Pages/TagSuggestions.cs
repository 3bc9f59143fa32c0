namespace PushConsole.Campaigns.Compose.Pages;

/// <summary>Suggestions for a comma-separated tag list: the last tag being typed is completed, the ones before it kept.</summary>
public static class TagSuggestions
{
    public static IEnumerable<string> For(string? text, IReadOnlyList<string> tags, int max = 20)
    {
        var parts = (text ?? "").Split(',').Select(p => p.Trim()).ToList();
        var typing = parts[^1];
        var before = parts.Take(parts.Count - 1).Where(p => p.Length > 0).ToList();
        var prefix = before.Count == 0 ? "" : string.Join(", ", before) + ", ";
        return tags.Where(t => !before.Contains(t, StringComparer.Ordinal))
            .Where(t => typing.Length == 0 || t.Contains(typing, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.StartsWith(typing, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(t => t, StringComparer.Ordinal)
            .Take(max).Select(t => prefix + t);
    }

    /// <summary>Typed tags no device or user of the app carries (tags match exactly, so a typo targets nobody).</summary>
    public static IReadOnlyList<string> Unknown(string? text, IReadOnlyList<string> tags) =>
        [.. (text ?? "").Split(',').Select(p => p.Trim()).Where(p => p.Length > 0 && !tags.Contains(p, StringComparer.Ordinal)).Distinct()];
}
