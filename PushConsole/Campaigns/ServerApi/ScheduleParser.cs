using System.Text.Json;
using PushConsole.Api;
using static PushConsole.Campaigns.ServerApi.ServerApiJson;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>A <c>/v4/schedules</c> body read into the campaign model.</summary>
public sealed record ParsedSchedule(string? Name, bool Enabled, CampaignSchedule Schedule, ParsedPush Push);

/// <summary>
/// Reads <c>{name, enabled, trigger: {single: {time, zone_type}} | {intelligent: {backup_time}}, push}</c>.
/// zone_type 1: the time is UTC; 2: it is wall-clock time in each recipient's own zone.
/// </summary>
public static class ScheduleParser
{
    private static readonly string[] RootKeys = ["name", "enabled", "trigger", "push"];
    private static readonly string[] TriggerKeys = ["single", "intelligent"];
    private static readonly string[] SingleKeys = ["time", "zone_type"];
    private static readonly string[] IntelligentKeys = ["backup_time"];

    public static ParsedSchedule? Parse(JsonElement root, string defaultLanguage, FieldErrors errors)
    {
        if (!IsObject(root, "body", errors, "name, enabled, trigger, push")) return null;
        OnlyKnown(root, "", errors, RootKeys);
        var name = String(root, "name", "", errors, int.MaxValue);
        if (name is null && Get(root, "name") is null) errors.Add("name", "name is required (it is shown in the console and in GET /v4/schedules).");
        var enabled = Boolean(root, "enabled", "", errors) ?? true;
        var schedule = Trigger(root, errors);
        ParsedPush? push = null;
        if (Get(root, "push") is not { } pushElement) errors.Add("push", "push is required: the push object (to, body…) sent when the trigger fires.");
        else push = PushParser.Parse(pushElement, "push", defaultLanguage, errors);
        return errors.Any || schedule is null || push is null ? null : new ParsedSchedule(name, enabled, schedule, push);
    }

    private static CampaignSchedule? Trigger(JsonElement root, FieldErrors errors)
    {
        if (Get(root, "trigger") is not { } trigger)
        {
            errors.Add("trigger", "trigger is required: {\"single\": {\"time\": …, \"zone_type\": 1|2}} or {\"intelligent\": {\"backup_time\": …}}.");
            return null;
        }
        if (!IsObject(trigger, "trigger", errors, "single or intelligent")) return null;
        OnlyKnown(trigger, "trigger", errors, TriggerKeys,
            trigger.TryGetProperty("periodical", out _) ? "Repeating (periodical) triggers are not supported; create one schedule per send." : null);
        var single = Get(trigger, "single");
        var intelligent = Get(trigger, "intelligent");
        if (single is not null && intelligent is not null)
        {
            errors.Add("trigger", "Give one trigger: single or intelligent, not both.");
            return null;
        }
        if (single is { } s && IsObject(s, "trigger.single", errors, "time and zone_type"))
        {
            OnlyKnown(s, "trigger.single", errors, SingleKeys);
            var time = Time(s, "time", "trigger.single", errors, required: true);
            var zoneType = Integer(s, "zone_type", "trigger.single", errors, "(1 = UTC, 2 = each recipient's zone)") ?? 1;
            if (zoneType is not (1 or 2))
                errors.Add("trigger.single.zone_type", "zone_type is 1 (the time is UTC) or 2 (wall-clock time in each recipient's own time zone).");
            if (time is not { } t) return null;
            return zoneType == 2 ? new LocalTimeSchedule(t) : new AtSchedule(t);
        }
        if (intelligent is { } i && IsObject(i, "trigger.intelligent", errors, "backup_time"))
        {
            OnlyKnown(i, "trigger.intelligent", errors, IntelligentKeys);
            return new BestTimeSchedule(Time(i, "backup_time", "trigger.intelligent", errors, required: false));
        }
        if (single is null && intelligent is null) errors.Add("trigger", "trigger has single or intelligent.");
        return null;
    }
}
