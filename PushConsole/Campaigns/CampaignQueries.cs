using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Campaigns;

public sealed record CampaignListItem(long Id, long AppId, string AppName, string Name, CampaignStatus Status, CampaignOrigin Origin, string? OriginRef,
    long AudienceSize, DateTime CreatedAt, DateTime? LaunchAt, string? CreatedBy, long Sent = 0, long Opened = 0,
    long Received = 0, long Clicked = 0, long Conversions = 0)
{
    /// <summary>Opened among those sent; null before anything was sent.</summary>
    public double? OpenRate => Sent == 0 ? null : (double)Opened / Sent;
    /// <summary>As <see cref="Interactive.EngagementFigures.Ctr"/> defines it.</summary>
    public double? Ctr => Interactive.EngagementFigures.Ctr(Clicked, Received, Sent);
}

/// <summary>Reads for the campaigns list and page.</summary>
public sealed class CampaignQueries(IDbContextFactory<AppDbContext> contexts, Database database)
{
    public Task<IReadOnlyList<CampaignListItem>> ListAsync(long? appId, int take = 200, CancellationToken ct = default) =>
        ListAsync(c => appId == null || c.AppId == appId, take, ct);

    /// <summary>Campaigns sending, paused or scheduled, however many campaigns were created after them.</summary>
    public Task<IReadOnlyList<CampaignListItem>> ActiveAsync(int take, CancellationToken ct = default) =>
        ListAsync(c => c.Status == CampaignStatus.Sending || c.Status == CampaignStatus.Paused || c.Status == CampaignStatus.Scheduled, take, ct);

    private async Task<IReadOnlyList<CampaignListItem>> ListAsync(System.Linq.Expressions.Expression<Func<Campaign, bool>> filter, int take, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = from c in db.Set<Campaign>().AsNoTracking().Where(filter)
                    join a in db.Set<App>() on c.AppId equals a.Id
                    orderby c.Id descending
                    select new CampaignListItem(c.Id, c.AppId, a.Name, c.Name, c.Status, c.Origin, c.OriginRef, c.AudienceSize, c.CreatedAt, c.LaunchAt, c.CreatedBy, 0, 0);
        var items = await query.Take(take).ToListAsync(ct);
        if (items.Count == 0) return items;
        return await WithCountsAsync(database, items, ct);
    }

    /// <summary>Sent, opened, received, clicked and converted of listed campaigns in one grouped query (the list and the search share it).</summary>
    public static async Task<IReadOnlyList<CampaignListItem>> WithCountsAsync(Database database, IReadOnlyList<CampaignListItem> items, CancellationToken ct)
    {
        if (items.Count == 0) return items;
        await using var connection = await database.OpenAsync(ct);
        var ids = items.Select(i => i.Id).ToArray();
        var counts = (await connection.QueryAsync<(long Id, long Sent, long Opened, long Received, long Clicked, long Converted)>(new CommandDefinition($"""
            SELECT campaign_id, SUM(CASE WHEN status = @sent THEN 1 ELSE 0 END), SUM(CASE WHEN opened_at_ms IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN received_at_ms IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN clicked_at_ms IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN converted_at_ms IS NOT NULL THEN 1 ELSE 0 END)
            FROM deliveries WHERE {database.InList("campaign_id", "@ids")} GROUP BY campaign_id
            """, new { ids, sent = (int)DeliveryStatus.Sent }, cancellationToken: ct))).ToDictionary(r => r.Id);
        return items.Select(i => counts.TryGetValue(i.Id, out var c) ? i with { Sent = c.Sent, Opened = c.Opened, Received = c.Received, Clicked = c.Clicked, Conversions = c.Converted } : i).ToList();
    }
}
