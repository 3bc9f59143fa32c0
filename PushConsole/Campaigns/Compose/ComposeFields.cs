using System.Text.RegularExpressions;

namespace PushConsole.Campaigns.Compose;

/// <summary>
/// Where the compose form shows each key the campaign-draft check can produce: every problem gets a place beside a field,
/// so the page never counts a problem it cannot show. The page passes its errors through <see cref="Place"/>.
/// </summary>
public static partial class ComposeFields
{
    /// <summary>Fields the form shows errors beside, as written in its <c>FieldError</c> components.</summary>
    public static readonly IReadOnlySet<string> Shown = new HashSet<string>(StringComparer.Ordinal)
    {
        "appId", "name", "testDevices", "audience", "audience.platforms",
        "message.defaultLanguage", "message.variants",
        "message.winner", "message.winner.mode", "message.winner.testPercent", "message.winner.waitMinutes", "message.winner.defaultVariant",
        "options.ttlSeconds", "options.priority", "options.collapseId", "options.category", "planId",
        "schedule.at", "schedule.localTime", "schedule.backupTime", "throttlePerMinute",
        "options.conversion.event", "options.conversion.withinSeconds",
    };

    /// <summary>The field the form shows <paramref name="key"/> beside, or null when it has no place (a defect the tests catch).</summary>
    public static string? FieldFor(string key)
    {
        if (Shown.Contains(key)) return key;
        switch (key)
        {
            case "audience.segment": return "audience";
            case "message.winner.chosenVariant": return "message.winner";
        }
        if (key.StartsWith("options.customData.", StringComparison.Ordinal)) return key;
        var content = ContentKey().Match(key);
        if (content.Success)
        {
            var path = content.Groups["path"].Value;
            return content.Groups["leaf"].Value switch
            {
                "" or ".body" or ".imageUrl" or ".link" => key,
                var leaf when leaf.StartsWith(".data.", StringComparison.Ordinal) => key,
                // the title has no error slot of its own: its language's content line shows it
                _ => path,
            };
        }
        // every problem of a variant's buttons shows under its buttons editor
        var actions = ActionsKey().Match(key);
        if (actions.Success) return actions.Groups["path"].Value;
        var overrides = OverridesKey().Match(key);
        if (overrides.Success)
            return overrides.Groups["leaf"].Value is "web.icon" or "web.url" ? key : "message.variants";
        return null;
    }

    /// <summary>
    /// Whether the form renders an error slot for <paramref name="field"/>: a fixed field of <see cref="Shown"/>, or one it
    /// renders per variant, language or data key (content line, body, image, link, data pairs, web overrides, custom data).
    /// </summary>
    public static bool IsShown(string field) => Shown.Contains(field) || FieldFor(field) == field || ActionsKey().Match(field) is { Success: true } m && m.Groups["path"].Value == field;

    /// <summary>The errors keyed by the field that shows them (messages of keys sharing a field are kept together).</summary>
    public static IReadOnlyDictionary<string, string[]> Place(IReadOnlyDictionary<string, string[]> errors) =>
        errors.GroupBy(e => FieldFor(e.Key) ?? e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).Distinct().ToArray(), StringComparer.Ordinal);

    [GeneratedRegex(@"^(?<path>message\.variants\[\d+\]\.content\.[^.]+)(?<leaf>(\..+)?)$")]
    private static partial Regex ContentKey();

    [GeneratedRegex(@"^(?<path>message\.variants\[\d+\]\.actions)(\[\d+\]\..+)?$")]
    private static partial Regex ActionsKey();

    [GeneratedRegex(@"^message\.variants\[\d+\]\.overrides\.(?<leaf>.+)$")]
    private static partial Regex OverridesKey();
}
