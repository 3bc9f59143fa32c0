using System.Data.Common;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Audience;
using PushConsole.Data;
using PushConsole.Game;

namespace PushConsole.Automations;

/// <summary>
/// Advances a batch of claimed runs through their steps until each waits (delay, wait_for) or ends. Runs at the same step are
/// handled together (one segment query per branch, one campaign per distinct rendered push). Each step is claimed in
/// <c>automation_step_log</c> before its effect, so a retried batch, a crash or a second instance never runs a step twice.
/// </summary>
public sealed class AutomationRunner(
    IDbContextFactory<AppDbContext> contexts, Database database, SegmentService segments, AutomationPushes pushes, IServiceProvider services,
    TimeProvider clock, ILogger<AutomationRunner> logger)
{
    private const int MaxStepsPerBatch = 200;

    public async Task AdvanceAsync(IReadOnlyList<RunState> runs, string owner, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = runs.Select(r => r.AutomationId).Distinct().ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<Automation>().AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        var languages = await db.Set<App>().Where(a => rows.Select(r => r.AppId).Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DefaultLanguage, ct);
        var automations = rows.ToDictionary(r => r.Id, r => (Row: r, Definition: AutomationParser.Read(r.Definition, languages.GetValueOrDefault(r.AppId, "en"))));
        foreach (var run in runs)
            // a paused automation holds its runs where they are; they go on when it is resumed
            if (automations.TryGetValue(run.AutomationId, out var a) && !a.Row.Enabled) run.ResumeAt = now.AddMinutes(1);

        for (var round = 0; round < MaxStepsPerBatch; round++)
        {
            var due = runs.Where(r => r.Open && r.ResumeAt <= now && automations.ContainsKey(r.AutomationId)).ToList();
            if (due.Count == 0) break;
            foreach (var group in due.GroupBy(r => (r.AutomationId, r.Status, r.Position)))
            {
                var (row, definition) = automations[group.Key.AutomationId];
                var list = group.ToList();
                try { await StepAsync(row, definition, list, now, ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // a failing step (a deleted segment, a refused push) must not hold the others: those runs end here
                    logger.LogWarning(e, "Automation {Id}, step {Path}: failed; {Count} run(s) end", row.Id, group.Key.Position, list.Count);
                    foreach (var run in list) run.End(RunStatus.Exited, now);
                }
            }
        }
        await SaveAsync(runs, owner, now, ct);
    }

    private async Task StepAsync(Automation row, AutomationDefinition definition, List<RunState> runs, DateTime now, CancellationToken ct)
    {
        var status = runs[0].Status;
        if (status == RunStatus.Pending)
        {
            var eligible = definition.Audience is null ? runs.Select(r => r.UserId).ToHashSet() : await MatchingAsync(row.AppId, definition.Audience, runs, ct);
            foreach (var run in runs)
                if (!eligible.Contains(run.UserId)) run.End(RunStatus.NotEligible, now);
                else (run.Status, run.Position) = (RunStatus.Active, definition.First);
            return;
        }
        if (status == RunStatus.Waiting)
        {
            // a delay is over, or a wait timed out
            var waited = definition.ByPath.GetValueOrDefault(runs[0].Position);
            foreach (var run in runs)
                if (waited is DelayStep || waited is WaitStep { ExitOnTimeout: false }) (run.Status, run.Position) = (RunStatus.Active, definition.Next(run.Position));
                else run.End(RunStatus.Exited, now);
            return;
        }
        var path = runs[0].Position;
        if (path.Length == 0 || !definition.ByPath.TryGetValue(path, out var step))
        {
            // the end, or a step an edit removed: the run is complete
            foreach (var run in runs) run.End(RunStatus.Completed, now);
            return;
        }
        var fresh = await ClaimAsync(row.Id, path, runs, now, ct);
        var todo = runs.Where(r => fresh.Contains(r.Id)).ToList();
        switch (step)
        {
            case DelayStep or WaitStep:
                // a delay or wait recorded before a crash counts from when it was recorded, not from the restart
                var since = fresh.Count == runs.Count ? new Dictionary<long, DateTime>() : await RecordedAsync(path, runs.Where(r => !fresh.Contains(r.Id)), ct);
                var seconds = step is DelayStep delay ? delay.Seconds : ((WaitStep)step).TimeoutSeconds;
                // the run waits at the step itself, so its counts show where it is
                foreach (var run in runs) (run.Status, run.ResumeAt) = (RunStatus.Waiting, since.GetValueOrDefault(run.Id, now).AddSeconds(seconds));
                return;
            case BranchStep branch:
                var yes = await MatchingAsync(row.AppId, branch.If, runs, ct);
                foreach (var run in runs) run.Position = definition.Enter(branch, yes.Contains(run.UserId));
                return;
            case PushStep push:
                if (todo.Count > 0) await pushes.SendAsync(row, push, todo, ct);
                break;
            case TagStep tag:
                if (todo.Count > 0) await TagAsync(row.AppId, tag, todo, ct);
                break;
            case PointsStep points:
                var ledger = services.GetService<IPointsLedger>();
                if (ledger is null) logger.LogWarning("Automation {Id}, step {Path}: no points ledger in this build; points not awarded", row.Id, path);
                else
                    foreach (var run in todo)
                        await ledger.AwardAsync(row.AppId, run.UserExternalId, points.Points, points.Reason, $"automation:{row.Id}:run:{run.Id}:step:{path}", ct);
                break;
        }
        foreach (var run in runs) run.Position = definition.Next(path);
    }

    /// <summary>Records the step for each run (multi-row inserts); the runs that had not done it yet (the others only move on).</summary>
    private async Task<HashSet<long>> ClaimAsync(long automationId, string path, List<RunState> runs, DateTime now, CancellationToken ct)
    {
        var fresh = new HashSet<long>();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var ids in runs.Select(r => r.Id).Chunk(1000))
            fresh.UnionWith(await connection.QueryAsync<long>(
                "INSERT INTO automation_step_log (run_id, path, automation_id, at) SELECT id, @path, @automation, @now FROM automation_runs " +
                $"WHERE {database.InList("id", "@ids")} ON CONFLICT DO NOTHING RETURNING run_id", new { path, automation = automationId, now, ids }, tx));
        await tx.CommitAsync(ct);
        return fresh;
    }

    /// <summary>When each of these runs first recorded the step (a run taken over after a crash or a lost lease).</summary>
    private async Task<Dictionary<long, DateTime>> RecordedAsync(string path, IEnumerable<RunState> runs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Run, DateTime At)>(
            $"SELECT run_id, at FROM automation_step_log WHERE path = @path AND {database.InList("run_id", "@ids")}",
            new { path, ids = runs.Select(r => r.Id).ToArray() });
        return rows.ToDictionary(r => r.Run, r => DateTime.SpecifyKind(r.At, DateTimeKind.Utc));
    }

    /// <summary>The users among the runs that the rules match now (one query).</summary>
    private async Task<HashSet<long>> MatchingAsync(long appId, SegmentRules rules, List<RunState> runs, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        var where = await segments.WhereAsync(appId, rules, parameters, ct);
        parameters.Add("automation_users", runs.Select(r => r.UserId).Distinct().ToArray());
        await using var connection = await database.OpenAsync(ct);
        var found = await connection.QueryAsync<long>(
            $"SELECT DISTINCT u.id FROM {SegmentSql.From} WHERE {database.InList("u.id", "@automation_users")} AND ({where})", parameters);
        return found.ToHashSet();
    }

    private async Task TagAsync(long appId, TagStep tag, List<RunState> runs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var users = runs.Select(r => r.UserId).Distinct().ToArray();
        foreach (var name in tag.Add)
            await connection.ExecuteAsync(
                $"INSERT INTO user_tags (app_user_id, app_id, tag) SELECT id, @app, @name FROM app_users WHERE {database.InList("id", "@users")} ON CONFLICT DO NOTHING",
                new { app = appId, name, users }, tx);
        foreach (var name in tag.Remove)
            await connection.ExecuteAsync($"DELETE FROM user_tags WHERE tag = @name AND {database.InList("app_user_id", "@users")}", new { name, users }, tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>Writes each run's new place and frees its lease; a run whose lease was lost (taken over) is left to its new owner.</summary>
    private async Task SaveAsync(IReadOnlyList<RunState> runs, string owner, DateTime now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
        // runs moved together mostly land in the same place at the same time: one UPDATE per distinct outcome, not per run
        foreach (var group in runs.GroupBy(r => (r.Status, r.Position, r.ResumeAt, r.EndedAt)))
            foreach (var ids in group.Select(r => r.Id).Chunk(1000))
                await connection.ExecuteAsync(
                    "UPDATE automation_runs SET status = @status, position = @position, resume_at = @resumeAt, ended_at = @endedAt, lease_owner = NULL, lease_until = NULL " +
                    $"WHERE lease_owner = @owner AND {database.InList("id", "@ids")}",
                    new { status = (short)group.Key.Status, position = group.Key.Position, resumeAt = group.Key.ResumeAt, endedAt = group.Key.EndedAt, owner, ids }, tx);
        await tx.CommitAsync(ct);
    }
}
