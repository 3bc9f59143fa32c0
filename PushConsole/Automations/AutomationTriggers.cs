using System.Globalization;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PushConsole.Apps;
using PushConsole.Audience;
using PushConsole.Data;

namespace PushConsole.Automations;

/// <summary>
/// The triggers that come from time rather than from events: cron schedules, segment entries (the segment is evaluated every
/// <see cref="AutomationOptions.SegmentCheckSeconds"/>, so an entry is seen within that), and inactivity deadlines (one row per
/// user, moved on each session_start, so only due rows are read). Each is claimed by a conditional write, so with several
/// instances one fires it.
/// </summary>
public sealed class AutomationTriggers(
    IDbContextFactory<AppDbContext> contexts, Database database, SegmentService segments, AutomationStarts starts, AutomationSignal signal,
    IOptions<AutomationOptions> options, TimeProvider clock, ILogger<AutomationTriggers> logger)
{
    public async Task FireDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var due = await db.Set<Automation>().AsNoTracking()
            .Where(a => a.Enabled && (a.TriggerKind == "schedule" || a.TriggerKind == "segment_entry") && a.NextCheckAt != null && a.NextCheckAt <= now)
            .ToListAsync(ct);
        foreach (var automation in due)
        {
            try { await FireAsync(db, automation, now, ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Automation {Id}: its trigger could not fire", automation.Id); }
        }
        await InactivityAsync(db, now, ct);
    }

    private async Task FireAsync(AppDbContext db, Automation automation, DateTime now, CancellationToken ct)
    {
        var definition = AutomationParser.Read(automation.Definition, await LanguageAsync(db, automation.AppId, ct));
        var trigger = definition.Trigger;
        var next = trigger.Kind == TriggerKind.Schedule ? AutomationSchedule.Next(trigger.Cron!, trigger.TimeZone, now) : now.AddSeconds(options.Value.SegmentCheckSeconds);
        await using var connection = await database.OpenAsync(ct);
        var claimed = await connection.ExecuteAsync("UPDATE automations SET next_check_at = @next WHERE id = @id AND next_check_at = @old",
            new { next, id = automation.Id, old = automation.NextCheckAt });
        if (claimed == 0) return;
        if (trigger.Kind == TriggerKind.Schedule)
        {
            var users = await connection.QueryAsync<(long, string)>("SELECT id, external_id FROM app_users WHERE app_id = @app", new { app = automation.AppId });
            var key = "s:" + automation.NextCheckAt!.Value.Ticks.ToString(CultureInfo.InvariantCulture);
            await starts.StartAsync(automation, definition, users, key, null, ct);
        }
        else
        {
            var parameters = new DynamicParameters();
            var where = await segments.ResolveWhereAsync(automation.AppId, trigger.SegmentId, parameters, ct);
            var inSegment = (await connection.QueryAsync<(long, string)>(
                $"SELECT DISTINCT u.id, u.external_id FROM {SegmentSql.From} WHERE u.id IS NOT NULL AND ({where})", parameters)).ToList();
            var members = (await connection.QueryAsync<long>("SELECT app_user_id FROM automation_segment_members WHERE automation_id = @id", new { id = automation.Id })).ToHashSet();
            var entered = inSegment.Where(u => !members.Contains(u.Item1)).ToList();
            var current = inSegment.Select(u => u.Item1).ToHashSet();
            await using var tx = await connection.BeginTransactionAsync(ct);
            foreach (var left in members.Where(m => !current.Contains(m)))
                await connection.ExecuteAsync("DELETE FROM automation_segment_members WHERE automation_id = @id AND app_user_id = @user", new { id = automation.Id, user = left }, tx);
            foreach (var (user, _) in entered)
                await connection.ExecuteAsync("INSERT INTO automation_segment_members (automation_id, app_user_id) VALUES (@id, @user) ON CONFLICT DO NOTHING",
                    new { id = automation.Id, user }, tx);
            await tx.CommitAsync(ct);
            // the first evaluation only learns who is in the segment already: entering means joining after the automation started
            if (automation.NextCheckAt > automation.CreatedAt || members.Count > 0)
                await starts.StartAsync(automation, definition, entered, "g:" + now.Ticks.ToString(CultureInfo.InvariantCulture), null, ct);
        }
        signal.Wake();
    }

    private async Task InactivityAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var due = new List<(long Automation, long User, DateTime DueAt, object Raw)>();
        await using (var reader = await connection.ExecuteReaderAsync(
                         "SELECT automation_id, app_user_id, due_at FROM automation_inactivity WHERE due_at <= @now ORDER BY due_at LIMIT 1000", new { now }))
            while (await reader.ReadAsync(ct)) due.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDateTime(2), reader.GetValue(2)));
        if (due.Count == 0) return;
        var ids = due.Select(d => d.Automation).Distinct().ToList();
        var automations = await db.Set<Automation>().AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        var users = (await connection.QueryAsync<(long, string)>(
            $"SELECT id, external_id FROM app_users WHERE {database.InList("id", "@ids")}", new { ids = due.Select(d => d.User).Distinct().ToArray() })).ToDictionary(u => u.Item1, u => u.Item2);
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var d in due)
        {
            // the row is claimed by deleting it as read; another instance that read it too deletes nothing and starts nothing
            var taken = await connection.ExecuteAsync("DELETE FROM automation_inactivity WHERE automation_id = @a AND app_user_id = @u AND due_at = @d",
                new { a = d.Automation, u = d.User, d = d.Raw }, tx);
            if (taken == 0 || automations.FirstOrDefault(a => a.Id == d.Automation) is not { Enabled: true } automation || !users.TryGetValue(d.User, out var external)) continue;
            var definition = AutomationParser.Read(automation.Definition, await LanguageAsync(db, automation.AppId, ct));
            var key = "i:" + d.DueAt.Ticks.ToString(CultureInfo.InvariantCulture);
            await AutomationStarts.ExecuteAsync(connection, tx, AutomationStarts.InsertSql, AutomationStarts.InsertArgs(automation, definition, d.User, external, key, null, now));
        }
        await tx.CommitAsync(ct);
        signal.Wake();
    }

    private static async Task<string> LanguageAsync(AppDbContext db, long appId, CancellationToken ct) =>
        await db.Set<App>().Where(a => a.Id == appId).Select(a => a.DefaultLanguage).FirstOrDefaultAsync(ct) ?? "en";
}
