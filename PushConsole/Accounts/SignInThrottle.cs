using System.Collections.Concurrent;

namespace PushConsole.Accounts;

/// <summary>
/// Slows password guessing without locking anyone out. Failures are counted per client address and per account × address:
/// past a few free failures each further attempt from there waits twice as long as the last (429 with Retry-After), and a
/// refused attempt checks no password. An account is never locked for everyone, so a stranger cannot keep its owner out;
/// the answers are the same for unknown and existing accounts. The server API keeps its own instance (keyed by its scheme),
/// counting app keys as accounts.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreePerAccount = 5;
    public const int FreePerAddress = 20;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MaxAccountWait = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MaxAddressWait = TimeSpan.FromHours(1);
    private const int MaxEntries = 100_000;

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset Last;
        public DateTimeOffset NotBefore;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long this address must wait before trying this account again; null = it may try now.</summary>
    public TimeSpan? WaitFor(string email, string? address)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var key in Keys(email, address))
            if (_entries.TryGetValue(key, out var entry))
                lock (entry)
                    if (entry.NotBefore > now && entry.NotBefore - now > wait) wait = entry.NotBefore - now;
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string email, string? address)
    {
        var now = clock.GetUtcNow();
        if (_entries.Count > MaxEntries) Prune(now);
        var keys = Keys(email, address);
        for (var k = 0; k < keys.Length; k++)
        {
            var entry = _entries.GetOrAdd(keys[k], _ => new Entry());
            lock (entry)
            {
                if (now - entry.Last > Window && entry.NotBefore <= now) entry.Failures = 0;
                entry.Failures++;
                entry.Last = now;
                var (free, max) = k == 0 ? (FreePerAddress, MaxAddressWait) : (FreePerAccount, MaxAccountWait);
                if (entry.Failures > free)
                {
                    var seconds = Math.Min(Math.Pow(2, entry.Failures - free - 1), max.TotalSeconds);
                    entry.NotBefore = now + TimeSpan.FromSeconds(seconds);
                }
            }
        }
    }

    /// <summary>A right password from this address clears its count for the account (not the address's own count).</summary>
    public void Succeeded(string email, string? address) => _entries.TryRemove(Keys(email, address)[1], out _);

    private static string[] Keys(string email, string? address)
    {
        var from = address ?? "?";
        return [$"a|{from}", $"u|{email.Trim().ToUpperInvariant()}|{from}"];
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
            if (now - entry.Last > Window && entry.NotBefore <= now) _entries.TryRemove(key, out _);
    }
}
