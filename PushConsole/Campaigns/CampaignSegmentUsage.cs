using Microsoft.EntityFrameworkCore;
using PushConsole.Audience;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Campaigns;

/// <summary>
/// Campaigns that will still read a segment: not launched yet (draft, scheduled, or a launch under way). Once the
/// launch has written the outbox the segment may go; the campaign keeps its recipients.
/// </summary>
public sealed class CampaignSegmentUsage(IDbContextFactory<AppDbContext> contexts) : ISegmentUsage
{
    public async Task<IReadOnlyList<string>> UsersOfAsync(long appId, long segmentId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = await db.Set<Campaign>().AsNoTracking()
            .Where(c => c.AppId == appId && !c.LaunchDone && c.Status != CampaignStatus.Cancelled && c.Status != CampaignStatus.Completed)
            .Select(c => new { c.Id, c.Name, c.Status, c.Audience }).ToListAsync(ct);
        return [.. pending.Where(c => c.Audience.SegmentId == segmentId)
            .Select(c => $"{c.Status.ToString().ToLowerInvariant()} campaign \"{c.Name}\" (#{c.Id})")];
    }
}
