using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Npgsql;
using PushConsole.Api;
using PushConsole.Data;

namespace PushConsole.Devices;

/// <summary>
/// Group commit for the registry: concurrent requests queue their work, a writer lane runs whatever is
/// queued in one transaction and commits once, then answers them all. SQLite allows one writer at a time,
/// so it gets one lane (which also serialises every token race); PostgreSQL gets several lanes, keyed by
/// installation, and relies on row locks plus a retry when two transactions race for one token.
/// </summary>
public sealed class RegistryWriter : IHostedService, IAsyncDisposable
{
    private const int MaxBatch = 256;
    // eight installations racing for one token over two instances can lose to each other several times in a row
    private const int MaxAttempts = 12;
    private readonly Lane[] _lanes;
    private int _started;

    public RegistryWriter(Database database, TimeProvider clock, ILogger<RegistryWriter> logger)
    {
        var lanes = database.Dialect.ConcurrentWriters ? 4 : 1;
        _lanes = Enumerable.Range(0, lanes).Select(i => new Lane(database, clock, logger, i)).ToArray();
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the next batch transaction; the task completes after the commit.
    /// Work must check before it writes: a <see cref="BadInputException"/>/<see cref="NotFoundException"/> fails
    /// only that item, any other exception rolls the batch back and the other items run again.
    /// </summary>
    public Task<T> RunAsync<T>(string? partitionKey, Func<RegistryTx, Task<T>> work)
    {
        var item = new WorkItem<T>(work);
        if (Interlocked.Exchange(ref _started, 1) == 0) foreach (var l in _lanes) l.Start();
        var lane = _lanes[partitionKey is null ? 0 : (int)((uint)StringComparer.Ordinal.GetHashCode(partitionKey) % (uint)_lanes.Length)];
        if (!lane.Queue.Writer.TryWrite(item))
            throw new InvalidOperationException("The registry is shutting down.");
        return item.Task;
    }

    // lanes start on first use, so CLI verbs (which run no hosted services) can use the registry too
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes no new work and lets queued work commit, as long as the host gives time to.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var lane in _lanes) lane.Queue.Writer.TryComplete();
        try { await Task.WhenAll(_lanes.Select(l => l.Completion)).WaitAsync(cancellationToken); }
        catch (OperationCanceledException) { } // the host's shutdown time ran out (e.g. open console circuits); queued work may be lost
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes) lane.Queue.Writer.TryComplete();
        await Task.WhenAll(_lanes.Select(l => l.Completion));
    }

    internal abstract class WorkItem
    {
        public Exception? Failure { get; set; }
        public abstract Task RunAsync(RegistryTx tx);
        public abstract void Complete();
    }

    private sealed class WorkItem<T>(Func<RegistryTx, Task<T>> work) : WorkItem
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override async Task RunAsync(RegistryTx tx) => _result = await work(tx);

        public override void Complete()
        {
            if (Failure is null) _done.TrySetResult(_result);
            else _done.TrySetException(Failure);
        }
    }

    private sealed class Lane(Database database, TimeProvider clock, ILogger logger, int number)
    {
        public Channel<WorkItem> Queue { get; } = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
        public Task Completion { get; private set; } = Task.CompletedTask;
        private RegistryTx? _tx;

        public void Start() => Completion = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        private async Task RunAsync()
        {
            var batch = new List<WorkItem>(MaxBatch);
            while (await Queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && Queue.Reader.TryRead(out var item)) batch.Add(item);
                try { await ProcessAsync(batch); }
                catch (Exception e)
                {
                    logger.LogError(e, "Registry writer {Lane} failed a batch of {Count}", number, batch.Count);
                    foreach (var item in batch) item.Failure ??= e;
                    await ResetAsync();
                }
                foreach (var item in batch) item.Complete();
            }
            await ResetAsync();
        }

        private async Task ProcessAsync(List<WorkItem> batch)
        {
            for (var attempt = 1; ; attempt++)
            {
                var tx = _tx ??= new RegistryTx(await database.OpenAsync(), database.Dialect);
                tx.Transaction = await tx.Connection.BeginTransactionAsync();
                tx.Now = clock.GetUtcNow().UtcDateTime;
                WorkItem? broken = null;
                Exception? error = null;
                foreach (var item in batch)
                {
                    if (item.Failure is not null && !IsRetryable(item.Failure)) continue;
                    item.Failure = null;
                    try { await item.RunAsync(tx); }
                    catch (Exception e) when (e is BadInputException or NotFoundException or ConflictException) { item.Failure = e; }
                    catch (Exception e) { broken = item; error = e; break; }
                }
                if (broken is null)
                {
                    try
                    {
                        await tx.Transaction.CommitAsync();
                        await tx.Transaction.DisposeAsync();
                        return;
                    }
                    catch (Exception e) when (IsTransient(e) && attempt < MaxAttempts) { error = e; }
                }
                await ResetAsync();
                if (!IsTransient(error!) || attempt >= MaxAttempts)
                {
                    // not a race: that item fails alone, the others run again without it
                    if (broken is null) throw error!;
                    logger.LogError(error, "Registry work failed on lane {Lane}", number);
                    broken.Failure = new PoisonedWork(error!);
                }
                else
                {
                    logger.LogDebug("Registry batch of {Count} on lane {Lane} raced another writer ({Error}); attempt {Attempt}", batch.Count, number, error!.Message, attempt + 1);
                    // growing, jittered back-off: the racers spread out instead of colliding again at once
                    await Task.Delay(Random.Shared.Next(1, Math.Min(250, 5 << Math.Min(attempt, 6))));
                }
            }
        }

        private async Task ResetAsync()
        {
            if (_tx is null) return;
            try
            {
                _tx.DisposeCommands();
                await _tx.Connection.DisposeAsync();
            }
            catch (Exception e) { logger.LogWarning(e, "Closing the registry connection failed"); }
            _tx = null;
        }

        private static bool IsRetryable(Exception e) => e is not (BadInputException or NotFoundException or ConflictException or PoisonedWork);
    }

    /// <summary>Two writers raced (unique token, deadlock) or the database was busy: run the batch again.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 || sqlite.SqliteExtendedErrorCode == 2067,
        DbException { IsTransient: true } => true,
        _ => false,
    };

    private sealed class PoisonedWork(Exception inner) : Exception("The registry could not apply this change.", inner);
}
