using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Campaigns;

/// <summary>Everything needed to create (or replace, before it starts) a campaign.</summary>
public sealed record CampaignDraft
{
    public required long AppId { get; init; }
    public required string? Name { get; init; }
    public required AudienceSpec Audience { get; init; }
    public required CampaignMessage Message { get; init; }
    public DeliveryOptions Options { get; init; } = new();
    public CampaignSchedule Schedule { get; init; } = CampaignSchedule.Immediately;
    public int? ThrottlePerMinute { get; init; }
    /// <summary>The caller's plan id (EngageLab <c>options.plan_id</c>); must exist.</summary>
    public string? PlanKey { get; init; }
    public CampaignOrigin Origin { get; init; } = CampaignOrigin.Console;
    public string? OriginRef { get; init; }
    /// <summary>Stored as a draft and not started (e.g. a disabled server-API schedule); validated all the same.</summary>
    public bool Hold { get; init; }
}

/// <summary>
/// Creates campaigns and starts them: "now" launches at once (the send worker is woken by the launch),
/// any other schedule gets a Quartz trigger that survives restarts. Compose, the server API and the agenda use it.
/// </summary>
public sealed class CampaignService(
    IDbContextFactory<AppDbContext> contexts, CampaignDraftValidator validator, CampaignScheduler scheduler, AuditLog audit, TimeProvider clock)
{
    public async Task<Campaign> CreateAsync(CampaignDraft draft, Actor actor, CancellationToken ct = default) =>
        await CreateAsync(await validator.ValidateAsync(draft, ct), actor, ct);

    /// <summary>Creates a campaign from a draft the caller already validated (compose checks once, then sends).</summary>
    public async Task<Campaign> CreateAsync(ValidDraft valid, Actor actor, CancellationToken ct = default)
    {
        var (draft, planId) = (valid.Draft, valid.PlanId);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = new Campaign
        {
            AppId = draft.AppId,
            Name = draft.Name!.Trim(),
            Origin = draft.Origin,
            OriginRef = draft.OriginRef,
            PlanId = planId,
            Audience = draft.Audience,
            Message = draft.Message,
            Options = draft.Options,
            Schedule = draft.Schedule,
            ThrottlePerMinute = draft.ThrottlePerMinute,
            CreatedBy = actor.Name,
            CreatedAt = now,
            UpdatedAt = now,
            LaunchAt = draft.Schedule.FirstLaunch(now),
            Status = StatusFor(draft),
        };
        campaign.SyncConversion();
        db.Add(campaign);
        audit.Add(db, actor, "campaign.created", campaign.Name, Describe(campaign));
        await db.SaveChangesAsync(ct);
        if (!draft.Hold) await scheduler.TryScheduleLaunchAsync(campaign.Id, campaign.LaunchAt!.Value, ct);
        return campaign;
    }

    /// <summary>Replaces a scheduled campaign's content, audience or time; refused once it has started.</summary>
    public async Task<Campaign> UpdateAsync(long campaignId, CampaignDraft draft, Actor actor, CancellationToken ct = default) =>
        await UpdateAsync(campaignId, await validator.ValidateAsync(draft, ct), actor, ct);

    public async Task<Campaign> UpdateAsync(long campaignId, ValidDraft valid, Actor actor, CancellationToken ct = default)
    {
        var draft = valid.Draft;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = await FindAsync(db, campaignId, draft.AppId, ct);
        if (campaign.Status is not (CampaignStatus.Scheduled or CampaignStatus.Draft))
            throw new ConflictException("status", $"The campaign is {campaign.Status.ToString().ToLowerInvariant()}; only scheduled campaigns can be edited.");
        campaign.PlanId = valid.PlanId;
        campaign.Name = draft.Name!.Trim();
        campaign.Audience = draft.Audience;
        campaign.Message = draft.Message;
        campaign.Options = draft.Options;
        campaign.Schedule = draft.Schedule;
        campaign.ThrottlePerMinute = draft.ThrottlePerMinute;
        campaign.LaunchAt = draft.Schedule.FirstLaunch(now);
        campaign.UpdatedAt = now;
        campaign.Status = StatusFor(draft);
        campaign.SyncConversion();
        audit.Add(db, actor, "campaign.updated", campaign.Name, Describe(campaign));
        await db.SaveChangesAsync(ct);
        if (draft.Hold) await scheduler.UnscheduleAsync(campaign.Id, ct);
        else await scheduler.TryScheduleLaunchAsync(campaign.Id, campaign.LaunchAt!.Value, ct);
        return campaign;
    }

    private static CampaignStatus StatusFor(CampaignDraft draft) =>
        draft.Hold ? CampaignStatus.Draft : draft.Schedule.Kind == ScheduleKind.Now ? CampaignStatus.Sending : CampaignStatus.Scheduled;

    private static string Describe(Campaign campaign) =>
        $"{campaign.Schedule.Kind}, {(campaign.Status == CampaignStatus.Draft ? "held as a draft" : $"launch {campaign.LaunchAt:yyyy-MM-dd HH:mm} UTC")}";

    public async Task<Campaign> GetAsync(long campaignId, long? appId = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await FindAsync(db, campaignId, appId, ct, tracking: false);
    }


    internal static async Task<Campaign> FindAsync(AppDbContext db, long campaignId, long? appId, CancellationToken ct, bool tracking = true)
    {
        var query = tracking ? db.Set<Campaign>() : db.Set<Campaign>().AsNoTracking();
        var campaign = await query.FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        // another app's campaign is reported exactly like a missing one
        if (campaign is null || appId is not null && campaign.AppId != appId)
            throw new NotFoundException($"There is no campaign {campaignId}.");
        return campaign;
    }
}
