using Microsoft.EntityFrameworkCore;
using PushConsole.Audience;
using PushConsole.Data;

namespace PushConsole.Automations;

/// <summary>Automations that enter on a segment or branch on "member of" it keep it from being deleted.</summary>
public sealed class AutomationSegmentUsage(IDbContextFactory<AppDbContext> contexts) : ISegmentUsage
{
    public async Task<IReadOnlyList<string>> UsersOfAsync(long appId, long segmentId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var automations = await db.Set<Automation>().AsNoTracking().Where(a => a.AppId == appId).Select(a => new { a.Name, a.Definition }).ToListAsync(ct);
        return [.. automations.Where(a => Uses(AutomationParser.Read(a.Definition, "en"), segmentId)).Select(a => $"automation \"{a.Name}\"").Order()];
    }

    private static bool Uses(AutomationDefinition d, long segmentId) =>
        d.Trigger.Kind == TriggerKind.SegmentEntry && d.Trigger.SegmentId == segmentId
        || d.Audience?.ReferencedSegments().Contains(segmentId) == true
        || AutomationDefinition.Flatten(d.Steps).OfType<BranchStep>().Any(b => b.If.ReferencedSegments().Contains(segmentId));
}
