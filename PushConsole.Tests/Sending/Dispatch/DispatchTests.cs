using Dapper;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Providers;
using PushConsole.Devices;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Sending.Dispatch;

public sealed class DispatchTests : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private async Task<Dictionary<DeliveryStatus, long>> StatusesAsync(long campaignId)
    {
        await using var connection = await _s.Host.Get<Database>().OpenAsync();
        var rows = await connection.QueryAsync<(int Status, long Count)>("SELECT status, COUNT(*) FROM deliveries WHERE campaign_id = @campaignId GROUP BY status", new { campaignId });
        return rows.ToDictionary(r => (DeliveryStatus)r.Status, r => r.Count);
    }

    [Fact]
    public async Task A_campaign_reaches_every_platform_once_with_its_delivery_id_and_completes()
    {
        await _s.RegisterAsync(android: 30, ios: 20, web: 10);

        var campaign = await _s.SendAsync();
        await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);

        var state = _s.Sandbox.State;
        Assert.Equal((30, 20, 10), (state.Fcm.Stats().UniqueDeliveryIds, state.Apns.Stats().UniqueDeliveryIds, state.WebPush.Stats().UniqueDeliveryIds));
        Assert.All(state.Providers, p => Assert.Equal(0, p.Stats().Duplicates));
        // every payload carries its delivery id, and it is a delivery of this campaign
        await using var connection = await _s.Host.Get<Database>().OpenAsync();
        var ids = (await connection.QueryAsync<long>("SELECT id FROM deliveries WHERE campaign_id = @id", new { id = campaign.Id })).ToHashSet();
        var seen = state.Providers.SelectMany(p => p.Recent()).Where(m => m.Status is >= 200 and < 300).ToList();
        Assert.Equal(60, seen.Count);
        Assert.All(seen, m => Assert.Contains(m.DeliveryId!.Value, ids));
        Assert.Contains("\"deliveryId\"", seen.First(m => m.Provider == "fcm").Payload);
        var counters = await _s.Host.Get<DispatchProgress>().SnapshotAsync(campaign.Id);
        Assert.Equal((60, 60L, 0L), (counters.Total, counters.Sent, counters.Queued));
        Assert.Equal(60, (await _s.Host.Get<CampaignService>().GetAsync(campaign.Id)).AudienceSize);
    }

    [Fact]
    public async Task Dead_tokens_of_each_provider_invalidate_the_installation_and_the_next_campaign_skips_them()
    {
        var devices = await _s.RegisterAsync(android: 5, ios: 5, web: 5);
        var deadAndroid = devices.First(d => d.Platform == Platform.Android);
        var deadIos = devices.First(d => d.Platform == Platform.Ios);
        var deadWeb = devices.First(d => d.Platform == Platform.Web);
        _s.Sandbox.State.Fcm.Fail(deadAndroid.Token, new SandboxFailure(404, "UNREGISTERED"));
        _s.Sandbox.State.Apns.Fail(deadIos.Token, new SandboxFailure(410, "Unregistered"));
        _s.Sandbox.State.ExpireWebPushSubscription(deadWeb.Subscription!);

        var first = await _s.SendAsync();
        await _s.WaitForAsync(first.Id, CampaignStatus.Completed);

        var statuses = await StatusesAsync(first.Id);
        Assert.Equal(3, statuses[DeliveryStatus.InvalidToken]);
        Assert.Equal(12, statuses[DeliveryStatus.Sent]);
        var lookup = _s.Host.Get<LookupService>();
        foreach (var (device, provider) in new[] { (deadAndroid, "FCM"), (deadIos, "APNs"), (deadWeb, "Web Push") })
        {
            var result = await lookup.SearchAsync(device.InstallationId);
            var installation = Assert.Single(result.Groups.SelectMany(g => g.Installations));
            Assert.Equal(PushState.Invalid, installation.State);
            Assert.Contains(installation.Changes, c => c.Kind == ChangeKind.Invalidated && c.Sentence.Contains(provider));
        }

        var second = await _s.SendAsync(name: "Second");
        await _s.WaitForAsync(second.Id, CampaignStatus.Completed);
        Assert.Equal(12, (await _s.Host.Get<CampaignService>().GetAsync(second.Id)).AudienceSize);
        Assert.Equal(12, (await StatusesAsync(second.Id))[DeliveryStatus.Sent]);
    }

    [Fact]
    public async Task Rejected_credentials_pause_the_campaign_with_a_clear_message_and_hold_its_deliveries()
    {
        var devices = await _s.RegisterAsync(android: 8);
        foreach (var device in devices) _s.Sandbox.State.Fcm.Fail(device.Token, new SandboxFailure(401, "THIRD_PARTY_AUTH_ERROR"));

        var campaign = await _s.SendAsync();
        var paused = await _s.WaitForAsync(campaign.Id, CampaignStatus.Paused);

        Assert.Contains("FCM refused the app's credentials (THIRD_PARTY_AUTH_ERROR)", paused.PausedReason);
        Assert.Contains("resume", paused.PausedReason);
        var statuses = await StatusesAsync(campaign.Id);
        Assert.Equal(8, statuses[DeliveryStatus.Held]);
        Assert.False(statuses.ContainsKey(DeliveryStatus.InvalidToken));

        // once the credentials are fixed, resuming delivers everything
        foreach (var device in devices) _s.Sandbox.State.Fcm.Heal(device.Token);
        await _s.Host.Get<CampaignControl>().ResumeAsync(campaign.Id, null, Audit.Actor.System);
        await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);
        Assert.Equal(8, (await StatusesAsync(campaign.Id))[DeliveryStatus.Sent]);
    }

    [Fact]
    public async Task A_throttle_spreads_due_times_at_the_given_rate()
    {
        await _s.RegisterAsync(android: 20);

        var campaign = await _s.SendAsync(throttlePerMinute: 1200);
        await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);

        await using var connection = await _s.Host.Get<Database>().OpenAsync();
        var due = (await connection.QueryAsync<long>("SELECT due_at_ms FROM deliveries WHERE campaign_id = @id ORDER BY due_at_ms", new { id = campaign.Id })).ToList();
        Assert.Equal(20, due.Count);
        // 1,200 per minute = one every 50 ms
        Assert.All(due.Zip(due.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 49, 51));
        // and none left before its time
        var early = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE campaign_id = @id AND sent_at_ms < due_at_ms", new { id = campaign.Id });
        Assert.Equal(0, early);
    }

    [Fact]
    public async Task Receipts_and_opens_reported_with_the_delivery_id_stamp_that_delivery_only_for_its_own_device()
    {
        var devices = await _s.RegisterAsync(android: 2);
        var campaign = await _s.SendAsync();
        await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);
        var messages = _s.Sandbox.State.Fcm.Recent();
        var mine = devices[0];
        var other = devices[1];
        var myDelivery = messages.Single(m => m.Target == mine.Token).DeliveryId!.Value;
        var otherDelivery = messages.Single(m => m.Target == other.Token).DeliveryId!.Value;

        using var client = _s.Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", _s.App.AppKey);
        var opened = DateTime.UtcNow.AddSeconds(-5);
        var response = await client.PostAsync("api/v1/events", System.Net.Http.Json.JsonContent.Create(new object[]
        {
            new { installationId = mine.InstallationId, type = "notification_opened", deliveryId = myDelivery.ToString(), at = opened },
            // a device cannot stamp another device's delivery
            new { installationId = mine.InstallationId, type = "notification_opened", deliveryId = otherDelivery.ToString() },
        }));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        var history = _s.Host.Get<DeliveryHistory>();
        var lookup = await _s.Host.Get<LookupService>().SearchAsync(mine.InstallationId);
        var row = Assert.Single(await history.ForInstallationAsync(lookup.Groups.Single().Installations.Single().Key));
        Assert.Equal(opened, row.OpenedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(row.OpenedAt, row.ReceivedAt);
        Assert.Equal("sent, opened", DeliveryHistory.Describe(row));
        var otherLookup = await _s.Host.Get<LookupService>().SearchAsync(other.InstallationId);
        Assert.Null(Assert.Single(await history.ForInstallationAsync(otherLookup.Groups.Single().Installations.Single().Key)).OpenedAt);
    }

    [Fact]
    public async Task Live_progress_reaches_subscribers_after_each_batch()
    {
        await _s.RegisterAsync(android: 300);
        _s.Sandbox.State.Fcm.Latency = TimeSpan.FromMilliseconds(30);
        var seen = new List<long>();
        var campaign = await _s.SendAsync();
        using (_s.Host.Get<DispatchProgress>().Subscribe(campaign.Id, (counters, _) =>
               {
                   lock (seen) seen.Add(counters.Sent);
                   return Task.CompletedTask;
               }))
            await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);

        lock (seen)
        {
            Assert.True(seen.Count >= 2, $"{seen.Count} updates");
            Assert.Contains(seen, n => n > 0 && n < 300);
        }
    }
}
