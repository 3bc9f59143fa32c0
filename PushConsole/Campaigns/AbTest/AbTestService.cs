using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions;
using PushConsole.Api;
using PushConsole.Campaigns.Interactive;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Devices;

namespace PushConsole.Campaigns.AbTest;

/// <summary>
/// An A/B test's results per variant, and the pick of its winner: automatically at the end of the window
/// (<see cref="PickWinnerJob"/>) or by hand from the campaign page. Picking releases the held rest of the audience,
/// with the winning variant, in one statement.
/// </summary>
public sealed class AbTestService(
    IDbContextFactory<AppDbContext> contexts, Database database, DeliveryStates deliveries, WinnerScheduler scheduler, DispatchSignal signal,
    AuditLog audit, TimeProvider clock, IOptions<EngagementOptions> engagement, ILogger<AbTestService> logger)
{
    /// <summary>Per variant (and control group): recipients, sent, received, opened, clicked, converted, still awaiting the winner; the control group's own baseline.</summary>
    public async Task<IReadOnlyList<VariantResult>> ResultsAsync(Campaign campaign, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT variant AS Variant, COUNT(*) AS Recipients,
                   SUM(CASE WHEN status = @sent THEN 1 ELSE 0 END) AS Sent,
                   SUM(CASE WHEN status = @sent AND received_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Received,
                   SUM(CASE WHEN status = @sent AND opened_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Opened,
                   SUM(CASE WHEN status = @sent AND clicked_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Clicked,
                   SUM(CASE WHEN status = @sent AND converted_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Converted,
                   SUM(CASE WHEN status = @awaiting THEN 1 ELSE 0 END) AS Awaiting
            FROM deliveries WHERE campaign_id = @campaignId GROUP BY variant
            """, new { campaignId = campaign.Id, sent = (int)DeliveryStatus.Sent, awaiting = (int)DeliveryStatus.AwaitingWinner }, cancellationToken: ct))).ToList();
        var control = campaign.Message.Variants.FirstOrDefault(v => v.IsControl);
        var baseline = control is null ? default : await ControlBaselineAsync(connection, campaign, control.Key, ct);
        var results = new List<VariantResult>();
        foreach (var variant in campaign.Message.Variants)
        {
            var row = rows.FirstOrDefault(r => r.Variant == variant.Key) ?? new Row { Variant = variant.Key };
            // the released rest carries the winner's key, so only rows still awaiting are outside the test
            results.Add(variant.IsControl
                ? new VariantResult(variant.Key, true, row.Recipients - row.Awaiting, row.Sent, row.Received, row.Opened, row.Awaiting, baseline.AppOpened, 0, baseline.Converted)
                : new VariantResult(variant.Key, false, row.Recipients - row.Awaiting, row.Sent, row.Received, row.Opened, row.Awaiting, null, row.Clicked, row.Converted));
        }
        return results;
    }

    /// <summary>
    /// What the control group did anyway, each person from the time the push would have been sent (their row's due time): opened the app
    /// (a session start) within the influence window, and did the campaign's goal within its window (one per device, like conversions).
    /// </summary>
    private async Task<(long AppOpened, long Converted)> ControlBaselineAsync(System.Data.Common.DbConnection connection, Campaign campaign, string key, CancellationToken ct)
    {
        var members = (await connection.QueryAsync<(long Installation, long DueAtMs)>(new CommandDefinition(
            "SELECT installation_id, due_at_ms FROM deliveries WHERE campaign_id = @campaignId AND variant = @key AND status <> @awaiting",
            new { campaignId = campaign.Id, key, awaiting = (int)DeliveryStatus.AwaitingWinner }, cancellationToken: ct))).ToList();
        if (members.Count == 0) return (0, 0);
        var influence = (long)engagement.Value.InfluenceWindow.TotalMilliseconds;
        var goal = campaign.Options.Conversion;
        var goalMs = goal is null ? 0 : goal.WithinSeconds * 1000L;
        static DateTime Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        var events = new List<(long Installation, string Type, string? Name, long Ms)>();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition("""
            SELECT e.installation_id, e.type, e.name, e.at FROM client_events e
            JOIN deliveries d ON d.installation_id = e.installation_id AND d.campaign_id = @campaignId AND d.variant = @key
            WHERE e.app_id = @appId AND e.at >= @from AND e.at <= @to
              AND (e.type = @session OR (e.type <> @custom AND e.type = @goal) OR (e.type = @custom AND e.name = @goal))
            """, new
            {
                campaignId = campaign.Id, key, appId = campaign.AppId, session = ClientEventTypes.SessionStart, custom = ClientEventTypes.Custom,
                goal = goal?.Event ?? "", from = Utc(members.Min(m => m.DueAtMs)), to = Utc(members.Max(m => m.DueAtMs) + Math.Max(influence, goalMs)),
            }, cancellationToken: ct)))
        {
            // read by hand: SQLite keeps the time as text, which GetDateTime parses like PostgreSQL's timestamp
            while (await reader.ReadAsync(ct))
                events.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)).ToUnixTimeMilliseconds()));
        }
        var byDevice = events.ToLookup(e => e.Installation);
        long opened = 0, converted = 0;
        foreach (var (installation, due) in members)
        {
            var times = byDevice[installation];
            if (times.Any(e => e.Type == ClientEventTypes.SessionStart && e.Ms >= due && e.Ms <= due + influence)) opened++;
            if (goal is not null && times.Any(e => (e.Type == ClientEventTypes.Custom ? e.Name : e.Type) == goal.Event && e.Ms >= due && e.Ms <= due + goalMs)) converted++;
        }
        return (opened, converted);
    }

    /// <summary>The end of an automatic test's window: decide from the open rates and release the rest; a no-op once decided.</summary>
    public async Task<WinnerVerdict?> PickAutomaticallyAsync(long campaignId, CancellationToken ct = default)
    {
        Campaign campaign;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            campaign = await CampaignService.FindAsync(db, campaignId, null, ct, tracking: false);
        if (campaign.Message.Winner is not { Mode: WinnerMode.Automatic, ChosenVariant: null } rule) return null;
        if (campaign.Status is CampaignStatus.Cancelled or CampaignStatus.Completed) return null;
        if (!campaign.LaunchDone)
        {
            // the audience is still being written: decide once every held row exists
            await scheduler.ScheduleAsync(campaignId, clock.GetUtcNow().UtcDateTime.AddMinutes(1), replace: true, ct);
            return null;
        }
        var verdict = WinnerSelection.Decide(await ResultsAsync(campaign, ct), rule.DefaultVariant, rule.Metric);
        try
        {
            await ChooseAsync(campaignId, verdict.Winner, verdict.Because, Actor.System, ct);
        }
        catch (ConflictException e)
        {
            logger.LogInformation("Campaign {Campaign}: no automatic winner ({Reason})", campaignId, e.Message);
            return null;
        }
        logger.LogInformation("Campaign {Campaign}: variant {Winner} goes to the rest. {Because}", campaignId, verdict.Winner, verdict.Because);
        return verdict;
    }

    /// <summary>The organizer picks the winner on the campaign page (before or instead of the automatic pick).</summary>
    public async Task PickAsync(long campaignId, string? variant, Actor actor, CancellationToken ct = default)
    {
        await ChooseAsync(campaignId, variant, $"picked by {actor.Name}", actor, ct);
        await scheduler.UnscheduleAsync(campaignId, ct);
    }

    private async Task ChooseAsync(long campaignId, string? variant, string because, Actor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // write first: a concurrent pick (the window's job, a second organizer) waits here and then sees this winner
        await db.Database.ExecuteSqlAsync($"UPDATE campaigns SET updated_at = {now} WHERE id = {campaignId}", ct);
        var campaign = await CampaignService.FindAsync(db, campaignId, null, ct);
        if (campaign.Message.Winner is not { } rule)
            throw new ConflictException("winner", "This campaign is not an A/B test with a winner rule.");
        if (rule.ChosenVariant is { } chosen)
            throw new ConflictException("winner", $"Variant {chosen} was already chosen ({rule.ChosenBecause}).");
        if (campaign.Status is CampaignStatus.Cancelled or CampaignStatus.Completed or CampaignStatus.Scheduled or CampaignStatus.Draft)
            throw new ConflictException("winner", $"The campaign is {campaign.Status.ToString().ToLowerInvariant()}; a winner is picked while the test runs.");
        if (!campaign.LaunchDone)
            throw new ConflictException("winner", "The launch is still writing the audience; pick the winner once it has finished.");
        if (campaign.Message.Variants.FirstOrDefault(v => v.Key == variant && !v.IsControl) is null)
            throw new BadInputException("winner", $"Pick one of the variants ({string.Join(", ", campaign.Message.Variants.Where(v => !v.IsControl).Select(v => v.Key))}).");

        campaign.Message = campaign.Message with { Winner = rule with { ChosenVariant = variant, ChosenAt = now, ChosenBecause = because } };
        campaign.UpdatedAt = now;
        audit.Add(db, actor, "campaign.winner_chosen", campaign.Name, $"variant {variant}: {because}");
        await db.SaveChangesAsync(ct);
        var released = await deliveries.ReleaseWinnerAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), campaign, variant!, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Campaign {Campaign}: {Count} held deliveries released with variant {Winner}", campaignId, released, variant);
        if (campaign.ThrottlePerMinute is { } rate) await deliveries.SpreadAsync(campaignId, rate, ct);
        signal.Wake();
        // nothing was held (e.g. everyone was in the test): the campaign may be done already
        if (released == 0) await deliveries.CompleteIfDoneAsync(campaignId, ct);
    }

    // properties, not a positional record: SQLite hands every integer back as Int64
    private sealed class Row
    {
        public string Variant { get; init; } = "";
        public long Recipients { get; init; }
        public long Sent { get; init; }
        public long Received { get; init; }
        public long Opened { get; init; }
        public long Clicked { get; init; }
        public long Converted { get; init; }
        public long Awaiting { get; init; }
    }
}
