using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns;

/// <summary>A plan with how many campaigns it groups, for lists.</summary>
public sealed record PlanListItem(long Id, long AppId, string AppName, string PlanKey, string? Description, DateTime CreatedAt, int Campaigns);

/// <summary>One campaign of a plan, for the plan's page.</summary>
public sealed record PlanCampaign(long Id, string Name, CampaignStatus Status, CampaignOrigin Origin, string? OriginRef, DateTime CreatedAt, DateTime? LaunchAt);

/// <summary>
/// Push plans (EngageLab Plan Push): an id per operation that campaigns are attributed to (<c>options.plan_id</c>),
/// so its statistics can be read as one. Created through the server API or the console; ids are unique per app.
/// </summary>
public sealed partial class PlanService(IDbContextFactory<AppDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public const int MaxKey = 100;
    public const int MaxDescription = 500;

    public async Task<Plan> CreateAsync(long appId, string? planKey, string? description, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var key = planKey?.Trim();
        if (string.IsNullOrEmpty(key)) errors.Add("plan_id", "plan_id is required, e.g. \"promo_year_end_2025\".");
        else if (key.Length > MaxKey || !KeyPattern().IsMatch(key))
            errors.Add("plan_id", $"plan_id is 1 to {MaxKey} letters, digits, '_', '-' or '.'.");
        if (description is { Length: > MaxDescription }) errors.Add("plan_description", $"plan_description is at most {MaxDescription} characters.");
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Set<App>().AnyAsync(a => a.Id == appId, ct)) throw new NotFoundException($"There is no app {appId}.");
        if (await db.Set<Plan>().AnyAsync(p => p.AppId == appId && p.PlanKey == key, ct))
            throw new ConflictException("plan_id", $"There is already a plan \"{key}\"; plan ids are unique.");
        var plan = new Plan { AppId = appId, PlanKey = key!, Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(), CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Add(plan);
        audit.Add(db, actor, "plan.created", key, plan.Description);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // two calls raced for the same id: the unique index kept one
            throw new ConflictException("plan_id", $"There is already a plan \"{key}\"; plan ids are unique.");
        }
        return plan;
    }

    public async Task<IReadOnlyList<PlanListItem>> ListAsync(long? appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await (from p in db.Set<Plan>().AsNoTracking()
                      join a in db.Set<App>() on p.AppId equals a.Id
                      where appId == null || p.AppId == appId
                      orderby p.CreatedAt descending, p.Id descending
                      select new PlanListItem(p.Id, p.AppId, a.Name, p.PlanKey, p.Description, p.CreatedAt,
                          db.Set<Campaign>().Count(c => c.PlanId == p.Id))).ToListAsync(ct);
    }

    public async Task<PlanListItem?> FindAsync(long planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await (from p in db.Set<Plan>().AsNoTracking()
                      join a in db.Set<App>() on p.AppId equals a.Id
                      where p.Id == planId
                      select new PlanListItem(p.Id, p.AppId, a.Name, p.PlanKey, p.Description, p.CreatedAt,
                          db.Set<Campaign>().Count(c => c.PlanId == p.Id))).FirstOrDefaultAsync(ct);
    }

    /// <summary>The plans of an app by their keys; unknown keys are reported by name (field <c>plan_ids</c>).</summary>
    public async Task<IReadOnlyList<Plan>> ByKeysAsync(long appId, IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plans = await db.Set<Plan>().AsNoTracking().Where(p => p.AppId == appId && keys.Contains(p.PlanKey)).ToListAsync(ct);
        var missing = keys.Where(k => plans.All(p => p.PlanKey != k)).ToList();
        if (missing.Count > 0)
            throw new BadInputException("plan_ids", $"There is no plan {string.Join(", ", missing.Select(m => $"\"{m}\""))}.");
        return keys.Select(k => plans.First(p => p.PlanKey == k)).ToList();
    }

    public async Task<IReadOnlyList<PlanCampaign>> CampaignsAsync(long planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Campaign>().AsNoTracking().Where(c => c.PlanId == planId).OrderByDescending(c => c.Id)
            .Select(c => new PlanCampaign(c.Id, c.Name, c.Status, c.Origin, c.OriginRef, c.CreatedAt, c.LaunchAt)).ToListAsync(ct);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex KeyPattern();
}
