using System.Collections.Concurrent;
using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending;

/// <summary>Counts of one campaign's deliveries by status, overall and per provider.</summary>
public sealed record CampaignCounters
{
    public long Pending { get; init; }
    public long InFlight { get; init; }
    public long Held { get; init; }
    /// <summary>The rest of an A/B test's audience, waiting for the winner.</summary>
    public long AwaitingWinner { get; init; }
    public long Sent { get; init; }
    public long Failed { get; init; }
    public long InvalidToken { get; init; }
    public long Expired { get; init; }
    public long Suppressed { get; init; }
    public long Cancelled { get; init; }
    /// <summary>Pending rows that already failed at least once and wait for their next attempt.</summary>
    public long Retrying { get; init; }
    public IReadOnlyDictionary<PushProvider, ProviderCounters> ByProvider { get; init; } = new Dictionary<PushProvider, ProviderCounters>();

    public long Queued => Pending + InFlight + Held + AwaitingWinner;
    public long Total => Queued + Sent + Failed + InvalidToken + Expired + Suppressed + Cancelled;
    public long Done => Total - Queued;
}

public sealed record ProviderCounters(long Queued, long Sent, long Failed, long InvalidToken);

/// <summary>What changed in one written batch: new status per delivery, for charts that plot over time.</summary>
public sealed record ProgressDelta(long CampaignId, DateTime At, IReadOnlyDictionary<DeliveryStatus, int> NewStatuses, IReadOnlyDictionary<PushProvider, int> SentByProvider);

/// <summary>
/// The in-process hub the worker publishes to after each batch; console pages subscribe through their circuit.
/// A subscription starts from a SQL snapshot, then follows batch deltas; it re-reads SQL every few seconds so
/// work done by other instances (PostgreSQL scale-out) shows too.
/// </summary>
public sealed class DispatchProgress(Database database, TimeProvider clock)
{
    private static readonly TimeSpan SnapshotEvery = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentDictionary<long, List<Func<CampaignCounters, ProgressDelta?, Task>>> _subscribers = new();
    private readonly ConcurrentDictionary<long, (CampaignCounters Counters, DateTimeOffset At)> _latest = new();

    private readonly ConcurrentDictionary<long, TimeSpan> _snapshotTook = new();

    /// <summary>How long a fresh count may be reused: 500 ms, or ten times what counting this campaign took (a million rows take a second).</summary>
    private TimeSpan ReuseFor(long campaignId, TimeSpan floor) =>
        _snapshotTook.TryGetValue(campaignId, out var took) && took * 10 > floor ? took * 10 : floor;

    public async Task<CampaignCounters> SnapshotAsync(long campaignId, CancellationToken ct = default)
    {
        var started = clock.GetTimestamp();
        try { return await CountAsync(campaignId, ct); }
        finally
        {
            if (_snapshotTook.Count > 1000) _snapshotTook.Clear();
            _snapshotTook[campaignId] = clock.GetElapsedTime(started);
        }
    }

    private async Task<CampaignCounters> CountAsync(long campaignId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(int Status, int Provider, long Count, long Retrying)>(new CommandDefinition("""
            SELECT status, provider, COUNT(*), SUM(CASE WHEN status = 0 AND attempts > 0 THEN 1 ELSE 0 END)
            FROM deliveries WHERE campaign_id = @campaignId GROUP BY status, provider
            UNION ALL
            SELECT status, provider, CAST(SUM(count) AS BIGINT), 0 FROM delivery_rollups WHERE campaign_id = @campaignId GROUP BY status, provider
            """, new { campaignId }, cancellationToken: ct));
        // rows the retention job purged are counted in delivery_rollups
        return Fold(rows.GroupBy(r => (r.Status, r.Provider)).Select(g => (g.Key.Status, g.Key.Provider, g.Sum(r => r.Count), g.Sum(r => r.Retrying))));
    }

    internal static CampaignCounters Fold(IEnumerable<(int Status, int Provider, long Count, long Retrying)> rows)
    {
        long Sum(IEnumerable<(int Status, int Provider, long Count, long Retrying)> r, DeliveryStatus s) => r.Where(x => x.Status == (int)s).Sum(x => x.Count);
        var list = rows.ToList();
        var byProvider = list.GroupBy(r => (PushProvider)r.Provider).ToDictionary(g => g.Key, g => new ProviderCounters(
            Sum(g, DeliveryStatus.Pending) + Sum(g, DeliveryStatus.InFlight) + Sum(g, DeliveryStatus.Held) + Sum(g, DeliveryStatus.AwaitingWinner),
            Sum(g, DeliveryStatus.Sent), Sum(g, DeliveryStatus.Failed), Sum(g, DeliveryStatus.InvalidToken)));
        return new CampaignCounters
        {
            Pending = Sum(list, DeliveryStatus.Pending),
            InFlight = Sum(list, DeliveryStatus.InFlight),
            Held = Sum(list, DeliveryStatus.Held),
            AwaitingWinner = Sum(list, DeliveryStatus.AwaitingWinner),
            Sent = Sum(list, DeliveryStatus.Sent),
            Failed = Sum(list, DeliveryStatus.Failed),
            InvalidToken = Sum(list, DeliveryStatus.InvalidToken),
            Expired = Sum(list, DeliveryStatus.Expired),
            Suppressed = Sum(list, DeliveryStatus.Suppressed),
            Cancelled = Sum(list, DeliveryStatus.Cancelled),
            Retrying = list.Sum(r => r.Retrying),
            ByProvider = byProvider,
        };
    }

