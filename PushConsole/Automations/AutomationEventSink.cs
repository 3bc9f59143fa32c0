using PushConsole.Devices;

namespace PushConsole.Automations;

/// <summary>
/// Client and agenda events as they are stored (same transaction): starts runs of event triggers, moves inactivity deadlines on
/// session_start, resolves waits and ends runs on exit events. Events are matched in memory (<see cref="AutomationIndex"/>);
/// the database sees one lookup of open runs per batch, the runs started in multi-row inserts, and one write per other change.
/// </summary>
public sealed class AutomationEventSink(AutomationIndex index, AutomationSignal signal) : IClientEventSink
{
    public async Task OnStoredAsync(RegistryTx tx, long appId, IReadOnlyList<StoredClientEvent> events)
    {
        var live = events.Where(e => !e.Quiet && e.UserId is not null).ToList();
        if (live.Count == 0) return;
        var set = await index.GetAsync(appId);
        if (set.All.Count == 0) return;
        var changed = false;
        Dictionary<long, string>? externalIds = null;
        List<object?[]>? starts = null;
        foreach (var e in live)
        {
            var candidates = set.EventTriggeredByType[e.Type];
            if (!candidates.Any()) continue;
            // the properties are parsed once per event, whatever the number of automations filtering on them
            var properties = new EventProperties(e.Properties);
            foreach (var (row, definition) in candidates)
            {
                if (!definition.Trigger.Event!.Matches(e, properties)) continue;
                var userId = e.UserId!.Value;
                var external = e.UserExternalId ?? (externalIds ??= await ExternalIdsAsync(tx, live)).GetValueOrDefault(userId);
                if (external is null) continue;
                (starts ??= []).Add(AutomationStarts.InsertArgs(row, definition, userId, external, AutomationStarts.EventKey(e), AutomationStarts.Context(e), tx.Now));
            }
        }
        if (starts is not null) changed |= await AutomationStarts.InsertManyAsync(tx.ExecuteAsync, starts) > 0;
        if (set.Inactivity.Count > 0)
            foreach (var e in live.Where(e => e.Type == ClientEventTypes.SessionStart))
                foreach (var (row, definition) in set.Inactivity)
                {
                    var due = (e.At > tx.Now ? tx.Now : e.At).AddSeconds(definition.Trigger.InactivitySeconds);
                    await tx.ExecuteAsync(
                        "INSERT INTO automation_inactivity (automation_id, app_user_id, due_at) VALUES (@p0, @p1, @p2) " +
                        "ON CONFLICT (automation_id, app_user_id) DO UPDATE SET due_at = excluded.due_at WHERE excluded.due_at > automation_inactivity.due_at",
                        row.Id, e.UserId!.Value, due);
                }
        if (set.WaitsOrExits) changed |= await WaitsAndExitsAsync(tx, appId, set, live);
        if (changed) signal.Wake();
    }

    private static async Task<bool> WaitsAndExitsAsync(RegistryTx tx, long appId, AppAutomations set, List<StoredClientEvent> live)
    {
        var users = live.Select(e => e.UserId!.Value).Distinct().ToList();
        var open = new List<(long Id, long Automation, long User, RunStatus Status, string Position)>();
        foreach (var (offset, count) in RegistryTx.Chunks(users.Count, 128))
            open.AddRange(await tx.QueryAsync(
                $"SELECT id, automation_id, app_user_id, status, position FROM automation_runs WHERE app_id = @p0 AND status IN (1, 2) AND app_user_id IN ({RegistryTx.Placeholders(1, count)})",
                r => (Id: r.GetInt64(0), Automation: r.GetInt64(1), User: r.GetInt64(2), Status: (RunStatus)r.GetInt16(3), Position: r.GetString(4)),
                [appId, .. users.Skip(offset).Take(count).Cast<object?>()]));
        var changed = false;
        foreach (var run in open)
        {
            if (!set.ById.TryGetValue(run.Automation, out var definition)) continue;
            var mine = live.Where(e => e.UserId == run.User).ToList();
            // an exit ends the run wherever it is; a run under a lease is the engine's for now and sees the exit on its next event
            if (mine.Any(e => definition.ExitOn.Any(x => x.Matches(e))))
            {
                changed |= await tx.ExecuteAsync(
                    "UPDATE automation_runs SET status = 4, ended_at = @p1, position = '' WHERE id = @p0 AND status IN (1, 2) AND (lease_until IS NULL OR lease_until < @p1)",
                    run.Id, tx.Now) > 0;
                continue;
            }
            if (run.Status == RunStatus.Waiting && definition.ByPath.GetValueOrDefault(run.Position) is WaitStep wait && mine.Any(wait.Event.Matches))
                changed |= await tx.ExecuteAsync(
                    "UPDATE automation_runs SET status = 1, position = @p2, resume_at = @p1 WHERE id = @p0 AND status = 2 AND position = @p3 " +
                    "AND (lease_until IS NULL OR lease_until < @p1)",
                    run.Id, tx.Now, definition.Next(run.Position), run.Position) > 0;
        }
        return changed;
    }

    private static async Task<Dictionary<long, string>> ExternalIdsAsync(RegistryTx tx, List<StoredClientEvent> live)
    {
        var ids = live.Select(e => e.UserId!.Value).Distinct().ToList();
        var rows = await tx.QueryAsync($"SELECT id, external_id FROM app_users WHERE id IN ({RegistryTx.Placeholders(0, ids.Count)})",
            r => (r.GetInt64(0), r.GetString(1)), [.. ids.Cast<object?>()]);
        return rows.ToDictionary(r => r.Item1, r => r.Item2);
    }
}
