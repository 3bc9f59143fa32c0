using Quartz;

namespace PushConsole.Scheduling;

/// <summary>The persistent trigger of a job that runs once (a campaign launch, an A/B winner pick, an agenda push).</summary>
public static class OneShotTrigger
{
    /// <summary>
    /// Named like its job, firing once at <paramref name="atUtc"/>; a time that passed while the app was down fires as
    /// soon as it is back (the jobs check they are still relevant).
    /// </summary>
    public static ITrigger At(JobKey job, DateTime atUtc) => TriggerBuilder.Create()
        .WithIdentity(job.Name, job.Group)
        .StartAt(new DateTimeOffset(DateTime.SpecifyKind(atUtc, DateTimeKind.Utc)))
        .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
        .Build();
}
