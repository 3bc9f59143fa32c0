using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Audience;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Launch;

/// <summary>
/// The WHERE clause of an audience over <see cref="AudienceSql.From"/>: <see cref="AudienceSql"/>'s filters, ANDed with
/// the rules of a saved segment when the audience names one (read now, so the launch sees the segment as it is then).
/// </summary>
public sealed class AudienceQuery(Database database, SegmentService segments)
{
    public async Task<string> WhereAsync(long appId, AudienceSpec audience, PushType type, DynamicParameters parameters, CancellationToken ct = default,
        DeviceChoice devices = DeviceChoice.All)
    {
        var where = AudienceSql.Where(database, appId, audience, type, parameters);
        if (devices == DeviceChoice.LastActive) where += " AND " + LastActiveDevice(type);
        if (audience.SegmentId is not { } segmentId) return where;
        return $"{where} AND ({await segments.ResolveWhereAsync(appId, segmentId, parameters, ct)})";
    }

    /// <summary><c>options.devices = "last_active"</c>: of a user's reachable devices only the one seen last (ties: the newest); anonymous devices stay.</summary>
    private static string LastActiveDevice(PushType type) =>
        "(i.app_user_id IS NULL OR NOT EXISTS (SELECT 1 FROM installations o WHERE o.app_user_id = i.app_user_id AND o.app_id = i.app_id AND o.token IS NOT NULL" +
        (type == PushType.Background ? " AND o.state IN ('subscribed', 'background_only')" : " AND o.state = 'subscribed'") +
        " AND (o.last_seen_at > i.last_seen_at OR (o.last_seen_at = i.last_seen_at AND o.id > i.id))))";
}

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
