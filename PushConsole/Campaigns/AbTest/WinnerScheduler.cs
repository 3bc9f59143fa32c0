using System.Globalization;
using Quartz;

namespace PushConsole.Campaigns.AbTest;

/// <summary>The Quartz trigger at the end of an automatic A/B test's window; persistent, so a restart keeps it.</summary>
public sealed class WinnerScheduler(ISchedulerFactory schedulers, TimeProvider clock)
{
    private const string Group = "campaign-winner";

    public static JobKey JobKeyFor(long campaignId) => new($"winner-{campaignId}", Group);

    /// <summary>Schedules the pick at <paramref name="atUtc"/> (at once when past); an existing trigger stays unless <paramref name="replace"/>.</summary>
    public async Task ScheduleAsync(long campaignId, DateTime atUtc, bool replace, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        if (!replace && await scheduler.Exists(JobKeyFor(campaignId), ct)) return;
        var at = atUtc < clock.GetUtcNow().UtcDateTime ? clock.GetUtcNow().UtcDateTime : atUtc;
        var job = JobBuilder.Create<PickWinnerJob>()
            .WithIdentity(JobKeyFor(campaignId))
            .UsingJobData(PickWinnerJob.CampaignIdKey, campaignId.ToString(CultureInfo.InvariantCulture))
            .Build();
        await scheduler.ScheduleJob(job, Scheduling.OneShotTrigger.At(job.Key, at), ScheduleJobOptions.Replacing, ct);
    }

    public async Task UnscheduleAsync(long campaignId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.DeleteJob(JobKeyFor(campaignId), ct);
    }
}

/// <summary>Quartz job at the end of the test window: picks the winner and releases the rest of the audience.</summary>
[DisallowConcurrentExecution]
public sealed class PickWinnerJob(AbTestService tests) : IJob
{
    public const string CampaignIdKey = "campaignId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var id = long.Parse(context.MergedJobDataMap.GetString(CampaignIdKey)!, CultureInfo.InvariantCulture);
        await tests.PickAutomaticallyAsync(id, cancellationToken);
    }
}
