using PushConsole.Campaigns.Compose;

namespace PushConsole.Campaigns.Interactive;

/// <summary>What compose says about a push's iOS category: suggestions from the app's categories, a warning, and the buttons to fill from one.</summary>
public static class IosCategoryHints
{
    /// <summary>The app's category ids containing the typed text, those starting with it first.</summary>
    public static IEnumerable<string> Suggest(string? text, IReadOnlyList<IosCategoryView> categories, int max = 20)
    {
        var typed = text?.Trim() ?? "";
        return categories.Select(c => c.Id).Where(id => typed.Length == 0 || id.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(id => id.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(id => id, StringComparer.Ordinal).Take(max);
    }

    /// <summary>The registered category with exactly this id (iOS matches ids exactly).</summary>
    public static IosCategoryView? Find(string? category, IReadOnlyList<IosCategoryView> categories) =>
        string.IsNullOrWhiteSpace(category) ? null : categories.FirstOrDefault(c => c.Id == category.Trim());

    /// <summary>Whether the push's buttons are the category's (same ids and titles, in order).</summary>
    public static bool Matches(IosCategoryView category, IReadOnlyList<ActionForm> actions) =>
        category.Actions.Count == actions.Count
        && category.Actions.Zip(actions).All(p => p.First.Id == p.Second.Id?.Trim() && p.First.Title == p.Second.Title?.Trim());

    /// <summary>Null when there is nothing to say; a warning never stops the send (an app may register a category at runtime).</summary>
    public static string? Warning(string? category, IReadOnlyList<IosCategoryView> categories, IReadOnlyList<ActionForm> actions)
    {
        if (string.IsNullOrWhiteSpace(category)) return null;
        var id = category.Trim();
        if (Find(id, categories) is not { } known)
            return $"{id} is not one of this app's iOS categories (see the app page). iOS shows the buttons only if the app registers {id}, " +
                   "e.g. at runtime; the push is sent anyway.";
        if (known.Actions.Select(a => a.Id).SequenceEqual(actions.Select(a => a.Id?.Trim() ?? ""), StringComparer.Ordinal)) return null;
        return $"On iOS, {id} shows its own buttons ({string.Join(", ", known.Actions.Select(a => a.Id))}), and a tap reports their ids; " +
               (actions.Count == 0 ? "this push has no buttons" : $"this push's are {string.Join(", ", actions.Select(a => a.Id))}") + ". Use the category's buttons to match.";
    }

    /// <summary>The variant's buttons become the category's: ids and titles from it, links kept for ids it already had, translations of dropped ids removed.</summary>
    public static void Fill(VariantForm variant, IosCategoryView category)
    {
        var before = variant.Actions.GroupBy(a => a.Id?.Trim() ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        variant.Actions = [.. category.Actions.Select(a => new ActionForm { Id = a.Id, Title = a.Title, Url = before.GetValueOrDefault(a.Id)?.Url })];
        var kept = category.Actions.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var content in variant.Content.Values)
            foreach (var id in content.ActionTitles.Keys.Where(k => !kept.Contains(k)).ToList()) content.ActionTitles.Remove(id);
        variant.IosCategory = category.Id;
    }
}
