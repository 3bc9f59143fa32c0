using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Delivery;

namespace PushConsole.Campaigns;

/// <summary>
/// Pause, resume, cancel and throttle a campaign, from the console, the API or the worker itself (rejected
/// credentials). Each takes effect within one batch: pending rows are held, released or cancelled in one statement;
/// rows already handed to a provider finish.
/// </summary>
public sealed class CampaignControl(IDbContextFactory<AppDbContext> contexts, Database database, CampaignScheduler scheduler,
    DispatchSignal signal, AuditLog audit, TimeProvider clock)
{
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
        else
        {
            await using var connection = await database.OpenAsync(ct);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE deliveries SET due_at_ms = @now WHERE campaign_id = @campaignId AND status = @pending AND due_at_ms > @now AND attempts = 0",
                new { now, campaignId, pending = (int)DeliveryStatus.Pending }, cancellationToken: ct));
        }
        signal.Wake();
    }

    /// <summary>
    /// Throttling is written into the outbox: pending rows get due times <c>60 s / rate</c> apart, in their order.
    /// Every instance then honours it by claiming only due rows, and a restart keeps it.
    /// </summary>
    public async Task SpreadAsync(long campaignId, int perMinute, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE deliveries SET due_at_ms = CASE WHEN r.due > @now + r.rn * 60000 / @rate THEN r.due ELSE @now + r.rn * 60000 / @rate END
            FROM (SELECT id, due_at_ms AS due, ROW_NUMBER() OVER (ORDER BY due_at_ms, id) - 1 AS rn
                  FROM deliveries WHERE campaign_id = @campaignId AND status = @pending) AS r
            WHERE deliveries.id = r.id
            """, new { now, rate = (long)perMinute, campaignId, pending = (int)DeliveryStatus.Pending }, cancellationToken: ct, commandTimeout: 300));
    }

    /// <summary>Marks a sending campaign completed once its launch is done and nothing is left to send.</summary>
    public async Task<bool> CompleteIfDoneAsync(long campaignId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var open = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT 1 FROM deliveries WHERE campaign_id = @campaignId AND status IN (@pending, @inFlight, @held, @awaiting) LIMIT 1) AS x",
            new { campaignId, pending = (int)DeliveryStatus.Pending, inFlight = (int)DeliveryStatus.InFlight, held = (int)DeliveryStatus.Held,
                  awaiting = (int)DeliveryStatus.AwaitingWinner }, cancellationToken: ct));
        if (open > 0) return false;
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE campaigns SET status = @completed, completed_at = @now, updated_at = @now WHERE id = @campaignId AND status = @sending AND launch_done = @yes",
            new { completed = (int)CampaignStatus.Completed, sending = (int)CampaignStatus.Sending, now = clock.GetUtcNow().UtcDateTime, campaignId, yes = true },
            cancellationToken: ct));
        return updated > 0;
    }

    private async Task MoveAsync(long campaignId, DeliveryStatus from, DeliveryStatus to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET status = @to WHERE campaign_id = @campaignId AND status = @from",
            new { to = (int)to, from = (int)from, campaignId }, cancellationToken: ct, commandTimeout: 300));
    }

    private static string Describe(CampaignStatus status) => status.ToString().ToLowerInvariant();
}
