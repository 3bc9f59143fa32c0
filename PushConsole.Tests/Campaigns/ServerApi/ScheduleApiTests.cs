using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Devices;
using PushConsole.Sandbox;
using Quartz;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns.ServerApi;

public sealed class ScheduleApiTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static string Single(string time, int zoneType = 1, string name = "doors", bool enabled = true) => $$"""
        {"name": "{{name}}", "enabled": {{(enabled ? "true" : "false")}}, "trigger": {"single": {"time": "{{time}}", "zone_type": {{zoneType}} } },
         "push": {"from": "push", "to": "all", "body": {"platform": "all", "notification": {"alert": "Doors open in one hour"} } } }
        """;

    private static async Task<bool> HasTriggerAsync(ServerApiKit kit, long campaignId) =>
        await (await kit.Host.Get<ISchedulerFactory>().GetScheduler()).GetJobDetail(CampaignScheduler.JobKeyFor(campaignId)) is not null;

    [Fact]
    public async Task A_schedule_can_be_moved_until_it_fires_then_sends_at_its_time_and_refuses_changes()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("phone-1", Platform.Android);
        await kit.RegisterAsync("phone-2", Platform.Android);
        await kit.RegisterAsync("iphone", Platform.Ios);

        var created = await kit.OkJsonAsync(await kit.PostAsync("v4/schedules", Single("2026-03-02 12:00:00")));
        var id = created.GetProperty("schedule_id").GetString();
        var view = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/schedules/{id}"));
        Assert.Equal("scheduled", view.GetProperty("status").GetString());
        Assert.Equal(new DateTime(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc), view.GetProperty("launch_at").GetDateTime().ToUniversalTime());
        var msgId = long.Parse(view.GetProperty("msg_id").GetString()!);
        Assert.True(await HasTriggerAsync(kit, msgId));

        // moved to 10:00 and renamed; the rest of the schedule stays as it was
        var moved = await kit.OkJsonAsync(await kit.PutAsync($"v4/schedules/{id}",
            """{"name": "doors (moved)", "trigger": {"single": {"time": "2026-03-02 10:00:00", "zone_type": 1}}}"""));
        Assert.Equal("doors (moved)", moved.GetProperty("name").GetString());
        Assert.Equal("Doors open in one hour", moved.GetProperty("push").GetProperty("body").GetProperty("notification").GetProperty("alert").GetString());
        Assert.Equal(new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc), moved.GetProperty("launch_at").GetDateTime().ToUniversalTime());
        Assert.Equal("doors (moved)", (await kit.Host.Get<CampaignService>().GetAsync(msgId)).Name);
        Assert.Equal(0, kit.Accepted);

        kit.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 10, 0, 1, TimeSpan.Zero));
        await kit.Scenario.WaitForAsync(msgId, CampaignStatus.Completed);
        Assert.Equal(3, kit.Accepted);
        // fired when the (fake) clock passed 10:00, not at the first time given
        Assert.All(await kit.DeliveriesAsync(msgId), d => Assert.Equal(new DateTime(2026, 3, 2, 10, 0, 1, DateTimeKind.Utc), d.DueUtc));

        await ServerApiKit.ProblemAsync(await kit.PutAsync($"v4/schedules/{id}", """{"name": "too late"}"""), 409, "schedule_id");
        await ServerApiKit.ProblemAsync(await kit.Api.DeleteAsync($"v4/schedules/{id}"), 409, "schedule_id");
        Assert.Equal("completed", (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/schedules/{id}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_disabled_schedule_is_kept_untriggered_until_enabled_and_deleting_it_cancels_its_message()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("phone", Platform.Android);
        var id = (await kit.OkJsonAsync(await kit.PostAsync("v4/schedules", Single("2026-03-03 08:00:00", enabled: false)))).GetProperty("schedule_id").GetString();
        var view = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/schedules/{id}"));
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Equal("draft", view.GetProperty("status").GetString());
        var msgId = long.Parse(view.GetProperty("msg_id").GetString()!);
        Assert.False(await HasTriggerAsync(kit, msgId));
        Assert.Equal("draft", (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{msgId}"))).GetProperty("status").GetString());

        var enabled = await kit.OkJsonAsync(await kit.PutAsync($"v4/schedules/{id}", """{"enabled": true}"""));
        Assert.Equal("scheduled", enabled.GetProperty("status").GetString());
        Assert.True(await HasTriggerAsync(kit, msgId));

        // another app sees none of it
        var other = await kit.Host.Get<AppService>().CreateAsync(new NewApp("Other app"), Actor.System);
        using var stranger = kit.Client(other.App.AppKey, other.MasterSecret);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"v4/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"v4/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"v4/messages/{msgId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await kit.Api.DeleteAsync($"v4/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync($"v4/schedules/{id}")).StatusCode);
        Assert.Equal(CampaignStatus.Cancelled, (await kit.Host.Get<CampaignService>().GetAsync(msgId)).Status);
        Assert.False(await HasTriggerAsync(kit, msgId));
        kit.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 3, 8, 0, 5, TimeSpan.Zero));
        Assert.Empty(await kit.DeliveriesAsync(msgId));
    }

    [Fact]
    public async Task Zone_type_2_sends_at_the_same_wall_time_in_each_recipients_own_zone()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("tokyo", Platform.Android, "Asia/Tokyo");
        await kit.RegisterAsync("warsaw", Platform.Ios, "Europe/Warsaw");
        await kit.RegisterAsync("new-york", Platform.Web, "America/New_York");
        await kit.RegisterAsync("no-zone", Platform.Android);
        var id = (await kit.OkJsonAsync(await kit.PostAsync("v4/schedules", Single("2026-03-03 09:00:00", zoneType: 2)))).GetProperty("schedule_id").GetString();
        var msgId = long.Parse((await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/schedules/{id}"))).GetProperty("msg_id").GetString()!);

        // the launch starts when 09:00 comes first anywhere (UTC+14), then each recipient waits for their own 09:00
        kit.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 19, 0, 1, TimeSpan.Zero));
        await kit.WaitForLaunchAsync(msgId);
        var due = (await kit.DeliveriesAsync(msgId)).ToDictionary(d => d.InstallationId, d => d.DueUtc);
        Assert.Equal(new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc), due["tokyo"]);
        Assert.Equal(new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc), due["warsaw"]);
        Assert.Equal(new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc), due["no-zone"]);
        Assert.Equal(new DateTime(2026, 3, 3, 14, 0, 0, DateTimeKind.Utc), due["new-york"]);

        kit.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 3, 8, 30, 0, TimeSpan.Zero));
        await kit.WaitForAcceptedAsync(2);
        Assert.Equal(1, kit.Sandbox.State.Fcm.Stats().Accepted);
        Assert.Equal(1, kit.Sandbox.State.Apns.Stats().Accepted);
    }

    [Fact]
    public async Task A_schedule_fires_after_a_restart_that_happened_before_its_time()
    {
        var data = TempFolder.Create("pushconsole-schedule-restart");
        var clock = new FakeTimeProvider(Monday);
        await using var sandbox = await SandboxHost.StartAsync(clock: clock);
        try
        {
            long msgId;
            await using (var first = await DispatchScenario.StartAsync(o =>
                         {
                             o.DataDirectory = data;
                             o.Services = services => services.AddSingleton<TimeProvider>(clock);
                         }, sandbox))
            {
                await first.RegisterAsync(android: 2, ios: 1);
                var secret = await first.Host.Get<AppService>().RotateMasterSecretAsync(first.App.Id, Actor.System);
                using var api = first.Host.CreateClient();
                api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{first.App.AppKey}:{secret}")));
                var created = await api.PostAsync("v4/schedules", new StringContent(Single("2026-03-02 11:00:00"), System.Text.Encoding.UTF8, "application/json"));
                var scheduleId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("schedule_id").GetString();
                var view = JsonDocument.Parse(await (await api.GetAsync($"v4/schedules/{scheduleId}")).Content.ReadAsStringAsync()).RootElement;
                msgId = long.Parse(view.GetProperty("msg_id").GetString()!);
            }

            // the app was down at 11:00; it comes back at 11:20 and the trigger fires then
            clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 11, 20, 0, TimeSpan.Zero));
            await using var again = await AppHost.StartAsync(o =>
            {
                o.DataDirectory = data;
                o.Args.AddRange(sandbox.ProviderArgs());
                o.Args.AddRange(DispatchScenario.FastDispatch);
                o.Services = services => services.AddSingleton<TimeProvider>(clock);
            });
            await DispatchScenario.WaitForAsync(again, msgId, CampaignStatus.Completed);
            Assert.Equal(3, sandbox.State.Providers.Sum(p => p.Stats().Accepted));
        }
        finally { TempFolder.Delete(data); }
    }
}
