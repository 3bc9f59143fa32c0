using Dapper;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using Quartz;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Sending;

/// <summary>The campaign row and its Quartz trigger live in two stores: a scheduled campaign whose trigger is missing gets it back.</summary>
public sealed class ScheduleRepairTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_scheduled_campaign_saved_while_quartz_refuses_its_trigger_is_stored_once_and_gets_its_trigger_when_quartz_is_back()
    {
        await using var host = await AppHost.StartAsync(o => o.Args.Add("--Dispatch:ScheduleRepairInterval=00:00:01"));
        host.Output = output;
        var appId = (await host.Get<AppService>().CreateAsync(new NewApp("Event app"), Actor.System)).App.Id;
        // a real storage failure of the second store: SQLite aborts every insert into Quartz's triggers
        await using var connection = await host.Get<Database>().OpenAsync();
        await connection.ExecuteAsync("CREATE TRIGGER refuse_quartz BEFORE INSERT ON qrtz_triggers BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");

        var at = DateTime.UtcNow.AddHours(1);
        var draft = new CampaignDraft
        {
            AppId = appId, Name = "Tomorrow's keynote", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(),
            Schedule = new AtSchedule(at),
        };
        // the campaign is saved (nothing invites a retry that would duplicate it), though its trigger is not there yet
        var campaign = await host.Get<CampaignService>().CreateAsync(draft, Actor.System);
        Assert.Equal(CampaignStatus.Scheduled, campaign.Status);
        var scheduler = await host.Get<ISchedulerFactory>().GetScheduler();
        var key = new TriggerKey(CampaignScheduler.JobKeyFor(campaign.Id).Name, CampaignScheduler.JobKeyFor(campaign.Id).Group);
        Assert.Null(await scheduler.GetTrigger(key));

        // Quartz takes writes again: the repair puts the trigger back, once, at the campaign's time
        await connection.ExecuteAsync("DROP TRIGGER refuse_quartz;");
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await scheduler.GetTrigger(key) is null)
        {
            Assert.True(DateTime.UtcNow < until, "the scheduled campaign never got its trigger back");
            await Task.Delay(100);
        }
        var trigger = await scheduler.GetTrigger(key);
        Assert.Equal(at, trigger!.StartTimeUtc.UtcDateTime, TimeSpan.FromSeconds(1));
        Assert.Single(await host.Get<CampaignQueries>().ListAsync(null));
        Assert.Contains(host.Logs.Lines, l => l.Contains("trigger", StringComparison.OrdinalIgnoreCase) && l.StartsWith("Error", StringComparison.Ordinal));
    }
}
