using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PushConsole.Api;
using PushConsole.Audience;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Devices;
using static PushConsole.Campaigns.ServerApi.ServerApiJson;

namespace PushConsole.Automations;

/// <summary>The parsed request: name, enabled and the definition (null when there were errors).</summary>
public sealed record AutomationInput(string? Name, bool? Enabled, AutomationDefinition? Definition, string DefinitionJson);

/// <summary>
/// Reads <c>/v4/automations</c> bodies (snake_case, see API.md). Shape and limits are checked here, every problem named by its
/// path (<c>steps[2].then[0].push.notification.alert</c>); what needs the database (segments of the app) is checked by the service.
/// </summary>
public static class AutomationParser
{
    public const int MaxSteps = 50, MaxDepth = 5;
    public const long MaxSeconds = 90L * 24 * 3600;
    private static readonly string[] RootKeys = ["name", "enabled", "trigger", "audience", "steps", "reentry", "exit_on"];
    private static readonly string[] DefinitionKeys = ["trigger", "audience", "steps", "reentry", "exit_on"];
    private static readonly string[] EventKeys = ["type", "name", "where", "geofence_id", "session_id", "action_id"];
    private static readonly string[] TriggerTypes =
        [.. ClientEventTypes.All, ClientEventTypes.SessionCheckedIn, ClientEventTypes.SessionFavorited, ClientEventTypes.ChallengeCompleted];

    public static AutomationInput Parse(JsonElement root, string defaultLanguage, FieldErrors errors, bool partial = false)
    {
        if (!IsObject(root, "body", errors, "name, enabled, trigger, audience, steps, reentry, exit_on"))
            return new AutomationInput(null, null, null, "{}");
        OnlyKnown(root, "", errors, RootKeys);
        var name = String(root, "name", "", errors, AutomationConfiguration.MaxName, required: !partial)?.Trim();
        if (name is { Length: 0 }) errors.Add("name", "Give the automation a name, e.g. \"Welcome at the venue\".");
        var enabled = Boolean(root, "enabled", "", errors);
        if (partial && Get(root, "trigger") is null && Get(root, "steps") is null) return new AutomationInput(name, enabled, null, "");

        var trigger = Trigger(root, errors);
        SegmentRules? audience = null;
        if (Get(root, "audience") is { ValueKind: not JsonValueKind.Null } a) audience = RulesJson.Read(a, errors, "audience");
        var count = 0;
        var steps = Get(root, "steps") is { } s ? Steps(s, "steps", "", 1, defaultLanguage, errors, ref count) : Required<IReadOnlyList<AutomationStep>>(errors, "steps", []);
        if (count > MaxSteps) errors.Add("steps", $"An automation has at most {MaxSteps} steps (branches included); this one has {count}.");
        long? cooldown = null;
        var never = true;
        switch (Get(root, "reentry"))
        {
            case null or { ValueKind: JsonValueKind.Null }: break;
            case { ValueKind: JsonValueKind.String } r when r.GetString() == "never": break;
            case { ValueKind: JsonValueKind.Object } r:
                OnlyKnown(r, "reentry", errors, ["cooldown_seconds"]);
                cooldown = Seconds(r, "cooldown_seconds", "reentry", errors, required: true);
                never = false;
                break;
            default: errors.Add("reentry", "reentry is \"never\" or {\"cooldown_seconds\": 21600}."); break;
        }
        var exits = new List<EventMatch>();
        if (Get(root, "exit_on") is { ValueKind: not JsonValueKind.Null } e)
        {
            if (e.ValueKind != JsonValueKind.Array) errors.Add("exit_on", "exit_on is a list of events: [{\"type\": \"custom\", \"name\": \"left_event\"}].");
            else
            {
                var i = 0;
                foreach (var item in e.EnumerateArray()) if (Event(item, $"exit_on[{i++}]", errors) is { } m) exits.Add(m);
            }
        }
        // the stored definition is the body without name and enabled (those are columns)
        var node = JsonNode.Parse(root.GetRawText())!.AsObject();
        var kept = new JsonObject();
        foreach (var key in DefinitionKeys) if (node[key] is { } value) kept[key] = value.DeepClone();
        var definition = errors.Any || trigger is null ? null : new AutomationDefinition(trigger, audience, steps, cooldown, never, exits);
        return new AutomationInput(name, enabled, definition, kept.ToJsonString());
    }

