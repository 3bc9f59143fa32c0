using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Data;

namespace PushConsole.Automations;

/// <summary>An app's enabled automations, parsed once: what the event sink matches each event against.</summary>
public sealed record AppAutomations(IReadOnlyList<(Automation Row, AutomationDefinition Definition)> All)
{
    public IReadOnlyList<(Automation Row, AutomationDefinition Definition)> EventTriggered { get; } = [.. All.Where(a => a.Definition.Trigger.Kind == TriggerKind.Event)];
    /// <summary>The event-triggered automations by the event type they listen for: an event is checked against its own kind only.</summary>
    public ILookup<string, (Automation Row, AutomationDefinition Definition)> EventTriggeredByType { get; } =
        All.Where(a => a.Definition.Trigger.Kind == TriggerKind.Event).ToLookup(a => a.Definition.Trigger.Event!.Type, StringComparer.Ordinal);
    public IReadOnlyList<(Automation Row, AutomationDefinition Definition)> Inactivity { get; } = [.. All.Where(a => a.Definition.Trigger.Kind == TriggerKind.Inactivity)];
    public bool WaitsOrExits { get; } = All.Any(a => a.Definition.ExitOn.Count > 0 || a.Definition.ByPath.Values.Any(s => s is WaitStep));
    public IReadOnlyDictionary<long, AutomationDefinition> ById { get; } = All.ToDictionary(a => a.Row.Id, a => a.Definition);
}

/// <summary>
/// In-memory index of automations per app, so an event is matched without a query per automation. Dropped on every change
/// made here, and reloaded after a few seconds regardless, so a change made on another instance is seen soon.
/// </summary>
public sealed class AutomationIndex(IDbContextFactory<AppDbContext> contexts)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<long, (AppAutomations Set, long LoadedAt)> _apps = new();

    public void Invalidate(long appId) => _apps.TryRemove(appId, out _);

    public async Task<AppAutomations> GetAsync(long appId, CancellationToken ct = default)
    {
        if (_apps.TryGetValue(appId, out var cached) && Stopwatch.GetElapsedTime(cached.LoadedAt) < MaxAge) return cached.Set;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var language = await db.Set<App>().Where(a => a.Id == appId).Select(a => a.DefaultLanguage).FirstOrDefaultAsync(ct) ?? "en";
        var rows = await db.Set<Automation>().AsNoTracking().Where(a => a.AppId == appId && a.Enabled).ToListAsync(ct);
        var set = new AppAutomations([.. rows.Select(r => (r, AutomationParser.Read(r.Definition, language)))]);
        _apps[appId] = (set, Stopwatch.GetTimestamp());
        return set;
    }
}

/// <summary>Wakes the engine when runs became due (a trigger, a resolved wait, a change).</summary>
public sealed class AutomationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
