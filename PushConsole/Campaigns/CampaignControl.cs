using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Campaigns;

/// <summary>
/// Pause, resume, cancel and throttle a campaign, from the console, the API or the worker itself (rejected
/// credentials). Each takes effect within one batch: pending rows are held, released or cancelled in one statement;
/// rows already handed to a provider finish.
/// </summary>
public sealed class CampaignControl(IDbContextFactory<AppDbContext> contexts, DeliveryStates deliveries, CampaignScheduler scheduler,
    DispatchSignal signal, AuditLog audit, TimeProvider clock) : ISendingFeedback
{
    /// <summary>The send worker's request (e.g. rejected credentials); a campaign no longer sending is left as it is.</summary>
    public async Task PauseRequestedAsync(long campaignId, string reason, CancellationToken ct)
    {
        try { await PauseAsync(campaignId, null, Actor.System, reason, ct); }
        catch (ConflictException) { }
    }

    public async Task PauseAsync(long campaignId, long? appId, Actor actor, string? reason = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = await CampaignService.FindAsync(db, campaignId, appId, ct);
        if (campaign.Status == CampaignStatus.Paused) return;
        if (campaign.Status != CampaignStatus.Sending)
            throw new ConflictException("status", $"Only a sending campaign can be paused; this one is {Describe(campaign.Status)}.");
        campaign.Status = CampaignStatus.Paused;
        campaign.PausedReason = reason;
        campaign.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, "campaign.paused", campaign.Name, reason);
        await db.SaveChangesAsync(ct);
        await MoveAsync(campaignId, DeliveryStatus.Pending, DeliveryStatus.Held, ct);
    }

    public async Task ResumeAsync(long campaignId, long? appId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = await CampaignService.FindAsync(db, campaignId, appId, ct);
        if (campaign.Status == CampaignStatus.Sending) return;
        if (campaign.Status != CampaignStatus.Paused)
            throw new ConflictException("status", $"Only a paused campaign can be resumed; this one is {Describe(campaign.Status)}.");
        campaign.Status = CampaignStatus.Sending;
        campaign.PausedReason = null;
        campaign.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, "campaign.resumed", campaign.Name);
        await db.SaveChangesAsync(ct);
        await MoveAsync(campaignId, DeliveryStatus.Held, DeliveryStatus.Pending, ct);
        if (campaign.ThrottlePerMinute is { } rate) await SpreadAsync(campaignId, rate, ct);
        signal.Wake();
    }

    public async Task CancelAsync(long campaignId, long? appId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = await CampaignService.FindAsync(db, campaignId, appId, ct);
        if (campaign.Status is CampaignStatus.Cancelled) return;
        if (campaign.Status is CampaignStatus.Completed)
            throw new ConflictException("status", "The campaign has completed; there is nothing left to cancel.");
        var wasScheduled = campaign.Status is CampaignStatus.Scheduled or CampaignStatus.Draft;
        campaign.Status = CampaignStatus.Cancelled;
        campaign.CompletedAt = clock.GetUtcNow().UtcDateTime;
        campaign.UpdatedAt = campaign.CompletedAt.Value;
        audit.Add(db, actor, "campaign.cancelled", campaign.Name, wasScheduled ? "before it started" : "while sending");
        await db.SaveChangesAsync(ct);
        if (wasScheduled) await scheduler.UnscheduleAsync(campaignId, ct);
        await MoveAsync(campaignId, DeliveryStatus.Pending, DeliveryStatus.Cancelled, ct);
        await MoveAsync(campaignId, DeliveryStatus.Held, DeliveryStatus.Cancelled, ct);
        await MoveAsync(campaignId, DeliveryStatus.AwaitingWinner, DeliveryStatus.Cancelled, ct);
    }

    /// <summary>Changes the rate (null removes it); pending rows are spread again from now.</summary>
    public async Task SetThrottleAsync(long campaignId, long? appId, int? perMinute, Actor actor, CancellationToken ct = default)
    {
        if (perMinute is <= 0 or > 10_000_000)
            throw new BadInputException("throttlePerMinute", "A throttle is between 1 and 10,000,000 messages per minute (empty for none).");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = await CampaignService.FindAsync(db, campaignId, appId, ct);
        if (campaign.Status is CampaignStatus.Completed or CampaignStatus.Cancelled)
            throw new ConflictException("status", $"The message is {campaign.Status.ToString().ToLowerInvariant()}; there is nothing left to throttle.");
        campaign.ThrottlePerMinute = perMinute;
        campaign.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, "campaign.throttled", campaign.Name, perMinute is null ? "no throttle" : $"{perMinute}/min");
        await db.SaveChangesAsync(ct);
        if (perMinute is { } rate) await SpreadAsync(campaignId, rate, ct);
        else await deliveries.UnthrottleAsync(campaignId, ct);
        signal.Wake();
    }

    private Task MoveAsync(long campaignId, DeliveryStatus from, DeliveryStatus to, CancellationToken ct) => deliveries.MoveAsync(campaignId, from, to, ct);

    private Task SpreadAsync(long campaignId, int perMinute, CancellationToken ct) => deliveries.SpreadAsync(campaignId, perMinute, ct);

    private static string Describe(CampaignStatus status) => status.ToString().ToLowerInvariant();
}
