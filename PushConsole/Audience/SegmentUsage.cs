using Microsoft.EntityFrameworkCore;
using PushConsole.Data;

namespace PushConsole.Audience;

/// <summary>
/// Something that uses a saved segment and must keep it: another segment's "member of" rule here, a scheduled
/// campaign on the campaign side. Each registered implementation is asked before a delete; any answer refuses it.
/// </summary>
public interface ISegmentUsage
{
    /// <summary>Descriptions of what uses the segment (e.g. <c>segment "VIP speakers"</c>), empty when nothing does.</summary>
    Task<IReadOnlyList<string>> UsersOfAsync(long appId, long segmentId, CancellationToken ct);
}

/// <summary>Other segments of the app whose rules say "member of" this one.</summary>
public sealed class SegmentReferenceUsage(IDbContextFactory<AppDbContext> contexts) : ISegmentUsage
{
    public async Task<IReadOnlyList<string>> UsersOfAsync(long appId, long segmentId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var others = await db.Set<Segment>().AsNoTracking().Where(s => s.AppId == appId && s.Id != segmentId)
            .Select(s => new { s.Name, s.Rules }).ToListAsync(ct);
        return [.. others.Where(s => RulesJson.Parse(s.Rules).ReferencedSegments().Contains(segmentId)).Select(s => $"segment \"{s.Name}\"").Order()];
    }
}
