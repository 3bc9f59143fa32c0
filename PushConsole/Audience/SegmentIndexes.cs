using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using PushConsole.Data;

namespace PushConsole.Audience;

public sealed class SegmentIndexOptions
{
    public const string Section = "SegmentIndex";

    /// <summary>Counts read an in-memory index per app (false: every count runs in SQL).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An app with more installations is counted in SQL (the memory bound: about 160 B of heap per installation).</summary>
    [Range(1, 100_000_000)]
    public int MaxInstallations { get; set; } = 2_000_000;

    /// <summary>
    /// Apps with at least this many installations get their index built at start, in the background; unset (the default), every
    /// index is built at its app's first count, so a server nobody counts on holds none.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? BuildAtStartFrom { get; set; }
}

/// <summary>
/// The in-memory segment indexes, one per app, built on first use (counts use SQL until it is ready) and brought up to
/// date before every count from <c>segment_changes</c> (filled by <see cref="SegmentChangeTriggers"/>), so a count is
/// exact whatever wrote to the database, on every app instance.
/// </summary>
public sealed class SegmentIndexes(Database database, TimeProvider clock, IOptions<SegmentIndexOptions> options, ILogger<SegmentIndexes> logger) : IDisposable
{
    // builds run in the background: stop them when the app stops
    private readonly CancellationTokenSource _stopping = new();

    public void Dispose() => _stopping.Cancel();

    /// <summary>Changes are pruned once an hour old (<see cref="SegmentIndexMaintenance"/>); an index not synced for this long rebuilds.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(30);

    /// <summary>An index no count used for this long is dropped (its memory freed); the next count builds it again.</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromHours(1);
    private const int Batch = 5000;

