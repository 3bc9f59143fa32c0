using Quartz;

namespace PushConsole.Campaigns;

/// <summary>
/// Starts launches: at once in this process for "now" (the shortest path to the first provider request),
/// otherwise through a persistent Quartz trigger, so a scheduled campaign survives restarts (and on PostgreSQL
/// fires on exactly one instance of the cluster).
/// </summary>
public sealed class CampaignScheduler(ISchedulerFactory schedulers, CampaignLauncher launcher, TimeProvider clock)
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
