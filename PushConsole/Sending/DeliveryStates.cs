using System.Data.Common;
using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending;

/// <summary>
/// What Sending tells the feature that owns a campaign's lifecycle (implemented outside Sending, by Campaigns):
/// Sending never calls into its users, it calls this.
/// </summary>
public interface ISendingFeedback
{
    /// <summary>A provider refused the app's credentials (or similar): stop the campaign until someone fixes it.</summary>
    Task PauseRequestedAsync(long campaignId, string reason, CancellationToken ct);
}

/// <summary>
/// Every status change of a campaign's deliveries outside the worker's own claim and outcome writes (<see cref="Outbox"/>):
/// hold, release, cancel, an A/B test's winner release, an erasure's cancel, re-spread for a throttle, and completion of the
/// campaign once nothing is left.
/// </summary>
public sealed class DeliveryStates(Database database, TimeProvider clock)
{
    /// <summary>Moves a campaign's deliveries in one status to another (pause: pending → held; resume; cancel).</summary>
    public async Task MoveAsync(long campaignId, DeliveryStatus from, DeliveryStatus to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET status = @to WHERE campaign_id = @campaignId AND status = @from",
            new { to = (int)to, from = (int)from, campaignId }, cancellationToken: ct, commandTimeout: 300));
    }

    /// <summary>
    /// An A/B test's held rest gets the winning variant and is due now (or at its own later time), in the caller's transaction
    /// that records the winner; a paused campaign keeps it held until it resumes. Only rows still awaiting move, so a second
    /// release finds none: the count says how many this call released.
    /// </summary>
    public async Task<int> ReleaseWinnerAsync(DbConnection connection, DbTransaction transaction, Campaign campaign, string variant, CancellationToken ct)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var lifetimeMs = Math.Max(campaign.Options.TtlSeconds, CampaignLauncher.MinimumLifetimeSeconds) * 1000L;
        var to = campaign.Status == CampaignStatus.Paused ? DeliveryStatus.Held : DeliveryStatus.Pending;
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE deliveries SET status = @to, variant = @variant,
                due_at_ms = CASE WHEN due_at_ms > @now THEN due_at_ms ELSE @now END,
                expires_at_ms = CASE WHEN due_at_ms > @now THEN due_at_ms ELSE @now END + @lifetime
            WHERE campaign_id = @campaignId AND status = @awaiting
            """, new { to = (int)to, variant, now = nowMs, lifetime = lifetimeMs, campaignId = campaign.Id, awaiting = (int)DeliveryStatus.AwaitingWinner },
            transaction, cancellationToken: ct, commandTimeout: 300));
    }

    /// <summary>A person's data is erased: their deliveries not yet sent (pending or held) are cancelled, in the erasure's transaction.</summary>
    public Task CancelErasedAsync(DbConnection connection, DbTransaction transaction, long appId, long userKey, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE deliveries SET status = @cancelled, reason = 'erased' WHERE id IN (SELECT d.id FROM deliveries d WHERE {DeliveryPersonalData.Mine} AND d.app_id = @app AND d.status IN (@pending, @held))",
            new { user = userKey, app = appId, cancelled = (int)DeliveryStatus.Cancelled, pending = (int)DeliveryStatus.Pending, held = (int)DeliveryStatus.Held },
            transaction, cancellationToken: ct));

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

    /// <summary>A throttle removed: pending rows not yet tried are due now.</summary>
    public async Task UnthrottleAsync(long campaignId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET due_at_ms = @now WHERE campaign_id = @campaignId AND status = @pending AND due_at_ms > @now AND attempts = 0",
            new { now, campaignId, pending = (int)DeliveryStatus.Pending }, cancellationToken: ct));
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
}
