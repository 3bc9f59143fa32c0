using System.Text.RegularExpressions;
using PushConsole.Api;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>
/// Names <see cref="CampaignService"/>'s findings by the caller's own EngageLab field paths
/// (<c>options.ttlSeconds</c> → <c>body.options.time_to_live</c>, <c>planId</c> → <c>body.options.plan_id</c>…).
/// </summary>
public static partial class PushErrors
{
    /// <summary>Runs a service call; bad input and conflicts come back named by the caller's own paths.</summary>
    public static async Task<T> NamedAsync<T>(ParsedPush push, Func<Task<T>> call)
    {
        try { return await call(); }
        catch (BadInputException e) { throw Remap(e, push); }
        catch (ConflictException e) when (e.Field == "status") { throw new ConflictException("schedule_id", e.Message); }
    }

    public static BadInputException Remap(BadInputException e, ParsedPush push)
    {
        var named = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (field, messages) in e.Errors)
        {
            var path = PathOf(field, push);
            if (!named.TryGetValue(path, out var list)) named[path] = list = [];
            list.AddRange(messages);
        }
        return new BadInputException(named.ToDictionary(x => x.Key, x => x.Value.ToArray()));
    }

    public static string PathOf(string field, ParsedPush push)
    {
        var p = push.Prefix.Length == 0 ? "" : push.Prefix + ".";
        var background = push.Options.PushType == Sending.Providers.PushType.Background;
        switch (field)
        {
            case "name": return "name";
            case "audience": return p + "to";
            case "audience.segment": return p + "to.segment";
            case "planId": return p + "body.options.plan_id";
            case "throttlePerMinute": return p + "body.options.throttle_per_minute";
            case "options.ttlSeconds": return p + "body.options.time_to_live";
            case "options.collapseId": return p + "body.options.collapse_id";
            case "options.customData": return p + "custom_args";
            case "options.priority": return p + "body.options.priority";
            case "options.conversion.event": return p + "body.options.conversion.event";
            case "options.conversion.withinSeconds": return p + "body.options.conversion.within_seconds";
            case "schedule.at" or "schedule.localTime": return "trigger.single.time";
            case "schedule.backupTime": return "trigger.intelligent.backup_time";
            case "message.variants" or "message.defaultLanguage": return p + (background ? "body.message" : "body.notification");
        }
        if (field.StartsWith("options.customData.", StringComparison.Ordinal)) return p + "custom_args." + field["options.customData.".Length..];
        var match = VariantField().Match(field);
        if (!match.Success) return p + field;
        var rest = match.Groups["rest"].Value;
        if (rest.StartsWith("overrides.", StringComparison.Ordinal))
            return p + "body.notification." + rest["overrides.".Length..].Replace(".data.", ".extras.", StringComparison.Ordinal);
        if (rest.StartsWith("actions", StringComparison.Ordinal)) return p + "body.notification." + rest;
        var content = ContentField().Match(rest);
        if (!content.Success) return p + (background ? "body.message" : "body.notification");
        var language = content.Groups["language"].Value;
        var leaf = content.Groups["leaf"].Value;
        if (background) return p + "body.message" + (leaf.StartsWith(".data.", StringComparison.Ordinal) ? ".extras." + leaf[".data.".Length..] : "");
        var translated = push.Translations.Contains(language);
        if (leaf == ".link") return p + "body.notification.url";
        if (leaf.StartsWith(".actionTitles.", StringComparison.Ordinal))
            return p + (translated ? $"body.options.multi_language.{language}.actions.{leaf[".actionTitles.".Length..]}" : "body.notification.actions");
        var root = translated ? $"body.options.multi_language.{language}" : "body.notification";
        return p + root + (leaf is ".body" ? ".alert" : leaf is ".title" && translated ? ".title" : "");
    }

    [GeneratedRegex(@"^message\.variants\[\d+\]\.(?<rest>.+)$")]
    private static partial Regex VariantField();

    [GeneratedRegex(@"^content\.(?<language>[^.]+)(?<leaf>\..+)?$")]
    private static partial Regex ContentField();
}
