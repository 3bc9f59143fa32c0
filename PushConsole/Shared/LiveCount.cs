namespace PushConsole.Shared;

/// <summary>
/// A page's live count (compose, segment builder): each change asks for a count, which runs a moment after the last
/// change, cancels the count it replaces (the token reaches the query, see <c>Database.InterruptOnCancel</c>) and starts
/// only once that one has stopped, so a page never runs two counts at once. Counts after an edit run on the thread pool: SQLite executes
/// a query synchronously, and on the circuit's context a slow count would freeze the page while the user types.
/// One instance per page; dispose it with the page.
/// </summary>
public sealed class LiveCount<T>(TimeProvider clock, TimeSpan delay) : IDisposable where T : class
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly Lock _lock = new();
    private CancellationTokenSource? _latest;
    private bool _disposed;

    /// <summary>True from a request until the latest request has its answer (or failed).</summary>
    public bool Counting { get; private set; }

    /// <summary>
    /// The count of the latest request, or null when a later request replaced this one or the page went away (show nothing
    /// then: the later request brings the answer). Errors of the latest request (bad input) reach the caller.
    /// <paramref name="now"/> skips the pause and runs on the caller's context (the first count when a page opens).
    /// </summary>
    public async Task<T?> RequestAsync(Func<CancellationToken, Task<T>> count, bool now = false)
    {
        CancellationTokenSource mine;
        lock (_lock)
        {
            if (_disposed) return null;
            _latest?.Cancel();
            mine = _latest = new CancellationTokenSource();
            Counting = true;
        }
        var ct = mine.Token;
        var entered = false;
        try
        {
            if (!now && delay > TimeSpan.Zero) await Task.Delay(delay, clock, ct);
            // the count this one replaced was cancelled above: wait until it has really stopped
            await _running.WaitAsync(ct);
            entered = true;
            // the first count runs inline: the page is still loading, and its first full render then shows the count
            var result = now ? await count(ct) : await Task.Run(() => count(ct), ct);
            ct.ThrowIfCancellationRequested();
            return result;
        }
        // a replaced count may end in the database's own error for "interrupted" rather than OperationCanceledException
        catch (Exception) when (ct.IsCancellationRequested) { return null; }
        finally
        {
            if (entered) _running.Release();
            lock (_lock)
                if (_latest == mine) Counting = false;
        }
    }

    /// <summary>Drops the pending or running count (the input became invalid): its answer would no longer fit.</summary>
    public void Cancel()
    {
        lock (_lock)
        {
            _latest?.Cancel();
            Counting = false;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _latest?.Cancel();
        }
    }
}
