using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.Extensions.Options;
using PushConsole.Data;

namespace PushConsole.Automations;

public sealed class AutomationOptions
{
    /// <summary>How often the engine looks for due runs when nothing wakes it (real time).</summary>
    [Range(50, 60_000)] public int PollMilliseconds { get; set; } = 1000;
    /// <summary>Runs claimed per batch.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 500;
    /// <summary>How long a claim keeps other instances off a run (clock time); a dead instance's runs are free again after it.</summary>
    [Range(10, 86_400)] public int LeaseSeconds { get; set; } = 300;
    /// <summary>How often a segment_entry trigger re-evaluates its segment (clock time).</summary>
    [Range(5, 86_400)] public int SegmentCheckSeconds { get; set; } = 60;
}

/// <summary>
/// Moves runs along. Woken by a signal (a trigger, a resolved wait) or its poll, it fires due schedules, segment entries and
/// inactivity deadlines, then claims due runs with a lease (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so several instances
/// share the work) and advances them in batches (<see cref="AutomationRunner"/>).
/// </summary>
public sealed class AutomationEngine(
    Database database, AutomationRunner runner, AutomationTriggers triggers, AutomationSignal signal, IOptions<AutomationOptions> options,
    TimeProvider clock, ILogger<AutomationEngine> logger) : BackgroundService
{
    public string Owner { get; } = Truncate($"{Environment.MachineName}:{Guid.NewGuid():N}", 100);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[^max..];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await triggers.FireDueAsync(stoppingToken);
                while (await TickAsync(stoppingToken) >= options.Value.BatchSize && !stoppingToken.IsCancellationRequested) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception e) { logger.LogError(e, "Automation engine tick failed; retrying on the next one"); }
            try { await signal.WaitAsync(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Claims one batch of due runs and advances them; the number claimed.</summary>
    public async Task<int> TickAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await ClaimAsync(now, ct);
        if (claimed.Count > 0) await runner.AdvanceAsync(claimed, Owner, ct);
        return claimed.Count;
    }

    private async Task<List<RunState>> ClaimAsync(DateTime now, CancellationToken ct)
    {
        var skipLocked = database.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql =
            "UPDATE automation_runs SET lease_owner = @owner, lease_until = @until WHERE id IN (" +
            "SELECT id FROM automation_runs WHERE status IN (0, 1, 2) AND resume_at <= @now AND (lease_until IS NULL OR lease_until < @now) " +
            $"ORDER BY resume_at LIMIT @limit{skipLocked}) AND (lease_until IS NULL OR lease_until < @now) " +
            "RETURNING id, automation_id, app_id, app_user_id, user_external_id, status, position, resume_at, context";
        await using var connection = await database.OpenAsync(ct);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql,
            new { owner = Owner, until = now.AddSeconds(options.Value.LeaseSeconds), now, limit = options.Value.BatchSize }, cancellationToken: ct));
        var runs = new List<RunState>();
        while (await reader.ReadAsync(ct))
            runs.Add(new RunState
            {
                Id = reader.GetInt64(0), AutomationId = reader.GetInt64(1), AppId = reader.GetInt64(2), UserId = reader.GetInt64(3),
                UserExternalId = reader.GetString(4), Status = (RunStatus)reader.GetInt16(5), Position = reader.GetString(6),
                ResumeAt = DateTime.SpecifyKind(reader.GetDateTime(7), DateTimeKind.Utc), Context = reader.IsDBNull(8) ? null : reader.GetString(8),
            });
        return runs;
    }
}

/// <summary>A claimed run as the runner moves it; written back once at the end of the batch.</summary>
public sealed class RunState
{
    public long Id { get; init; }
    public long AutomationId { get; init; }
    public long AppId { get; init; }
    public long UserId { get; init; }
    public required string UserExternalId { get; init; }
    public RunStatus Status { get; set; }
    public required string Position { get; set; }
    public DateTime ResumeAt { get; set; }
    public string? Context { get; init; }
    public DateTime? EndedAt { get; set; }

    public bool Open => Status is RunStatus.Pending or RunStatus.Active or RunStatus.Waiting;

    public void End(RunStatus status, DateTime now)
    {
        Status = status;
        Position = "";
        EndedAt = now;
    }
}
