using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.Extensions.Options;
using PushConsole.Data;
using PushConsole.Sending;
using Quartz;

namespace PushConsole.Consent;

/// <summary>How long personal data about sends and app activity is kept (<c>Retention:*</c>); checked at start.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Client events (sessions, receipts, opens, custom events) older than this are deleted.</summary>
    [Range(1, 36_500)] public int EventsDays { get; set; } = 180;
    /// <summary>Finished deliveries due longer ago than this are deleted (their counts stay in campaign statistics); opt-outs that old lose their link to the person.</summary>
    [Range(1, 36_500)] public int DeliveriesDays { get; set; } = 180;
    /// <summary>How often the purge runs.</summary>
    [Range(1, 168)] public int IntervalHours { get; set; } = 24;
}

/// <summary>What one purge removed.</summary>
public sealed record PurgeResult(long Events, long Deliveries, long OptOutsAnonymised);

/// <summary>
/// The retention purge: client events and finished deliveries past their retention are deleted in batches (deliveries
/// are first added to <see cref="DeliveryRollup"/> counts), and opt-outs that old lose their link to the person.
/// </summary>
public sealed class RetentionService(Database database, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionService> logger)
{
    private const int Batch = 5000;

    private static readonly int[] Finished =
        [(int)DeliveryStatus.Sent, (int)DeliveryStatus.Failed, (int)DeliveryStatus.InvalidToken, (int)DeliveryStatus.Expired,
         (int)DeliveryStatus.Suppressed, (int)DeliveryStatus.Cancelled];

    public async Task<PurgeResult> PurgeAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var eventsBefore = now.AddDays(-options.Value.EventsDays).UtcDateTime;
        var deliveriesBefore = now.AddDays(-options.Value.DeliveriesDays);
        long events = 0, deliveries = 0, optOuts = 0;
        await using var connection = await database.OpenAsync(ct);
        // per app: client_events and unsubscribes are indexed by (app_id, at)
        foreach (var app in await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM apps", cancellationToken: ct)))
        {
            while (true)
            {
                var ids = (await connection.QueryAsync<long>(new CommandDefinition(
                    $"SELECT id FROM client_events WHERE app_id = @app AND at < @before ORDER BY id LIMIT {Batch}",
                    new { app, before = eventsBefore }, cancellationToken: ct))).AsList();
                if (ids.Count == 0) break;
                events += await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM client_events WHERE {database.InList("id", "@ids")}",
                    new { ids = ids.ToArray() }, cancellationToken: ct));
            }
            optOuts += await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE unsubscribes SET app_user_id = NULL, installation_id = NULL WHERE app_id = @app AND at < @before " +
                "AND (app_user_id IS NOT NULL OR installation_id IS NOT NULL)", new { app, before = deliveriesBefore.UtcDateTime }, cancellationToken: ct));
        }
        // geofence cooldown marks go with the events, and are of no use after the longest cooldown (a week) anyway
        var marksBefore = new[] { eventsBefore, now.UtcDateTime.AddSeconds(-Geofences.GeofenceInput.MaxSeconds) }.Max();
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM geofence_triggers WHERE at < @before", new { before = marksBefore }, cancellationToken: ct));
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            // (status, due_at_ms) is the claim's index; a delivery is as old as the time it was due
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM deliveries WHERE {database.InList("status", "@finished")} AND due_at_ms < @before ORDER BY id LIMIT {Batch}",
                new { before = deliveriesBefore.ToUnixTimeMilliseconds(), finished = Finished }, transaction, cancellationToken: ct))).AsList();
            if (ids.Count == 0) break;
            var args = new { ids = ids.ToArray() };
            await connection.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO delivery_rollups (campaign_id, app_id, provider, variant, status, reason, clicked_action, count, received, opened, dismissed,
                                              clicked, influenced_opens, conversions)
                SELECT campaign_id, MIN(app_id), provider, variant, status, COALESCE(reason, ''), COALESCE(clicked_action, ''), COUNT(*), COUNT(received_at_ms),
                       COUNT(opened_at_ms), COUNT(dismissed_at_ms), COUNT(clicked_at_ms),
                       SUM(CASE WHEN influenced_at_ms IS NOT NULL AND opened_at_ms IS NULL THEN 1 ELSE 0 END), COUNT(converted_at_ms)
                FROM deliveries WHERE {database.InList("id", "@ids")}
                GROUP BY campaign_id, provider, variant, status, COALESCE(reason, ''), COALESCE(clicked_action, '')
                ON CONFLICT (campaign_id, provider, variant, status, reason, clicked_action) DO UPDATE SET count = delivery_rollups.count + excluded.count,
                    received = delivery_rollups.received + excluded.received, opened = delivery_rollups.opened + excluded.opened,
                    dismissed = delivery_rollups.dismissed + excluded.dismissed, clicked = delivery_rollups.clicked + excluded.clicked,
                    influenced_opens = delivery_rollups.influenced_opens + excluded.influenced_opens,
                    conversions = delivery_rollups.conversions + excluded.conversions
                """, args, transaction, cancellationToken: ct));
            deliveries += await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM deliveries WHERE {database.InList("id", "@ids")}", args, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }
        if (events + deliveries + optOuts > 0)
            logger.LogInformation("Retention purge: {Events} client events and {Deliveries} deliveries deleted, {OptOuts} opt-outs anonymised", events, deliveries, optOuts);
        return new PurgeResult(events, deliveries, optOuts);
    }
}

/// <summary>Quartz job running <see cref="RetentionService.PurgeAsync"/> every <see cref="RetentionOptions.IntervalHours"/> (one instance at a time in a cluster).</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionService retention) : IJob
{
    public static readonly JobKey Key = new("retention-purge", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await retention.PurgeAsync(cancellationToken);
}