    private sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public SegmentIndex? Index;
        public Task? Building;
        public bool TooLarge;
        public DateTime UsedAt;
        /// <summary>After a failed build, none is tried before this (a build at a million costs ~12 s of CPU).</summary>
        public DateTime RetryAt;
    }

    private readonly ConcurrentDictionary<long, Entry> _apps = new();
    private long _answered;

    /// <summary>How many counts the indexes answered (the rest ran in SQL).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    public IEnumerable<long> Loaded => _apps.Where(a => a.Value.Index is not null).Select(a => a.Key);

    /// <summary>The count from the app's index, or null when SQL must answer (index off, not built yet, a field it lacks, too large).</summary>
    public async Task<SegmentCount?> TryCountAsync(long appId, SegmentRules rules, SegmentContext context, CancellationToken ct)
    {
        if (!options.Value.Enabled || !SegmentIndexEvaluator.Supports(rules, context)) return null;
        var entry = _apps.GetOrAdd(appId, _ => new Entry());
        if (entry.TooLarge) return null;
        entry.UsedAt = clock.GetUtcNow().UtcDateTime;
        if (entry.Index is null) { _ = BuildAsync(appId, entry); return null; }
        await entry.Gate.WaitAsync(ct);
        try
        {
            if (entry.Index is not { } index) return null;
            if (!await SyncAsync(index, ct))
            {
                if (entry.Index is null) _ = BuildAsync(appId, entry);
                return null;
            }
            var count = new SegmentIndexEvaluator(index, context).Count(rules);
            Interlocked.Increment(ref _answered);
            return count;
        }
        finally { entry.Gate.Release(); }
    }

    /// <summary>Builds the app's index if it has none and waits for it (start-up, tests, the bench).</summary>
    public Task WarmAsync(long appId)
    {
        var entry = _apps.GetOrAdd(appId, _ => new Entry());
        entry.UsedAt = clock.GetUtcNow().UtcDateTime;
        return BuildAsync(appId, entry);
    }

    /// <summary>Applies what changed to every loaded index (the maintenance loop keeps them fresh between counts); drops idle ones.</summary>
    public async Task SyncAllAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var entry in _apps.Values)
        {
            await entry.Gate.WaitAsync(ct);
            try
            {
                if (entry.Index is not { } index) continue;
                if (now - entry.UsedAt > IdleAfter) entry.Index = null;
                else await SyncAsync(index, ct);
            }
            finally { entry.Gate.Release(); }
        }
    }

    private Task BuildAsync(long appId, Entry entry)
    {
        lock (entry)
        {
            if (entry.Index is not null || entry.TooLarge || clock.GetUtcNow().UtcDateTime < entry.RetryAt) return Task.CompletedTask;
            var stopping = _stopping.Token;
            return entry.Building ??= Task.Run(async () =>
            {
                try
                {
                    var watch = Stopwatch.StartNew();
                    var index = new SegmentIndex(appId);
                    await using (var connection = await database.OpenAsync(stopping))
                    {
                        var installations = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                            "SELECT COUNT(*) FROM installations WHERE app_id = @appId", new { appId }, cancellationToken: stopping));
                        if (installations > options.Value.MaxInstallations)
                        {
                            entry.TooLarge = true;
                            logger.LogInformation("App {AppId} has {Installations} installations, more than SegmentIndex:MaxInstallations: its counts run in SQL", appId, installations);
                            return;
                        }
                        // the position first: whatever changes while the rows are read is applied again after
                        (index.Position, _, _) = await ChangesAsync(connection, appId, long.MaxValue, stopping);
                        await index.LoadAsync(connection, database.Dialect, null, null, stopping);
                    }
                    index.SyncedAt = clock.GetUtcNow().UtcDateTime;
                    await entry.Gate.WaitAsync(stopping);
                    try
                    {
                        await SyncAsync(index, stopping);
                        entry.Index = index;
                    }
                    finally { entry.Gate.Release(); }
                    logger.LogInformation("Segment index of app {AppId}: {Installations} installations in {Seconds:N1} s", appId, index.Installations, watch.Elapsed.TotalSeconds);
                }
                catch (Exception) when (stopping.IsCancellationRequested) { }
                catch (Exception e)
                {
                    entry.RetryAt = clock.GetUtcNow().UtcDateTime.AddMinutes(10);
                    logger.LogWarning(e, "Building the segment index of app {AppId} failed; its counts run in SQL (tried again in 10 minutes)", appId);
                }
                finally { lock (entry) entry.Building = null; }
            });
        }
    }

    /// <summary>Re-reads what changed since the index's position; false (and the index dropped) when it is too old to catch up.</summary>
    private async Task<bool> SyncAsync(SegmentIndex index, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var entry = _apps[index.AppId];
        if (now - index.SyncedAt > StaleAfter || index.DeadSlots > Math.Max(10_000, index.Installations))
        {
            // changes older than an hour are pruned, and dead slots only grow: build afresh
            entry.Index = null;
            return false;
        }
        await using var connection = await database.OpenAsync(ct);
        (long, HashSet<long>, HashSet<long>) changes;
        try { changes = await ChangesAsync(connection, index.AppId, index.Position, ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // e.g. a long write transaction held the change table past the lock timeout: this count runs in SQL
            logger.LogWarning(e, "Reading the segment changes failed; the count runs in SQL");
            return false;
        }
        var (position, installations, users) = changes;
        try
        {
            foreach (var chunk in users.Chunk(Batch)) await index.LoadAsync(connection, database.Dialect, [], chunk, ct);
            foreach (var chunk in installations.Chunk(Batch)) await index.LoadAsync(connection, database.Dialect, chunk, [], ct);
            index.Position = position;
            index.SyncedAt = now;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // half-applied: the rows read are re-read on a rebuild; this count runs in SQL
            logger.LogWarning(e, "Updating the segment index of app {AppId} failed; it is rebuilt", index.AppId);
            entry.Index = null;
            return false;
        }
    }

    /// <summary>
    /// The installations and users of the app changed after <paramref name="after"/> (all apps' rows move the position).
    /// With <paramref name="after"/> = <see cref="long.MaxValue"/>, only the current position.
    /// </summary>
    private async Task<(long Position, HashSet<long> Installations, HashSet<long> Users)> ChangesAsync(
        System.Data.Common.DbConnection connection, long appId, long after, CancellationToken ct)
    {
        var (installations, users) = (new HashSet<long>(), new HashSet<long>());
        var awaitWriters = database.Dialect.AwaitWriters("segment_changes");
        await using var tx = awaitWriters is null ? null : await connection.BeginTransactionAsync(ct);
        if (awaitWriters is not null) await connection.ExecuteAsync(new CommandDefinition(awaitWriters, transaction: tx, cancellationToken: ct));
        var position = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(id) FROM segment_changes", transaction: tx, cancellationToken: ct)) ?? 0;
        if (after != long.MaxValue && position > after)
        {
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                "SELECT installation_id, app_user_id FROM segment_changes WHERE id > @after AND id <= @position AND (app_id = @appId OR app_id IS NULL)",
                new { after, position, appId }, tx, commandTimeout: 0, cancellationToken: ct));
            while (await reader.ReadAsync(ct))
            {
                if (!reader.IsDBNull(0)) installations.Add(reader.GetInt64(0));
                if (!reader.IsDBNull(1)) users.Add(reader.GetInt64(1));
            }
        }
        if (tx is not null) await tx.CommitAsync(ct);
        return (after == long.MaxValue ? position : Math.Max(position, after), installations, users);
    }
}

/// <summary>Builds the big apps' indexes at start, keeps loaded indexes fresh, and prunes <c>segment_changes</c> older than an hour.</summary>
public sealed class SegmentIndexMaintenance(SegmentIndexes indexes, Database database, TimeProvider clock, IOptions<SegmentIndexOptions> options,
    ILogger<SegmentIndexMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    private readonly Queue<(DateTime At, long Position)> _seen = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (options.Value is { Enabled: true, BuildAtStartFrom: { } from })
            {
                await using var connection = await database.OpenAsync(stoppingToken);
                var big = await connection.QueryAsync<long>(new CommandDefinition(
                    "SELECT app_id FROM installations GROUP BY app_id HAVING COUNT(*) >= @min", new { min = from }, cancellationToken: stoppingToken));
                foreach (var appId in big) _ = indexes.WarmAsync(appId);
            }
            using var timer = new PeriodicTimer(Every, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await indexes.SyncAllAsync(stoppingToken);
                    await PruneAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Segment index maintenance failed; retried in a minute");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>Deletes the changes that were already there an hour ago: every instance has read them, or rebuilds (<see cref="SegmentIndexes.StaleAfter"/>).</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenAsync(ct);
        _seen.Enqueue((now, await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(id) FROM segment_changes", cancellationToken: ct)) ?? 0));
        long? prune = null;
        while (_seen.Count > 0 && now - _seen.Peek().At >= Keep) prune = _seen.Dequeue().Position;
        if (prune is { } upTo)
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM segment_changes WHERE id <= @upTo", new { upTo }, commandTimeout: 0, cancellationToken: ct));
    }
}
