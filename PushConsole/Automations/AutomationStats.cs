using System.Text.Json.Serialization;
using Dapper;
using PushConsole.Data;

namespace PushConsole.Automations;

public sealed record StepStats(
    [property: JsonPropertyName("reached")] long Reached, [property: JsonPropertyName("waiting")] long Waiting, [property: JsonPropertyName("sent")] long Sent,
    [property: JsonPropertyName("opened")] long Opened, [property: JsonPropertyName("clicked")] long Clicked);

public sealed record AutomationStatsView(
    [property: JsonPropertyName("entered")] long Entered, [property: JsonPropertyName("active")] long Active,
    [property: JsonPropertyName("completed")] long Completed, [property: JsonPropertyName("exited")] long Exited,
    [property: JsonPropertyName("steps")] IReadOnlyDictionary<string, StepStats> Steps)
{
    public long Sent => Steps.Values.Sum(s => s.Sent);
    /// <summary>Runs that completed over runs that entered (0 when none entered).</summary>
    public double Conversion => Entered == 0 ? 0 : (double)Completed / Entered;
}

/// <summary>Counts of an automation: runs by state, and per step path reached, waiting, sent, opened, clicked (from its campaigns' deliveries).</summary>
public sealed class AutomationStats(Database database)
{
    public async Task<AutomationStatsView> ForAsync(Automation automation, CancellationToken ct = default)
    {
        var definition = AutomationParser.Read(automation.Definition, "en");
        await using var connection = await database.OpenAsync(ct);
        var runs = (await connection.QueryAsync<(long Status, long Count)>(
            "SELECT status, COUNT(*) FROM automation_runs WHERE automation_id = @id GROUP BY status", new { id = automation.Id })).ToDictionary(r => (RunStatus)r.Status, r => r.Count);
        var reached = (await connection.QueryAsync<(string Path, long Count)>(
            "SELECT path, COUNT(*) FROM automation_step_log WHERE automation_id = @id GROUP BY path", new { id = automation.Id })).ToDictionary(r => r.Path, r => r.Count);
        var waiting = (await connection.QueryAsync<(string Path, long Count)>(
            "SELECT position, COUNT(*) FROM automation_runs WHERE automation_id = @id AND status = 2 GROUP BY position", new { id = automation.Id })).ToDictionary(r => r.Path, r => r.Count);
        var prefix = $"automation:{automation.Id}:step:";
        var deliveries = (await connection.QueryAsync<(string Ref, long Sent, long Opened)>(
            "SELECT c.origin_ref, SUM(CASE WHEN d.status = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN d.opened_at_ms IS NOT NULL THEN 1 ELSE 0 END) " +
            "FROM campaigns c JOIN deliveries d ON d.campaign_id = c.id WHERE c.app_id = @app AND c.origin = 5 AND c.origin_ref LIKE @like GROUP BY c.origin_ref",
            new { app = automation.AppId, like = prefix + "%" })).ToDictionary(r => r.Ref[prefix.Length..], r => (r.Sent, r.Opened));
        var clicks = (await connection.QueryAsync<(string Ref, long Count)>(
            "SELECT c.origin_ref, COUNT(DISTINCT d.id) FROM campaigns c JOIN deliveries d ON d.campaign_id = c.id " +
            "JOIN client_events e ON e.delivery_id = CAST(d.id AS TEXT) AND e.type = 'notification_clicked' " +
            "WHERE c.app_id = @app AND c.origin = 5 AND c.origin_ref LIKE @like GROUP BY c.origin_ref",
            new { app = automation.AppId, like = prefix + "%" })).ToDictionary(r => r.Ref[prefix.Length..], r => r.Count);
        var steps = AutomationDefinition.Flatten(definition.Steps).ToDictionary(s => s.Path, s => new StepStats(
            reached.GetValueOrDefault(s.Path), waiting.GetValueOrDefault(s.Path), deliveries.GetValueOrDefault(s.Path).Sent,
            deliveries.GetValueOrDefault(s.Path).Opened, clicks.GetValueOrDefault(s.Path)));
        long Count(params RunStatus[] statuses) => statuses.Sum(s => runs.GetValueOrDefault(s));
        return new AutomationStatsView(Count(RunStatus.Active, RunStatus.Waiting, RunStatus.Completed, RunStatus.Exited),
            Count(RunStatus.Pending, RunStatus.Active, RunStatus.Waiting), Count(RunStatus.Completed), Count(RunStatus.Exited), steps);
    }
}
