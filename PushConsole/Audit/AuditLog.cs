using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;

namespace PushConsole.Audit;

/// <summary>Who acts: a console user (email), the CLI, the system, or an API caller.</summary>
public sealed record Actor(string Name, string? RemoteAddress = null)
{
    public static readonly Actor Cli = new("cli");
    public static readonly Actor System = new("system");

    /// <summary>A signed-in console user (pages get theirs from <c>ConsoleActor</c>; endpoints add the remote address).</summary>
    public static Actor Of(ClaimsPrincipal user, string? remoteAddress = null) => new(user.Identity?.Name ?? "?", remoteAddress);
}

public sealed class AuditLog(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    /// <summary>Adds an entry to <paramref name="db"/> so it commits with the change it describes.</summary>
    public void Add(AppDbContext db, Actor actor, string action, string? target, string? details = null) =>
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = Truncate(actor.Name, 256)!,
            Action = action,
            Target = Truncate(target, 300),
            Details = Truncate(details, 2000),
            RemoteAddress = actor.RemoteAddress,
        });

    /// <summary>Writes an entry on its own (for events that change nothing else, like a sign-in).</summary>
    public async Task RecordAsync(Actor actor, string action, string? target, string? details = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        Add(db, actor, action, target, details);
        await db.SaveChangesAsync(ct);
    }

    public async Task<(IReadOnlyList<AuditEntry> Items, int Total)> SearchAsync(string? text, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var t = text.Trim();
            query = query.Where(e => e.Actor.Contains(t) || e.Action.Contains(t) || (e.Target != null && e.Target.Contains(t)) || (e.Details != null && e.Details.Contains(t)));
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (items, total);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
