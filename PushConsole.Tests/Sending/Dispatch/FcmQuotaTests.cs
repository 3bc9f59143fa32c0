using PushConsole.Campaigns;

namespace PushConsole.Tests.Sending.Dispatch;

/// <summary>
/// FCM's per-project quota counts messages per minute: the dispatcher sends up to it at once, then not one more within the
/// minute, and the rows that wait for it do not hold the in-flight budget the other providers share.
/// </summary>
public sealed class FcmQuotaTests
{
    [Fact]
    public async Task A_campaign_uses_the_whole_minute_quota_at_once_and_sends_nothing_over_it_while_apns_goes_on_through_a_small_in_flight_budget()
    {
        await using var s = await DispatchScenario.StartAsync(o => o.Args.AddRange(["--Dispatch:FcmProjectPerMinute=60", "--Dispatch:ShutdownGrace=00:00:01",
            // fewer than the 30 Android rows over the quota: rows waiting for it in memory would leave the iOS rows unclaimed
            "--Dispatch:MaxInFlight=20", "--Dispatch:ClaimBatchSize=20"]));
        await s.RegisterAsync(android: 90, ios: 10);
        var fcm = s.Sandbox.State.Fcm;

        var campaign = await s.SendAsync();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && fcm.Accepted < 60) await Task.Delay(100);
        Assert.Equal(60, fcm.Accepted);
        // a few seconds on, the quota still holds: the other 30 wait for the minute to pass, none failed
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(60, fcm.Accepted);
        var stats = await s.Host.Get<DeliveryStatistics>().ForCampaignAsync(campaign.Id);
        Assert.Equal(70, stats.Sent);
        Assert.Equal(30, stats.Pending);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(10, s.Sandbox.State.Apns.Accepted);
    }
}
