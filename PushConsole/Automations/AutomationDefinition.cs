using System.Text.Json;
using PushConsole.Audience;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Devices;

namespace PushConsole.Automations;

/// <summary>What a trigger, a wait or an exit listens for: a type, and for custom events a name, plus equality filters.</summary>
public sealed record EventMatch(string Type)
{
    public string? Name { get; init; }
    public string? GeofenceId { get; init; }
    public string? SessionId { get; init; }
    public string? ActionId { get; init; }
    /// <summary>Property name → expected value (compared as text: "linkedin", "3", "true").</summary>
    public IReadOnlyDictionary<string, string> Where { get; init; } = new Dictionary<string, string>();

    public bool Matches(StoredClientEvent e) => Matches(e, new EventProperties(e.Properties));

    /// <summary>As <see cref="Matches(StoredClientEvent)"/>, reading the properties through a parse shared by every match of the event.</summary>
    public bool Matches(StoredClientEvent e, EventProperties properties)
    {
        if (e.Type != Type) return false;
        if (Name is not null && e.Name != Name) return false;
        if (GeofenceId is not null && e.GeofenceId != GeofenceId) return false;
        if (SessionId is not null && e.SessionId != SessionId) return false;
        if (ActionId is not null && e.ActionId != ActionId) return false;
        if (Where.Count == 0) return true;
        foreach (var (key, expected) in Where)
            if (properties.Text(key) != expected) return false;
        return true;
    }

    public static string? PropertyText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}

/// <summary>An event's <c>properties</c> as filters compare them (scalars as text), parsed on first use and then shared.</summary>
public sealed class EventProperties(string? json)
{
    private Dictionary<string, string?>? _values;

    /// <summary>The property's value as text ("linkedin", "3", "true"); null when absent, null or not a scalar.</summary>
    public string? Text(string name)
    {
        if (json is null) return null;
        if (_values is null)
        {
            _values = new Dictionary<string, string?>(StringComparer.Ordinal);
            using var doc = JsonDocument.Parse(json);
            // the last of repeated names wins, as JsonElement.TryGetProperty reads it
            foreach (var p in doc.RootElement.EnumerateObject()) _values[p.Name] = EventMatch.PropertyText(p.Value);
        }
        return _values.GetValueOrDefault(name);
    }
}

public enum TriggerKind { Event, Inactivity, SegmentEntry, Schedule }

public sealed record AutomationTrigger(TriggerKind Kind)
{
    public EventMatch? Event { get; init; }
    public long InactivitySeconds { get; init; }
    public long SegmentId { get; init; }
    public string? Cron { get; init; }
    public string TimeZone { get; init; } = "UTC";

    public string KindName => Kind switch
    {
        TriggerKind.Event => "event", TriggerKind.Inactivity => "inactivity", TriggerKind.SegmentEntry => "segment_entry", _ => "schedule",
    };
}

public abstract record AutomationStep
{
    /// <summary>The step's index path: <c>2</c>, <c>2.then.0</c>.</summary>
    public required string Path { get; init; }
    public abstract string Kind { get; }
}

public sealed record DelayStep(long Seconds) : AutomationStep { public override string Kind => "delay"; }

public sealed record WaitStep(EventMatch Event, long TimeoutSeconds, bool ExitOnTimeout) : AutomationStep { public override string Kind => "wait_for"; }

public sealed record BranchStep(SegmentRules If, IReadOnlyList<AutomationStep> Then, IReadOnlyList<AutomationStep> Else) : AutomationStep
{
    public override string Kind => "branch";
}

/// <summary>The push body as sent (tokens unrendered): rendered per recipient, then read by the same parser as <c>/v4/push</c>.</summary>
public sealed record PushStep(string Body, string? Category, ParsedPush Parsed, bool NeedsSuggestion) : AutomationStep
{
    public override string Kind => "push";
}

public sealed record TagStep(IReadOnlyList<string> Add, IReadOnlyList<string> Remove) : AutomationStep { public override string Kind => "tag"; }

public sealed record PointsStep(int Points, string Reason) : AutomationStep { public override string Kind => "points"; }

/// <summary>A validated automation: what starts a run, who may enter, the steps, re-entry and what ends a run early.</summary>
public sealed record AutomationDefinition(
    AutomationTrigger Trigger, SegmentRules? Audience, IReadOnlyList<AutomationStep> Steps, long? CooldownSeconds, bool ReentryNever,
    IReadOnlyList<EventMatch> ExitOn)
{
    /// <summary>Every step, depth first, by path.</summary>
    public IReadOnlyDictionary<string, AutomationStep> ByPath { get; } = Flatten(Steps).ToDictionary(s => s.Path, StringComparer.Ordinal);

    public static IEnumerable<AutomationStep> Flatten(IEnumerable<AutomationStep> steps) =>
        steps.SelectMany(s => s is BranchStep b ? [s, .. Flatten(b.Then), .. Flatten(b.Else)] : new[] { s });

    /// <summary>The path after <paramref name="path"/> once it is done: the next sibling, or after the enclosing branch; "" = the end.</summary>
    public string Next(string path)
    {
        var parts = path.Split('.');
        var index = int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture);
        var parent = parts.Length == 1 ? null : string.Join('.', parts[..^2]);
        var list = parent is null ? Steps : ((BranchStep)ByPath[parent]) is var b && parts[^2] == "then" ? b.Then : b.Else;
        if (index + 1 < list.Count) return parent is null ? (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{parent}.{parts[^2]}.{index + 1}";
        return parent is null ? "" : Next(parent);
    }

    /// <summary>Where a run goes into a branch arm ("" when the arm is empty: straight on after the branch).</summary>
    public string Enter(BranchStep branch, bool then)
    {
        var arm = then ? branch.Then : branch.Else;
        return arm.Count > 0 ? arm[0].Path : Next(branch.Path);
    }

    public string First => Steps.Count > 0 ? Steps[0].Path : "";
}
