using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;

namespace PushConsole.Apps;

public sealed record AppKeyEntry(long AppId, string AppKey, string Name, string MasterSecretHash);

/// <summary>
/// appKey → app, cached for a few seconds: the client API authenticates thousands of requests a second
/// and should not hit the database for each. Rotation forgets the entry at once on this instance.
/// </summary>
public sealed class AppKeyCache(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    private static readonly TimeSpan Found = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Missing = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (AppKeyEntry? Entry, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<AppKeyEntry?> FindAsync(string appKey, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(appKey, out var cached) && cached.Until > now) return cached.Entry;
        if (appKey.Length > 64) return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var entry = await db.Set<App>().AsNoTracking().Where(a => a.AppKey == appKey)
            .Select(a => new AppKeyEntry(a.Id, a.AppKey, a.Name, a.MasterSecretHash)).FirstOrDefaultAsync(ct);
        if (_entries.Count > 10_000) _entries.Clear();
        _entries[appKey] = (entry, now + (entry is null ? Missing : Found));
        return entry;
    }

    public void Forget(string appKey) => _entries.TryRemove(appKey, out _);
}
