using System.Text.Json;
using System.Text.Json.Nodes;

namespace PushConsole.Automations;

/// <summary>One step as the builder shows it: its own JSON (for a branch, its <c>if</c> rules) edited in place, and its arms.</summary>
public sealed class BuilderStep
{
    public required string Kind { get; init; }
    public string Path { get; set; } = "";
    /// <summary>How errors name it: <c>steps[2].then[0]</c>.</summary>
    public string ErrorPath { get; set; } = "";
    public int Depth { get; set; }
    public string Text { get; set; } = "{}";
    public List<string> Errors { get; } = [];
    public List<BuilderStep> Then { get; } = [];
    public List<BuilderStep> Else { get; } = [];
}

/// <summary>
/// The builder page's model: the automation as trigger → steps (branches nested), each part's JSON editable in place; it assembles
/// the API body, places the service's errors beside the step they name and previews push texts. The page only binds and lays out.
/// </summary>
public sealed class AutomationBuilder
{
    public static readonly string[] Kinds = ["delay", "wait_for", "branch", "push", "tag", "points"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public string Trigger { get; set; } = """{ "event": { "type": "custom", "name": "profile_shared" } }""";
    public string? Audience { get; set; }
    public string Reentry { get; set; } = "\"never\"";
    public string? ExitOn { get; set; }
    public List<BuilderStep> Steps { get; } = [];
    /// <summary>Errors that name no step (name, trigger, reentry…), by field.</summary>
    public Dictionary<string, List<string>> Other { get; } = [];

    public static AutomationBuilder FromJson(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        var b = new AutomationBuilder
        {
            Name = o["name"]?.GetValue<string>() ?? "",
            Enabled = o["enabled"]?.GetValue<bool>() ?? true,
            Trigger = Pretty(o["trigger"]) ?? "{}",
            Audience = Pretty(o["audience"]),
            Reentry = Pretty(o["reentry"]) ?? "\"never\"",
            ExitOn = Pretty(o["exit_on"]),
        };
        if (o["steps"] is JsonArray steps) b.Steps.AddRange(steps.Select(ReadStep));
        b.Renumber();
        return b;
    }

    private static BuilderStep ReadStep(JsonNode? node)
    {
        var (kind, value) = node is JsonObject o && o.Count == 1 ? (o.First().Key, o.First().Value) : ("delay", null);
        if (kind != "branch") return new BuilderStep { Kind = kind, Text = Pretty(value) ?? "{}" };
        var step = new BuilderStep { Kind = kind, Text = Pretty(value?["if"]) ?? EmptyRules };
        if (value?["then"] is JsonArray then) step.Then.AddRange(then.Select(ReadStep));
        if (value?["else"] is JsonArray @else) step.Else.AddRange(@else.Select(ReadStep));
        return step;
    }

    private const string EmptyRules = """{ "version": 1, "root": { "match": "all", "rules": [] } }""";

    private static string? Pretty(JsonNode? node) => node?.ToJsonString(Indented);

    /// <summary>A new step of a kind, with a sensible start.</summary>
    public static BuilderStep New(string kind) => kind switch
    {
        "delay" => new BuilderStep { Kind = kind, Text = """{ "seconds": 600 }""" },
        "wait_for" => new BuilderStep { Kind = kind, Text = """{ "event": { "type": "notification_opened" }, "timeout_seconds": 3600, "on_timeout": "continue" }""" },
        "branch" => new BuilderStep { Kind = kind, Text = """{ "version": 1, "root": { "match": "all", "rules": [ { "field": "tags", "operator": "has_any", "value": ["vip"] } ] } }""" },
        "push" => new BuilderStep { Kind = kind, Text = """{ "notification": { "alert": "Hi {{user.display_name | there}}!" } }""" },
        "tag" => new BuilderStep { Kind = kind, Text = """{ "add": ["engaged"] }""" },
        "points" => new BuilderStep { Kind = kind, Text = """{ "add": 10, "reason": "engaged" }""" },
        _ => throw new ArgumentException($"No step kind {kind}.", nameof(kind)),
    };

    public void Add(List<BuilderStep> list, string kind)
    {
        list.Add(New(kind));
        Renumber();
    }

    public bool Remove(BuilderStep step)
    {
        var removed = Remove(Steps, step);
        Renumber();
        return removed;
    }

    private static bool Remove(List<BuilderStep> list, BuilderStep step) =>
        list.Remove(step) || list.Any(s => Remove(s.Then, step) || Remove(s.Else, step));

    /// <summary>Every step, depth first, in the order the page lists them.</summary>
    public IEnumerable<BuilderStep> Flatten() => Flatten(Steps);

    private static IEnumerable<BuilderStep> Flatten(List<BuilderStep> steps) => steps.SelectMany(s => new[] { s }.Concat(Flatten(s.Then)).Concat(Flatten(s.Else)));

    private void Renumber() => Renumber(Steps, "", "steps", 0);

    private static void Renumber(List<BuilderStep> steps, string prefix, string errorPrefix, int depth)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            s.Path = prefix + i;
            s.ErrorPath = depth == 0 ? $"steps[{i}]" : $"{errorPrefix}[{i}]";
            s.Depth = depth;
            Renumber(s.Then, s.Path + ".then.", s.ErrorPath + ".then", depth + 1);
            Renumber(s.Else, s.Path + ".else.", s.ErrorPath + ".else", depth + 1);
        }
    }

    /// <summary>The API body; a part that is not JSON is reported beside it and sent as null (the service then names it too).</summary>
    public string ToJson()
    {
        foreach (var s in Flatten()) s.Errors.Clear();
        Other.Clear();
        var o = new JsonObject
        {
            ["name"] = Name, ["enabled"] = Enabled, ["trigger"] = Parse(Trigger, "trigger"), ["steps"] = StepsJson(Steps), ["reentry"] = Parse(Reentry, "reentry"),
        };
        if (!string.IsNullOrWhiteSpace(Audience)) o["audience"] = Parse(Audience, "audience");
        if (!string.IsNullOrWhiteSpace(ExitOn)) o["exit_on"] = Parse(ExitOn, "exit_on");
        return o.ToJsonString();
    }

    private JsonArray StepsJson(List<BuilderStep> steps) => new([.. steps.Select(s => (JsonNode)new JsonObject
    {
        [s.Kind] = s.Kind == "branch"
            ? new JsonObject { ["if"] = Parse(s.Text, s), ["then"] = StepsJson(s.Then), ["else"] = StepsJson(s.Else) }
            : Parse(s.Text, s),
    })]);

    private JsonNode? Parse(string text, object owner)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException e)
        {
            var message = $"Not valid JSON: {e.Message.Split(". ")[0]}.";
            if (owner is BuilderStep step) step.Errors.Add(message);
            else AddOther((string)owner, message);
            return null;
        }
    }

    private void AddOther(string field, string message)
    {
        if (!Other.TryGetValue(field, out var list)) Other[field] = list = [];
        list.Add(message);
    }

    /// <summary>Places each error beside the deepest step whose path it starts with (<c>steps[2].then[0].push…</c>); others by field.</summary>
    public void Apply(IReadOnlyDictionary<string, string[]> errors)
    {
        var steps = Flatten().OrderByDescending(s => s.ErrorPath.Length).ToList();
        foreach (var (field, messages) in errors)
        {
            var step = steps.FirstOrDefault(s => field == s.ErrorPath || field.StartsWith(s.ErrorPath, StringComparison.Ordinal) && field[s.ErrorPath.Length] is '.' or '[');
            foreach (var m in messages)
                if (step is not null) step.Errors.Add(field == step.ErrorPath ? m : $"{field[step.ErrorPath.Length..].TrimStart('.')}: {m}");
                else AddOther(field.Split('.', '[')[0], m);
        }
    }

    public bool HasErrors => Other.Count > 0 || Flatten().Any(s => s.Errors.Count > 0);

    /// <summary>A push step's text as a sample attendee would read it (title, body), tokens filled with sample values.</summary>
    public static (string? Title, string Body)? Preview(BuilderStep step)
    {
        if (step.Kind != "push") return null;
        try
        {
            var body = JsonNode.Parse(step.Text);
            var alert = body?["notification"]?["alert"]?.GetValue<string>() ?? body?["message"]?["msg_content"]?.GetValue<string>();
            var title = body?["notification"]?["ios"]?["alert"]?["title"]?.GetValue<string>() ?? body?["notification"]?["android"]?["title"]?.GetValue<string>();
            if (alert is null) return null;
            return (title is null ? null : AutomationTokens.Render(title, Sample), AutomationTokens.Render(alert, Sample));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return null; }
    }

    public static readonly TokenValues Sample = new()
    {
        DisplayName = "Ada Lovelace", UserId = "attendee-0042", Language = "en",
        Attributes = new Dictionary<string, string> { ["company"] = "Analytical Engines" },
        EventName = "profile_shared", EventProperties = new Dictionary<string, string> { ["by"] = "Grace Hopper", ["kind"] = "linkedin" }, GeofenceId = "venue",
        Session = new Dictionary<string, string> { ["title"] = "Keynote", ["room"] = "Hall A", ["track"] = "track-ai", ["starts_at"] = "Thu 11 Jun 10:00" },
        SuggestedSession = new Dictionary<string, string> { ["title"] = "Scaling push", ["room"] = "Hall B", ["track"] = "track-cloud", ["starts_at"] = "Thu 11 Jun 14:00" },
    };

    /// <summary>What the page says before saving changes to an automation with runs in flight.</summary>
    public static string InFlightWarning(long active) =>
        $"{active} run{(active == 1 ? " is" : "s are")} in flight. Saving keeps them: each goes on at the same step path if it still exists " +
        "(with the new content), and completes if its step was removed. New runs follow the new version.";
}
