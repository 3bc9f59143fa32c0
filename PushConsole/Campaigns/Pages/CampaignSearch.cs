using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Apps;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Pages;

/// <summary>What the campaigns list is filtered by; every part optional. Dates are UTC days of the launch (or creation when not launched).</summary>
public sealed record CampaignSearchFilter(
    string? Text = null, CampaignStatus? Status = null, long? PlanId = null, string? Session = null, string? Track = null,
    DateTime? From = null, DateTime? To = null, CampaignSource Source = CampaignSource.Sends);

/// <summary>
/// Which campaigns the list shows: by default what people sent (console, API, schedules, agenda, tests); automations and the
/// game make one small campaign per step or per attendee, which would bury the rest, so they are a choice of their own.
/// </summary>
public enum CampaignSource { Sends, Automations, Game, All }

public enum CampaignSort { Newest, Oldest, Name, Status, Starts, Audience }

/// <summary>Lists campaigns a page at a time in SQL (filter, sort, skip/take), then adds sent/opened of that page in one grouped query.</summary>
public sealed class CampaignSearch(IDbContextFactory<AppDbContext> contexts, Database database)
{
    public async Task<(IReadOnlyList<CampaignListItem> Items, int Total)> FindAsync(CampaignSearchFilter filter, CampaignSort sort, bool descending,
        int skip, int take, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaigns = db.Set<Campaign>().AsNoTracking();
        if (filter.Text?.Trim() is { Length: > 0 } text)
        {
            var like = $"%{text.ToLowerInvariant()}%";
            campaigns = long.TryParse(text, out var id)
                ? campaigns.Where(c => c.Id == id || EF.Functions.Like(c.Name.ToLower(), like))
                : campaigns.Where(c => EF.Functions.Like(c.Name.ToLower(), like) || (c.CreatedBy != null && EF.Functions.Like(c.CreatedBy.ToLower(), like)));
        }
        campaigns = filter.Source switch
        {
            CampaignSource.Sends => campaigns.Where(c => c.Origin != CampaignOrigin.Automation && c.Origin != CampaignOrigin.Game),
            CampaignSource.Automations => campaigns.Where(c => c.Origin == CampaignOrigin.Automation),
            CampaignSource.Game => campaigns.Where(c => c.Origin == CampaignOrigin.Game),
            _ => campaigns,
        };
        if (filter.Status is { } status) campaigns = campaigns.Where(c => c.Status == status);
        if (filter.PlanId is { } plan) campaigns = campaigns.Where(c => c.PlanId == plan);
        // agenda campaigns name their session in OriginRef: "session:{external id}:{what}"
        if (filter.Session is { Length: > 0 } session)
        {
            var prefix = $"session:{session}:%";
            campaigns = campaigns.Where(c => c.Origin == CampaignOrigin.Agenda && EF.Functions.Like(c.OriginRef!, prefix));
        }
        if (filter.Track is { Length: > 0 } track)
        {
            var sessions = await db.Set<AgendaSession>().Where(s => s.Track == track).Select(s => s.ExternalId).ToListAsync(ct);
            var prefixes = sessions.Select(s => $"session:{s}:").ToList();
            var refs = await campaigns.Where(c => c.Origin == CampaignOrigin.Agenda && c.OriginRef != null).Select(c => new { c.Id, c.OriginRef }).ToListAsync(ct);
            var ids = refs.Where(r => prefixes.Any(p => r.OriginRef!.StartsWith(p, StringComparison.Ordinal))).Select(r => r.Id).ToList();
            campaigns = campaigns.Where(c => ids.Contains(c.Id));
        }
        if (filter.From is { } from) campaigns = campaigns.Where(c => (c.LaunchAt ?? c.CreatedAt) >= from.Date);
        if (filter.To is { } to) campaigns = campaigns.Where(c => (c.LaunchAt ?? c.CreatedAt) < to.Date.AddDays(1));

        var total = await campaigns.CountAsync(ct);
        campaigns = (sort, descending) switch
        {
            (CampaignSort.Name, false) => campaigns.OrderBy(c => c.Name).ThenByDescending(c => c.Id),
            (CampaignSort.Name, true) => campaigns.OrderByDescending(c => c.Name).ThenByDescending(c => c.Id),
            (CampaignSort.Status, false) => campaigns.OrderBy(c => c.Status).ThenByDescending(c => c.Id),
            (CampaignSort.Status, true) => campaigns.OrderByDescending(c => c.Status).ThenByDescending(c => c.Id),
            (CampaignSort.Starts, false) => campaigns.OrderBy(c => c.LaunchAt ?? c.CreatedAt).ThenBy(c => c.Id),
            (CampaignSort.Starts, true) => campaigns.OrderByDescending(c => c.LaunchAt ?? c.CreatedAt).ThenByDescending(c => c.Id),
            (CampaignSort.Audience, false) => campaigns.OrderBy(c => c.AudienceSize).ThenByDescending(c => c.Id),
            (CampaignSort.Audience, true) => campaigns.OrderByDescending(c => c.AudienceSize).ThenByDescending(c => c.Id),
            (CampaignSort.Oldest, _) => campaigns.OrderBy(c => c.Id),
            _ => campaigns.OrderByDescending(c => c.Id),
        };
        var items = await (from c in campaigns.Skip(skip).Take(take)
                           join a in db.Set<App>() on c.AppId equals a.Id
                           select new CampaignListItem(c.Id, c.AppId, a.Name, c.Name, c.Status, c.Origin, c.OriginRef, c.AudienceSize, c.CreatedAt, c.LaunchAt,
                               c.CreatedBy, 0, 0)).ToListAsync(ct);
        // the join loses the order on some providers: keep the page's order by position
        var order = await campaigns.Skip(skip).Take(take).Select(c => c.Id).ToListAsync(ct);
        items = [.. items.OrderBy(i => order.IndexOf(i.Id))];
        return (await CampaignQueries.WithCountsAsync(database, items, ct), total);
    }

    /// <summary>The choices of the filters: plans, agenda sessions and tracks.</summary>
    public async Task<(IReadOnlyList<(long Id, string Key)> Plans, IReadOnlyList<(string Id, string Title)> Sessions, IReadOnlyList<string> Tracks)> ChoicesAsync(
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plans = await db.Set<Plan>().OrderBy(p => p.PlanKey).Select(p => new { p.Id, p.PlanKey }).ToListAsync(ct);
        var sessions = await db.Set<AgendaSession>().OrderBy(s => s.StartsAt).Select(s => new { s.ExternalId, s.Title }).Take(500).ToListAsync(ct);
        var tracks = await db.Set<AgendaSession>().Where(s => s.Track != null).Select(s => s.Track!).Distinct().OrderBy(t => t).ToListAsync(ct);
        return ([.. plans.Select(p => (p.Id, p.PlanKey))], [.. sessions.Select(s => (s.ExternalId, s.Title))], tracks);
    }
}
