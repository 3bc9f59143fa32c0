using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Data;

namespace PushConsole.Campaigns;

public sealed record CampaignListItem(long Id, long AppId, string AppName, string Name, CampaignStatus Status, CampaignOrigin Origin, string? OriginRef,
    long AudienceSize, DateTime CreatedAt, DateTime? LaunchAt, string? CreatedBy);

/// <summary>Reads for the campaigns list and page.</summary>
public sealed class CampaignQueries(IDbContextFactory<AppDbContext> contexts)
{
    public async Task<IReadOnlyList<CampaignListItem>> ListAsync(long? appId, int take = 200, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = from c in db.Set<Campaign>().AsNoTracking()
                    join a in db.Set<App>() on c.AppId equals a.Id
                    where appId == null || c.AppId == appId
                    orderby c.Id descending
                    select new CampaignListItem(c.Id, c.AppId, a.Name, c.Name, c.Status, c.Origin, c.OriginRef, c.AudienceSize, c.CreatedAt, c.LaunchAt, c.CreatedBy);
        return await query.Take(take).ToListAsync(ct);
    }
}
