using Dapper;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Tests.Sending.Dispatch;

public sealed class ResilienceTests
{
    private static async Task<Dictionary<DeliveryStatus, long>> StatusesAsync(AppHost host, long campaignId)
    {
        await using var connection = await host.Get<Database>().OpenAsync();
        var rows = await connection.QueryAsync<(int Status, long Count)>("SELECT status, COUNT(*) FROM deliveries WHERE campaign_id = @campaignId GROUP BY status", new { campaignId });
        return rows.ToDictionary(r => (DeliveryStatus)r.Status, r => r.Count);
    }

    [Fact]
    public async Task Overload_answers_are_retried_until_all_is_delivered_and_no_request_leaves_a_lane_before_its_retry_after()
    {
        await using var s = await DispatchScenario.StartAsync();
        await s.RegisterAsync(android: 400, web: 100);
        foreach (var provider in new[] { s.Sandbox.State.Fcm, s.Sandbox.State.WebPush })
        {
            provider.UnavailableShare = 0.05;
            provider.TooManyRequestsShare = 0.02;
            provider.RetryAfterSeconds = 3;
        }

        var campaign = await s.SendAsync();
        await s.WaitForAsync(campaign.Id, CampaignStatus.Completed, TimeSpan.FromMinutes(3));

        var fcm = s.Sandbox.State.Fcm.Stats();
        var web = s.Sandbox.State.WebPush.Stats();
        Assert.Equal((400L, 100L), (fcm.UniqueDeliveryIds, web.UniqueDeliveryIds));
        Assert.Equal((0L, 0L), (fcm.Duplicates, web.Duplicates));
        Assert.True(fcm.Refused.Keys.Any(k => k.StartsWith("429")) && fcm.Refused.Keys.Any(k => k.StartsWith("503")), string.Join(", ", fcm.Refused.Keys));
        Assert.Equal(500, (await StatusesAsync(s.Host, campaign.Id))[DeliveryStatus.Sent]);
        await using (var connection = await s.Host.Get<Database>().OpenAsync())
            Assert.True(await connection.ExecuteScalarAsync<long>("SELECT MAX(attempts) FROM deliveries WHERE campaign_id = @id", new { id = campaign.Id }) <= 8);

        // after each 429 the lane's requests stop until Retry-After has run out. Those the app had already handed to the
        // connection before it read the 429 still arrive: up to a second later on a loaded 2-core box (0.6 s seen)
        foreach (var provider in new[] { s.Sandbox.State.Fcm, s.Sandbox.State.WebPush })
        {
            var messages = provider.Recent().OrderBy(m => m.At).ToList();
            foreach (var refusal in messages.Where(m => m.Status == 429))
            {
                var early = messages.Where(m => m.At > refusal.At + TimeSpan.FromSeconds(1) && m.At < refusal.At + TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(100)).ToList();
                Assert.True(early.Count == 0, $"{provider.Name}: {early.Count} requests within Retry-After of the 429 at {refusal.At:HH:mm:ss.fff}, first at {early.FirstOrDefault()?.At:HH:mm:ss.fff}");
            }
        }
    }

    [Fact]
    public async Task Pause_resume_and_cancel_take_effect_within_one_batch()
    {
        await using var s = await DispatchScenario.StartAsync(o => o.Args.AddRange(["--Dispatch:ClaimBatchSize=50", "--Dispatch:MaxInFlight=100"]));
        await s.RegisterAsync(android: 1500);
        s.Sandbox.State.Fcm.Latency = TimeSpan.FromMilliseconds(40);
        var control = s.Host.Get<CampaignControl>();

        var campaign = await s.SendAsync();
        while (s.Sandbox.State.Fcm.Accepted < 200) await Task.Delay(20);
        await control.PauseAsync(campaign.Id, null, Actor.System);
        var atPause = s.Sandbox.State.Fcm.Accepted;
        await Task.Delay(1500);
        var afterPause = s.Sandbox.State.Fcm.Accepted;
        Assert.True(afterPause - atPause <= 100, $"{afterPause - atPause} pushes left after the pause (at most one batch in flight may)");
        await Task.Delay(500);
        Assert.Equal(afterPause, s.Sandbox.State.Fcm.Accepted);
        Assert.True((await StatusesAsync(s.Host, campaign.Id)).GetValueOrDefault(DeliveryStatus.Held) > 0);

        await control.ResumeAsync(campaign.Id, null, Actor.System);
        while (s.Sandbox.State.Fcm.Accepted < afterPause + 300) await Task.Delay(20);
        await control.CancelAsync(campaign.Id, null, Actor.System);
        var atCancel = s.Sandbox.State.Fcm.Accepted;
        await Task.Delay(1500);
        Assert.True(s.Sandbox.State.Fcm.Accepted - atCancel <= 100);

        var statuses = await StatusesAsync(s.Host, campaign.Id);
        Assert.Equal(CampaignStatus.Cancelled, (await s.Host.Get<CampaignService>().GetAsync(campaign.Id)).Status);
        Assert.True(statuses[DeliveryStatus.Cancelled] > 0);
        Assert.Equal(s.Sandbox.State.Fcm.Stats().UniqueDeliveryIds, statuses[DeliveryStatus.Sent]);
        Assert.Equal(1500, statuses[DeliveryStatus.Sent] + statuses[DeliveryStatus.Cancelled]);
    }

    [Fact]
    public async Task Deliveries_whose_time_to_live_ran_out_while_the_app_was_down_expire_and_are_never_sent()
    {
        var data = TempFolder.Create("pushconsole-expiry");
        try
        {
            long campaignId;
            await using (var s = await DispatchScenario.StartAsync(o => { o.DataDirectory = data; o.Args.Add("--Dispatch:WorkerEnabled=false"); }))
            {
                await s.RegisterAsync(android: 10);
                var campaign = await s.SendAsync(message: DispatchScenario.Message(), name: "Short-lived");
                await s.Host.Get<CampaignLauncher>().WhenIdleAsync();
                campaignId = campaign.Id;
                Assert.Equal(10, (await StatusesAsync(s.Host, campaignId))[DeliveryStatus.Pending]);
            }

            // back two days later: the one-day TTL has run out
            var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(2));
            await using var sandbox = await PushConsole.Sandbox.SandboxHost.StartAsync();
            await using var host = await AppHost.StartAsync(o =>
            {
                o.DataDirectory = data;
                o.Args.AddRange(sandbox.ProviderArgs());
                o.Args.AddRange(DispatchScenario.FastDispatch);
                o.Services = services => services.AddSingleton<TimeProvider>(later);
            });
            await DispatchScenario.WaitForAsync(host, campaignId, CampaignStatus.Completed);
            Assert.Equal(10, (await StatusesAsync(host, campaignId))[DeliveryStatus.Expired]);
            Assert.Equal(0, sandbox.State.Fcm.Stats().Requests);
        }
        finally { TempFolder.Delete(data); }
    }
}
