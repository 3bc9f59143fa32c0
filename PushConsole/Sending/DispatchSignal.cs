namespace PushConsole.Sending;

/// <summary>
/// Wakes the send worker at once when a launch writes due rows (instead of waiting for its next poll).
/// On PostgreSQL a LISTEN/NOTIFY bridge carries the wake-up to the other instances.
/// </summary>
public sealed class DispatchSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Raised for the PostgreSQL bridge to NOTIFY peers; local waiters are woken regardless.</summary>
    public event Action? Woken;

    public void Wake(bool broadcast = true)
    {
        // a launch wakes it every batch: most wake-ups find it already signalled (the catch covers the race between two)
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { }
        }
        if (broadcast) Woken?.Invoke();
    }

    /// <summary>Returns when woken or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (timeout <= TimeSpan.Zero) return;
        await _signal.WaitAsync(timeout, ct);
    }
}