    /// <summary>Calls <paramref name="onChange"/> with fresh counters (and the batch delta when there is one) until disposed.</summary>
    public IDisposable Subscribe(long campaignId, Func<CampaignCounters, ProgressDelta?, Task> onChange)
    {
        var list = _subscribers.GetOrAdd(campaignId, _ => []);
        lock (list) list.Add(onChange);
        var refresh = new CancellationTokenSource();
        _ = RefreshLoopAsync(campaignId, onChange, refresh.Token);
        return new Subscription(() =>
        {
            refresh.Cancel();
            lock (list) list.Remove(onChange);
        });
    }

    public bool HasSubscribers(long campaignId) => _subscribers.TryGetValue(campaignId, out var list) && list.Count > 0;

    /// <summary>Called by the worker and the launch after they commit a batch.</summary>
    public async Task PublishAsync(IEnumerable<ProgressDelta> deltas, CancellationToken ct)
    {
        foreach (var delta in deltas)
        {
            if (!_subscribers.TryGetValue(delta.CampaignId, out var list)) continue;
            Func<CampaignCounters, ProgressDelta?, Task>[] targets;
            lock (list) targets = [.. list];
            if (targets.Length == 0) continue;
            // counting a million-row campaign after every batch is too dear: re-read at most twice a second, add deltas between
            var now = clock.GetUtcNow();
            var reuse = ReuseFor(delta.CampaignId, SnapshotEvery);
            var counters = _latest.TryGetValue(delta.CampaignId, out var latest) && now - latest.At < reuse
                ? Apply(latest.Counters, delta)
                : await SnapshotAsync(delta.CampaignId, ct);
            _latest[delta.CampaignId] = (counters, latest.Counters is not null && now - latest.At < reuse ? latest.At : now);
            foreach (var target in targets) await SafeAsync(target, counters, delta);
        }
    }

    /// <summary>Rows leave in-flight for their new status.</summary>
    private static CampaignCounters Apply(CampaignCounters c, ProgressDelta d)
    {
        long N(DeliveryStatus s) => d.NewStatuses.GetValueOrDefault(s);
        var moved = d.NewStatuses.Values.Sum();
        return c with
        {
            InFlight = Math.Max(0, c.InFlight - moved),
            Pending = c.Pending + N(DeliveryStatus.Pending),
            Retrying = c.Retrying + N(DeliveryStatus.Pending),
            Held = c.Held + N(DeliveryStatus.Held),
            Sent = c.Sent + N(DeliveryStatus.Sent),
            Failed = c.Failed + N(DeliveryStatus.Failed),
            InvalidToken = c.InvalidToken + N(DeliveryStatus.InvalidToken),
            Expired = c.Expired + N(DeliveryStatus.Expired),
            Cancelled = c.Cancelled + N(DeliveryStatus.Cancelled),
        };
    }

    public static ProgressDelta DeltaOf(long campaignId, DateTime at, IEnumerable<(DeliveryStatus Status, PushProvider Provider)> outcomes)
    {
        var list = outcomes.ToList();
        return new ProgressDelta(campaignId, at,
            list.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count()),
            list.Where(o => o.Status == DeliveryStatus.Sent).GroupBy(o => o.Provider).ToDictionary(g => g.Key, g => g.Count()));
    }

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task RefreshLoopAsync(long campaignId, Func<CampaignCounters, ProgressDelta?, Task> onChange, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(ReuseFor(campaignId, TimeSpan.FromSeconds(3)), clock, ct);
                var counters = await SnapshotAsync(campaignId, ct);
                _latest[campaignId] = (counters, clock.GetUtcNow());
                await SafeAsync(onChange, counters, null);
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task SafeAsync(Func<CampaignCounters, ProgressDelta?, Task> target, CampaignCounters counters, ProgressDelta? delta)
    {
        // a page whose circuit died must not break the worker
        try { await target(counters, delta); }
        catch (Exception) { }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
