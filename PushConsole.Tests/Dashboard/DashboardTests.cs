using PushConsole.Campaigns;
using PushConsole.Dashboard;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Dashboard;

public sealed class DashboardTests
{
    [Fact]
    public async Task The_dashboard_counts_reachable_devices_the_weeks_sends_and_lists_what_is_scheduled()
    {
        await using var s = await DispatchScenario.StartAsync();
        var devices = await s.RegisterAsync(android: 3, ios: 2, web: 1);
        // an invalidated device is not reachable
        long key;
        await using (var connection = await s.Host.Get<PushConsole.Data.Database>().OpenAsync())
            key = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT id FROM installations WHERE external_id = @id", new { id = devices.First(d => d.Platform == Platform.Android).InstallationId });
        await s.Host.Get<DeviceRegistry>().InvalidateAsync(key, "fcm", "UNREGISTERED", "{}", DateTime.UtcNow.AddSeconds(1));

        var sent = await s.SendAsync(name: "Doors open");
        await s.WaitForAsync(sent.Id, CampaignStatus.Completed);
        var later = await s.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = s.App.Id, Name = "Closing party", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message("Party", "At 20:00"),
            Schedule = new AtSchedule(DateTime.UtcNow.AddDays(1)),
        }, Audit.Actor.System);

        var view = await s.Host.Get<DashboardService>().GetAsync();

        Assert.Equal(1, view.Apps);
        Assert.Equal((2L, 2L, 1L), (view.Reachable[Platform.Android], view.Reachable[Platform.Ios], view.Reachable[Platform.Web]));
        Assert.Equal(1, view.Invalid);
        Assert.Equal((2, 5L), (view.CampaignsThisWeek, view.SentThisWeek));
        Assert.Equal(later.Id, Assert.Single(view.Active).Id);
        Assert.Equal([later.Id, sent.Id], view.Recent.Select(c => c.Id));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, view.Dispatcher);
    }

    [Fact]
    public async Task A_scheduled_campaign_and_the_weeks_sends_count_however_many_campaigns_came_after_them()
    {
        await using var s = await DispatchScenario.StartAsync();
        await s.RegisterAsync(android: 4);
        var sent = await s.SendAsync(name: "Doors open");
        await s.WaitForAsync(sent.Id, CampaignStatus.Completed);
        var service = s.Host.Get<CampaignService>();
        var party = await service.CreateAsync(new CampaignDraft
        {
            AppId = s.App.Id, Name = "Closing party", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message("Party", "At 20:00"),
            Schedule = new AtSchedule(DateTime.UtcNow.AddDays(1)),
        }, Audit.Actor.System);
        // a busy week: more drafts than any list page holds
        for (var i = 0; i < 210; i++)
            await service.CreateAsync(new CampaignDraft
            {
                AppId = s.App.Id, Name = $"Draft {i}", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message("Draft", "Not yet"), Hold = true,
            }, Audit.Actor.System);

        var view = await s.Host.Get<DashboardService>().GetAsync();

        Assert.Equal((212, 4L), (view.CampaignsThisWeek, view.SentThisWeek));
        Assert.Equal(party.Id, Assert.Single(view.Active).Id);
        Assert.Equal(DashboardService.RecentCount, view.Recent.Count);
        Assert.Equal("Draft 209", view.Recent[0].Name);
    }
}
