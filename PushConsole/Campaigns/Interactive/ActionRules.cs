using PushConsole.Api;
using PushConsole.Devices;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Interactive;

/// <summary>
/// The rules of action buttons, deep links and conversion goals, checked for every draft (compose, server API, schedules,
/// automations). Field names are campaign-model paths; the server API renames them (<c>PushErrors</c>).
/// </summary>
public static class ActionRules
{
    public const int MaxActions = 3;
    public const int MaxTitle = 100;
    public const int MaxUrl = 2000;

    /// <summary>Schemes that are neither https nor an app's own: they would open something else than the event's app or site.</summary>
    private static readonly HashSet<string> ForeignSchemes = new(StringComparer.OrdinalIgnoreCase)
        { "http", "javascript", "data", "file", "vbscript", "blob", "about", "ftp", "ws", "wss", "mailto", "tel", "sms", "intent", "content" };

    /// <summary>https://… or an app link (<c>app://session/42</c>, <c>devsummit://agenda</c>).</summary>
    public static bool IsLink(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxUrl || value.Any(char.IsWhiteSpace)) return false;
        var colon = value.IndexOf(':');
        if (colon < 1) return false;
        var scheme = value[..colon];
        if (!char.IsAsciiLetterLower(scheme[0]) || !scheme.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.')) return false;
        if (scheme == "https") return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0;
        return !ForeignSchemes.Contains(scheme) && value.Length > colon + 1;
    }

    public const string LinkMessage = "Give an https:// URL or an app link such as app://session/42 (no http, javascript or data URLs).";

    public static void Check(CampaignMessage message, DeliveryOptions options, FieldErrors errors)
    {
        for (var i = 0; i < message.Variants.Count; i++)
        {
            var variant = message.Variants[i];
            if (variant.IsControl) continue;
            var path = $"message.variants[{i}]";
            var ids = new HashSet<string>(StringComparer.Ordinal);
            if (variant.Actions is { } actions)
            {
                if (actions.Count > MaxActions) errors.Add($"{path}.actions", $"A push has at most {MaxActions} buttons; remove {actions.Count - MaxActions}.");
                for (var j = 0; j < actions.Count; j++)
                {
                    var action = actions[j];
                    var at = $"{path}.actions[{j}]";
                    if (action.Id is null || !ClientEventTypes.IsActionId(action.Id))
                        errors.Add($"{at}.id", "A button id is 1 to 32 lowercase letters, digits, '_' or '-' (it comes back as actionId on a click).");
                    else if (!ids.Add(action.Id)) errors.Add($"{at}.id", $"Another button already has the id \"{action.Id}\"; give each button its own id.");
                    if (string.IsNullOrWhiteSpace(action.Title)) errors.Add($"{at}.title", "Give the button a title (what the attendee reads).");
                    else if (action.Title.Length > MaxTitle) errors.Add($"{at}.title", $"Keep the title under {MaxTitle} characters.");
                    if (action.Url is not null && !IsLink(action.Url)) errors.Add($"{at}.url", LinkMessage);
                }
                if (actions.Count > 0 && options.PushType == Sending.Providers.PushType.Background)
                    errors.Add($"{path}.actions", "A background (data-only) push shows nothing, so it cannot carry buttons.");
            }
            foreach (var (language, content) in variant.Content)
            {
                var at = $"{path}.content.{language}";
                if (content.Link is not null && !IsLink(content.Link)) errors.Add($"{at}.link", LinkMessage);
                foreach (var (id, title) in content.ActionTitles ?? new Dictionary<string, string>())
                {
                    if (!ids.Contains(id))
                        errors.Add($"{at}.actionTitles.{id}", ids.Count == 0
                            ? $"The push has no buttons, so there is no \"{id}\" to translate."
                            : $"There is no button \"{id}\"; the buttons are {string.Join(", ", ids)}.");
                    else if (string.IsNullOrWhiteSpace(title) || title.Length > MaxTitle)
                        errors.Add($"{at}.actionTitles.{id}", $"A translated title is 1 to {MaxTitle} characters.");
                }
            }
        }
        if (options.Conversion is { } goal)
        {
            if (string.IsNullOrWhiteSpace(goal.Event) || goal.Event.Length > 100)
                errors.Add("options.conversion.event", "Name the event that counts as a conversion: a type such as session_checked_in, or a custom event's name.");
            if (goal.WithinSeconds is <= 0 or > ConversionGoal.MaxWithinSeconds)
                errors.Add("options.conversion.withinSeconds", $"The attribution window is 1 second to 30 days ({ConversionGoal.MaxWithinSeconds:N0} s).");
        }
    }
}