    /// <summary>Reads a stored definition (valid when saved).</summary>
    public static AutomationDefinition Read(string json, string defaultLanguage)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrors();
        var parsed = Parse(doc.RootElement, defaultLanguage, errors, partial: true);
        errors.ThrowIfAny();
        return parsed.Definition!;
    }

    private static T Required<T>(FieldErrors errors, string path, T value)
    {
        errors.Add(path, "steps is required: a list of delay, wait_for, branch, push, tag and points steps.");
        return value;
    }

    private static AutomationTrigger? Trigger(JsonElement root, FieldErrors errors)
    {
        const string Expected = "trigger is one of {\"event\": {…}}, {\"inactivity\": {\"seconds\": …}}, {\"segment_entry\": {\"segment\": \"12\"}}, {\"schedule\": {\"cron\": \"0 9 * * *\"}}.";
        if (Get(root, "trigger") is not { ValueKind: JsonValueKind.Object } t || t.EnumerateObject().Count() != 1)
        {
            errors.Add("trigger", Expected);
            return null;
        }
        var kind = t.EnumerateObject().First();
        var at = "trigger." + kind.Name;
        switch (kind.Name)
        {
            case "event":
                return Event(kind.Value, at, errors, TriggerTypes) is { } m ? new AutomationTrigger(TriggerKind.Event) { Event = m } : null;
            case "inactivity":
                if (!IsObject(kind.Value, at, errors, "seconds")) return null;
                OnlyKnown(kind.Value, at, errors, ["seconds"]);
                var seconds = Seconds(kind.Value, "seconds", at, errors, required: true);
                if (seconds is 0) errors.Add(at + ".seconds", "Inactivity is at least 1 second without a session_start.");
                return new AutomationTrigger(TriggerKind.Inactivity) { InactivitySeconds = seconds ?? 0 };
            case "segment_entry":
                if (!IsObject(kind.Value, at, errors, "segment")) return null;
                OnlyKnown(kind.Value, at, errors, ["segment"]);
                var segment = Get(kind.Value, "segment");
                if (segment is { ValueKind: JsonValueKind.String } sv && long.TryParse(sv.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                    || segment is { ValueKind: JsonValueKind.Number } nv && nv.TryGetInt64(out id) && id > 0)
                    return new AutomationTrigger(TriggerKind.SegmentEntry) { SegmentId = id };
                errors.Add(at + ".segment", "segment is the id of one of the app's saved segments (\"12\"); GET /v4/segments lists them.");
                return null;
            case "schedule":
                if (!IsObject(kind.Value, at, errors, "cron, time_zone")) return null;
                OnlyKnown(kind.Value, at, errors, ["cron", "time_zone"]);
                var cron = String(kind.Value, "cron", at, errors, 100, required: true);
                var zone = String(kind.Value, "time_zone", at, errors, 64) ?? "UTC";
                if (cron is not null && AutomationSchedule.TryParse(cron) is null)
                    errors.Add(at + ".cron", "cron is five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * *\" (09:00 every day).");
                if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) errors.Add(at + ".time_zone", "time_zone is an IANA zone such as \"Europe/Paris\".");
                return new AutomationTrigger(TriggerKind.Schedule) { Cron = cron, TimeZone = zone };
            default:
                errors.Add("trigger", $"\"{kind.Name}\" is not a trigger. {Expected}");
                return null;
        }
    }

    private static EventMatch? Event(JsonElement e, string path, FieldErrors errors, IReadOnlyList<string>? types = null)
    {
        types ??= TriggerTypes;
        if (!IsObject(e, path, errors, "type, name, where, geofence_id")) return null;
        OnlyKnown(e, path, errors, EventKeys);
        var type = String(e, "type", path, errors, 30, required: true);
        if (type is not null && !types.Contains(type)) { errors.Add(path + ".type", $"type is one of {string.Join(", ", types)}."); return null; }
        var name = String(e, "name", path, errors, 100);
        if (type == ClientEventTypes.Custom && string.IsNullOrEmpty(name)) errors.Add(path + ".name", "A custom event is matched by its name, e.g. \"profile_shared\".");
        var geofence = String(e, "geofence_id", path, errors, 64);
        if (geofence is not null && type is not (ClientEventTypes.GeofenceEntered or ClientEventTypes.GeofenceExited or ClientEventTypes.GeofenceDwelled))
            errors.Add(path + ".geofence_id", "geofence_id filters geofence_entered, geofence_exited and geofence_dwelled events only.");
        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(e, "where") is { ValueKind: not JsonValueKind.Null } w)
        {
            if (w.ValueKind != JsonValueKind.Object) errors.Add(path + ".where", "where is an object of property → value (string, number or boolean), e.g. {\"kind\": \"linkedin\"}.");
            else
                foreach (var p in w.EnumerateObject())
                    if (EventMatch.PropertyText(p.Value) is { } text) where[p.Name] = text;
                    else errors.Add($"{path}.where.{p.Name}", "Compare with a string, number or boolean.");
        }
        return type is null ? null : new EventMatch(type)
        {
            Name = name, GeofenceId = geofence, SessionId = String(e, "session_id", path, errors, 100), ActionId = String(e, "action_id", path, errors, 32), Where = where,
        };
    }

    private static long? Seconds(JsonElement parent, string name, string path, FieldErrors errors, bool required)
    {
        var at = Path(path, name);
        if (Get(parent, name) is not { } value) { if (required) errors.Add(at, $"{name} is required (0 to {MaxSeconds} seconds, i.e. 90 days)."); return null; }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds < 0 || seconds > MaxSeconds)
        {
            errors.Add(at, $"{name} is a whole number of seconds from 0 to {MaxSeconds} (90 days).");
            return null;
        }
        return seconds;
    }

    private static IReadOnlyList<AutomationStep> Steps(JsonElement list, string path, string pathPrefix, int depth, string language, FieldErrors errors, ref int count)
    {
        var result = new List<AutomationStep>();
        if (list.ValueKind != JsonValueKind.Array) { errors.Add(path, "A list of steps: [{\"delay\": …}, {\"push\": …}]."); return result; }
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            count++;
            var at = $"{path}[{i}]";
            var stepPath = pathPrefix + i.ToString(CultureInfo.InvariantCulture);
            i++;
            if (item.ValueKind != JsonValueKind.Object || item.EnumerateObject().Count() != 1)
            {
                errors.Add(at, "A step is an object with one key: delay, wait_for, branch, push, tag or points.");
                continue;
            }
            var kind = item.EnumerateObject().First();
            var where = $"{at}.{kind.Name}";
            var v = kind.Value;
            AutomationStep? step = null;
            switch (kind.Name)
            {
                case "delay":
                    if (!IsObject(v, where, errors, "seconds")) break;
                    OnlyKnown(v, where, errors, ["seconds"]);
                    step = Seconds(v, "seconds", where, errors, required: true) is { } d ? new DelayStep(d) { Path = stepPath } : null;
                    break;
                case "wait_for":
                    if (!IsObject(v, where, errors, "event, timeout_seconds, on_timeout")) break;
                    OnlyKnown(v, where, errors, ["event", "timeout_seconds", "on_timeout"]);
                    var match = Get(v, "event") is { } ev ? Event(ev, where + ".event", errors) : null;
                    if (Get(v, "event") is null) errors.Add(where + ".event", "wait_for names the event to wait for: {\"type\": \"notification_opened\"}.");
                    var timeout = Seconds(v, "timeout_seconds", where, errors, required: true);
                    var onTimeout = String(v, "on_timeout", where, errors, 20) ?? "continue";
                    if (onTimeout is not ("continue" or "exit")) errors.Add(where + ".on_timeout", "on_timeout is \"continue\" or \"exit\".");
                    if (match is not null && timeout is not null) step = new WaitStep(match, timeout.Value, onTimeout == "exit") { Path = stepPath };
                    break;
                case "branch":
                    if (!IsObject(v, where, errors, "if, then, else")) break;
                    OnlyKnown(v, where, errors, ["if", "then", "else"]);
                    if (depth > MaxDepth) { errors.Add(where, $"Branches nest at most {MaxDepth} deep."); break; }
                    var rules = Get(v, "if") is { } r ? RulesJson.Read(r, errors, where + ".if") : null;
                    if (Get(v, "if") is null) errors.Add(where + ".if", "if holds segment rules: {\"version\": 1, \"root\": {\"match\": \"all\", \"rules\": […]}}.");
                    if (rules is not null) SegmentValidation.Validate(rules, errors, where + ".if");
                    var then = Get(v, "then") is { } t ? Steps(t, at + ".then", stepPath + ".then.", depth + 1, language, errors, ref count) : [];
                    var @else = Get(v, "else") is { } el ? Steps(el, at + ".else", stepPath + ".else.", depth + 1, language, errors, ref count) : [];
                    if (rules is not null) step = new BranchStep(rules, then, @else) { Path = stepPath };
                    break;
                case "push":
                    step = Push(v, where, stepPath, language, errors);
                    break;
                case "tag":
                    if (!IsObject(v, where, errors, "add, remove")) break;
                    OnlyKnown(v, where, errors, ["add", "remove"]);
                    var add = StringList(v, "add", where, errors, InstallationTagConfiguration.MaxTag, "tags") ?? [];
                    var remove = StringList(v, "remove", where, errors, InstallationTagConfiguration.MaxTag, "tags") ?? [];
                    if (add.Count + remove.Count == 0) errors.Add(where, "A tag step adds or removes at least one tag: {\"add\": [\"welcomed\"]}.");
                    step = new TagStep(add, remove) { Path = stepPath };
                    break;
                case "points":
                    if (!IsObject(v, where, errors, "add, reason")) break;
                    OnlyKnown(v, where, errors, ["add", "reason"]);
                    var points = Integer(v, "add", where, errors, "points");
                    if (points is null or < 1 or > 1_000_000) errors.Add(where + ".add", "add is the points to award, 1 to 1,000,000.");
                    var reason = String(v, "reason", where, errors, 200, required: true);
                    if (points is > 0 and <= 1_000_000 && reason is not null) step = new PointsStep(points.Value, reason) { Path = stepPath };
                    break;
                default:
                    errors.Add(at, $"\"{kind.Name}\" is not a step; use delay, wait_for, branch, push, tag or points.");
                    break;
            }
            if (step is not null) result.Add(step);
        }
        return result;
    }

    /// <summary>The push body as <c>/v4/push</c> takes it (platform, notification or message, options), plus an optional consent category.</summary>
    private static PushStep? Push(JsonElement v, string where, string stepPath, string language, FieldErrors errors)
    {
        if (!IsObject(v, where, errors, "platform, notification or message, options, category")) return null;
        var body = JsonNode.Parse(v.GetRawText())!.AsObject();
        string? category = null;
        if (body["category"] is { } c)
        {
            if (c.GetValueKind() != JsonValueKind.String) errors.Add(where + ".category", "category is one of the app's consent categories, e.g. \"networking\".");
            else category = c.GetValue<string>();
            body.Remove("category");
        }
        var bodyJson = body.ToJsonString();
        var usesSuggestion = false;
        AutomationTokens.Validate(v, where, errors, ref usesSuggestion);
        // the same parser as /v4/push reads it, wrapped as a push to everyone; its paths "body.x" become "<step>.push.x"
        using var wrapped = JsonDocument.Parse($"{{\"to\":\"all\",\"body\":{bodyJson}}}");
        var found = new FieldErrors();
        var parsed = PushParser.Parse(wrapped.RootElement, "", language, found);
        foreach (var (field, messages) in found.ToDictionary())
            foreach (var message in messages) errors.Add(Rename(field, where), message.Replace("body.", "push.", StringComparison.Ordinal));
        return parsed is null ? null : new PushStep(bodyJson, category, parsed, usesSuggestion) { Path = stepPath };
    }

    /// <summary><c>body.notification.alert</c> of the wrapped push → <c>steps[2].push.notification.alert</c>.</summary>
    public static string Rename(string field, string where) =>
        field == "body" ? where : field.StartsWith("body.", StringComparison.Ordinal) ? where + field[4..] : $"{where}.{field}";
}
