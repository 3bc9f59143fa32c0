using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Options;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Operations;

/// <summary>
/// Feeds the <c>pushconsole.outbox.deliveries</c> gauge: one grouped count over the (status, due) index when a scrape
/// asks, reused for <c>Metrics:OutboxSampleSeconds</c> so frequent scrapes cost nothing.
/// </summary>
public sealed class OutboxGauges(Database database, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<OutboxGauges> logger) : IHostedService
{
    private readonly Lock _lock = new();
    private IDisposable? _registration;
    private Measurement<long>[] _last = [];
    private long _sampledAt; // 0: never sampled (unix ms, so always long ago)

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PushMetrics.ObserveOutbox(Sample);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        return Task.CompletedTask;
    }

    private Measurement<long>[] Sample()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (now - _sampledAt < options.Value.OutboxSampleSeconds * 1000L) return _last;
            try
            {
                _last = Count(now);
                _sampledAt = now;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                // a scrape must not fail because the database is busy: report the last count
                logger.LogWarning(e, "Counting the outbox for /metrics failed");
            }
            return _last;
        }
    }

    private Measurement<long>[] Count(long nowMs)
    {
        // synchronous on purpose: the exporter calls gauges synchronously while it collects
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        var row = connection.QuerySingle<(long? Due, long? Scheduled, long? Leased, long? Held)>("""
            SELECT SUM(CASE WHEN status = @pending AND due_at_ms <= @now THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = @pending AND due_at_ms > @now THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = @inFlight THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status IN (@held, @awaiting) THEN 1 ELSE 0 END)
            FROM deliveries WHERE status IN (@pending, @inFlight, @held, @awaiting)
            """, new
        {
            now = nowMs, pending = (int)DeliveryStatus.Pending, inFlight = (int)DeliveryStatus.InFlight,
            held = (int)DeliveryStatus.Held, awaiting = (int)DeliveryStatus.AwaitingWinner,
        });
        return
        [
            new(row.Due ?? 0, new KeyValuePair<string, object?>("state", "due")),
            new(row.Scheduled ?? 0, new KeyValuePair<string, object?>("state", "scheduled")),
            new(row.Leased ?? 0, new KeyValuePair<string, object?>("state", "leased")),
            new(row.Held ?? 0, new KeyValuePair<string, object?>("state", "held")),
        ];
    }
}
