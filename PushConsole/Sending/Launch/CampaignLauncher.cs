using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PushConsole.Apps;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Launch;

/// <summary>
/// Launch: streams the audience from one SQL query and writes the outbox in large batches (one transaction each,
/// plain ADO.NET), deciding per recipient the variant, language, due time and suppression. Memory stays flat
/// whatever the audience size. Resumable: a cursor on the campaign and a unique (campaign, installation) key
/// mean a launch cut short by a crash continues where it stopped without writing anyone twice.
/// </summary>
public sealed class CampaignLauncher(
    IDbContextFactory<AppDbContext> contexts, Database database, AudienceQuery audiences, DeliveryWriter writer, DispatchSignal signal, LaunchRules rules,
    DeliveryStates states, IOptions<DispatchOptions> options, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<CampaignLauncher> logger)
{
    public const int MinimumLifetimeSeconds = 30;
    private readonly ConcurrentDictionary<long, Task> _running = new();

    /// <summary>Runs the launch on the thread pool (the caller, e.g. an API request, returns at once).</summary>
    public void StartInBackground(long campaignId) =>
        _running.GetOrAdd(campaignId, id => Task.Run(async () =>
        {
            try { await LaunchAsync(id, lifetime.ApplicationStopping); }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested) { }
            catch (Exception e) { logger.LogError(e, "Launch of campaign {Campaign} failed; it resumes at the next start", id); }
            finally { _running.TryRemove(id, out _); }
        }));

    /// <summary>Waits for background launches (tests, shutdown).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    public async Task LaunchAsync(long campaignId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var started = clock.GetTimestamp();
        Campaign campaign;
        ApnsEnvironment apnsDefault;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var found = await db.Set<Campaign>().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
            if (found is null || found.LaunchDone || found.Status is CampaignStatus.Cancelled or CampaignStatus.Completed) return;
            if (found.Status is CampaignStatus.Scheduled or CampaignStatus.Draft) found.Status = CampaignStatus.Sending;
            found.LaunchedAt ??= now;
            found.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            campaign = found;
            apnsDefault = await db.Set<App>().Where(a => a.Id == found.AppId).Select(a => (ApnsEnvironment?)a.Apns!.Environment).FirstOrDefaultAsync(ct)
                          ?? ApnsEnvironment.Production;
        }
        logger.LogInformation("Launching campaign {Campaign} \"{Name}\" from installation {Cursor}", campaign.Id, campaign.Name, campaign.LaunchCursor);

        var planner = new RecipientPlanner(campaign, now);
        var nowMs = new DateTimeOffset(now).ToUnixTimeMilliseconds();
        var throttleIntervalMs = campaign.ThrottlePerMinute is { } rate ? 60_000.0 / rate : 0;
        var written = campaign.AudienceSize;
        var cursor = campaign.LaunchCursor;
        var batch = new List<NewDelivery>(options.Value.LaunchBatchSize);

        var parameters = new DynamicParameters(new { cursor });
        var where = await audiences.WhereAsync(campaign.AppId, campaign.Audience, campaign.Options.PushType, parameters, ct, campaign.Options.Devices);
        var active = new List<LaunchRuleSql>();
        foreach (var rule in rules.InOrder)
            if (await rule.PrepareAsync(campaign, now, ct) is { } prepared)
            {
                active.Add(prepared);
                if (prepared.Parameters is not null) parameters.AddDynamicParams(prepared.Parameters);
            }
        var extraColumns = string.Concat(active.Where(r => !string.IsNullOrWhiteSpace(r.Columns)).Select(r => ", " + r.Columns));
        var extraJoins = string.Join(" ", active.Select(r => r.Joins).Where(j => !string.IsNullOrWhiteSpace(j)));
        var sql = $"""
            SELECT i.id AS InstallationId, i.app_user_id AS UserId, i.platform AS Platform, i.apns_environment AS ApnsEnvironment,
                   COALESCE(i.language, u.language) AS Language, COALESCE(i.time_zone, u.time_zone) AS TimeZone{extraColumns}
            FROM {AudienceSql.From} {extraJoins}
            WHERE {where} AND i.id > @cursor
            ORDER BY i.id
            """;
        // the dispatcher gives even a "now or never" push a short window to leave
        var lifetimeMs = Math.Max(campaign.Options.TtlSeconds, MinimumLifetimeSeconds) * 1000L;

        await using (var reader = await database.OpenAsync(ct))
        {
            // one query, read as a stream; rows go to the outbox in batches on another connection
            await using var rows = await reader.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: ct, commandTimeout: 0, flags: CommandFlags.None));
            var parser = rows.GetRowParser<AudienceRow>();
            var reading = StageCpu.Start("launch_read");
            while (await rows.ReadAsync(ct))
            {
                var row = parser(rows);
                var plan = planner.Plan(new Recipient(row.InstallationId, row.Language, row.TimeZone));
                var decision = new RecipientDecision { Status = DeliveryStatus.Pending, DueAtMs = new DateTimeOffset(plan.DueUtc).ToUnixTimeMilliseconds(), Variant = plan.Variant };
                // the control group gets nothing; its row is kept so its opens-without-push measure lift
                if (plan.IsControl) decision.Suppress("control_group");
                foreach (var rule in active)
                    if (!decision.Suppressed) rule.Apply(rows, row, ref decision);
                if (throttleIntervalMs > 0) decision.DueAtMs = Math.Max(decision.DueAtMs, nowMs + (long)(written * throttleIntervalMs));
                var (provider, environment) = Lane(row.Platform, row.ApnsEnvironment ?? apnsDefault);
                batch.Add(new NewDelivery(campaign.Id, campaign.AppId, row.InstallationId, row.UserId, provider, environment, decision.Variant, plan.Language,
                    decision.Status, decision.Reason, decision.DueAtMs, decision.DueAtMs + lifetimeMs, nowMs));
                written++;
                cursor = row.InstallationId;
                if (batch.Count >= options.Value.LaunchBatchSize)
                {
                    reading.Stop();
                    var flushing = await FlushAsync(campaign.Id, batch, cursor, written, done: false, ct);
                    reading = StageCpu.Start("launch_read");
                    if (!flushing)
                    {
                        PushMetrics.Launched(clock.GetElapsedTime(started), "cancelled");
                        return;
                    }
                    batch.Clear();
                }
            }
            reading.Stop();
        }
        await FlushAsync(campaign.Id, batch, cursor, written, done: true, ct);
        PushMetrics.Launched(clock.GetElapsedTime(started), "done");
        logger.LogInformation("Campaign {Campaign} launched: {Count} recipients in the outbox", campaign.Id, written);
        // nothing to send (an empty audience, or everyone suppressed): the worker will never see it, so complete it here
        if (await states.CompleteIfDoneAsync(campaign.Id, ct))
            logger.LogInformation("Campaign {Campaign} completed at launch: nothing left to send", campaign.Id);
    }

    /// <summary>Writes a batch and moves the cursor in one transaction; false when the campaign was cancelled meanwhile.</summary>
    private async Task<bool> FlushAsync(long campaignId, List<NewDelivery> batch, long cursor, long written, bool done, CancellationToken ct)
    {
        CampaignStatus status;
        using (StageCpu.Start("launch_write"))
            status = await writer.WriteAsync(campaignId, batch, cursor, written, done, ct);
        // wake the worker at once: the first batch should reach a provider within a second of "send now"
        signal.Wake();
        return status != CampaignStatus.Cancelled;
    }

    public static (PushProvider Provider, ApnsEnvironment Environment) Lane(Platform platform, ApnsEnvironment apnsEnvironment) => platform switch
    {
        Platform.Ios => (PushProvider.Apns, apnsEnvironment),
        Platform.Web => (PushProvider.WebPush, ApnsEnvironment.Production),
        _ => (PushProvider.Fcm, ApnsEnvironment.Production),
    };
}

/// <summary>One recipient as the audience query returns it.</summary>
public sealed class AudienceRow
{
    public long InstallationId { get; init; }
    public long? UserId { get; init; }
    /// <summary>Dapper reads the stored text by member name (see <see cref="PlatformNames"/>).</summary>
    public Platform Platform { get; init; }
    public ApnsEnvironment? ApnsEnvironment { get; init; }
    public string? Language { get; init; }
    public string? TimeZone { get; init; }
}

public sealed record NewDelivery(long CampaignId, long AppId, long InstallationId, long? UserId, PushProvider Provider, ApnsEnvironment Environment,
    string Variant, string Language, DeliveryStatus Status, string? Reason, long DueAtMs, long ExpiresAtMs, long CreatedAtMs);
