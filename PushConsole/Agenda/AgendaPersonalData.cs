using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Agenda;

/// <summary>Favourites and check-ins are personal data: the GDPR export lists them, erasure deletes them.</summary>
public sealed class AgendaPersonalData(IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "agenda";

    public sealed record FavoriteExport(string SessionId, string Title, DateTime FavoritedAt);

    public sealed record CheckInExport(string SessionId, string Title, DateTime CheckedInAt);

    public sealed record AgendaExport(IReadOnlyList<FavoriteExport> Favorites, IReadOnlyList<CheckInExport> CheckIns);

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var favorites = await (from f in db.Set<SessionFavorite>()
                               join s in db.Set<AgendaSession>() on f.SessionId equals s.Id
                               where f.AppUserId == subject.AppUserId
                               orderby f.CreatedAt
                               select new FavoriteExport(s.ExternalId, s.Title, f.CreatedAt)).ToListAsync(ct);
        var checkIns = await (from c in db.Set<SessionCheckIn>()
                              join s in db.Set<AgendaSession>() on c.SessionId equals s.Id
                              where c.AppUserId == subject.AppUserId
                              orderby c.At
                              select new CheckInExport(s.ExternalId, s.Title, c.At)).ToListAsync(ct);
        return favorites.Count == 0 && checkIns.Count == 0 ? null : new AgendaExport(favorites, checkIns);
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Set<SessionFavorite>().Where(f => f.AppUserId == subject.AppUserId).ExecuteDeleteAsync(ct);
        await db.Set<SessionCheckIn>().Where(c => c.AppUserId == subject.AppUserId).ExecuteDeleteAsync(ct);
    }
}
