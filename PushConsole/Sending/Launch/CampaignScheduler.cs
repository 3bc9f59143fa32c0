using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PushConsole.Data;
using PushConsole.Sending;
using Quartz;

namespace PushConsole.Sending.Launch;

/// <summary>
/// Starts launches: at once in this process for "now" (the shortest path to the first provider request),
/// otherwise through a persistent Quartz trigger, so a scheduled campaign survives restarts (and on PostgreSQL
/// fires on exactly one instance of the cluster).
/// </summary>
public sealed class CampaignScheduler(ISchedulerFactory schedulers, CampaignLauncher launcher, TimeProvider clock, ILogger<CampaignScheduler> logger)
{
    private const string Group = "campaign-launch";

    public static JobKey JobKeyFor(long campaignId) => new($"campaign-{campaignId}", Group);

    public async Task ScheduleLaunchAsync(long campaignId, DateTime launchAtUtc, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.DeleteJob(JobKeyFor(campaignId), ct);
        if (launchAtUtc <= clock.GetUtcNow().UtcDateTime.AddSeconds(1))
        {
            launcher.StartInBackground(campaignId);
            return;
        }
        var job = JobBuilder.Create<LaunchCampaignJob>()
            .WithIdentity(JobKeyFor(campaignId))
            .UsingJobData(LaunchCampaignJob.CampaignIdKey, campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Build();
        await scheduler.ScheduleJob(job, Scheduling.OneShotTrigger.At(job.Key, launchAtUtc), ScheduleJobOptions.Replacing, ct);
    }

    /// <summary>
    /// Schedules the launch of a campaign already stored; if Quartz cannot take the trigger now, the campaign stays saved
    /// and <see cref="ScheduleRepair"/> gives it its trigger later (so the caller never retries and duplicates it).
    /// </summary>
    public async Task<bool> TryScheduleLaunchAsync(long campaignId, DateTime launchAtUtc, CancellationToken ct)
    {
        try
        {
            await ScheduleLaunchAsync(campaignId, launchAtUtc, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Campaign {Campaign} is saved but its launch trigger could not be stored; the schedule repair adds it", campaignId);
            return false;
        }
    }

    /// <summary>Whether the campaign's launch trigger is in Quartz's store.</summary>
    public async Task<bool> HasTriggerAsync(long campaignId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobKeyFor(campaignId);
        return await scheduler.GetTrigger(new TriggerKey(job.Name, job.Group), ct) is not null;
    }

    public async Task UnscheduleAsync(long campaignId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.DeleteJob(JobKeyFor(campaignId), ct);
    }
}

/// <summary>Quartz job: launch one campaign (write its outbox rows and wake the worker).</summary>
[DisallowConcurrentExecution]
public sealed class LaunchCampaignJob(CampaignLauncher launcher) : IJob
{
    public const string CampaignIdKey = "campaignId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var id = long.Parse(context.MergedJobDataMap.GetString(CampaignIdKey)!, System.Globalization.CultureInfo.InvariantCulture);
        await launcher.LaunchAsync(id, cancellationToken);
    }
}

/// <summary>
/// The campaign row and its Quartz trigger are two stores: at start and every <see cref="DispatchOptions.ScheduleRepairInterval"/>,
/// a scheduled campaign whose trigger is missing gets it back (a launch time that passed launches at once).
/// </summary>
public sealed class ScheduleRepair(IDbContextFactory<AppDbContext> contexts, CampaignScheduler scheduler, IOptions<DispatchOptions> options,
    TimeProvider clock, ILogger<ScheduleRepair> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScheduleRepairInterval, clock);
        do
        {
            try { await RepairAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Checking scheduled campaigns for their launch triggers failed; trying again later");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Gives every scheduled campaign without a trigger its trigger back; returns how many were repaired.</summary>
    public async Task<int> RepairAsync(CancellationToken ct)
    {
        List<(long Id, DateTime LaunchAt)> scheduled;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            scheduled = (await db.Set<Campaign>().AsNoTracking().Where(c => c.Status == CampaignStatus.Scheduled && c.LaunchAt != null)
                .Select(c => new { c.Id, c.LaunchAt }).ToListAsync(ct)).Select(c => (c.Id, c.LaunchAt!.Value)).ToList();
        var repaired = 0;
        foreach (var (id, launchAt) in scheduled)
        {
            if (await scheduler.HasTriggerAsync(id, ct)) continue;
            logger.LogWarning("Scheduled campaign {Campaign} had no launch trigger; adding it for {LaunchAt:u}", id, launchAt);
            await scheduler.ScheduleLaunchAsync(id, launchAt, ct);
            repaired++;
        }
        return repaired;
    }
}
