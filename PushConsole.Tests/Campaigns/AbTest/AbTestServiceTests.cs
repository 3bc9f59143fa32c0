using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.AbTest;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Campaigns.AbTest;

/// <summary>A/B tests end to end on the sandbox with a fake clock: the rest waits, the winner goes to it.</summary>
public sealed class AbTestServiceTests : IAsyncLifetime
{
    // ahead of the real clock: a trigger Quartz computed from the fake clock never fires on its own during the test
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(40).AddHours(9), TimeSpan.Zero));
    private DispatchScenario _s = default!;
    private SandboxHost _sandbox = default!;

    public async Task InitializeAsync()
    {
        // APNs and Web Push sign with the injected clock and the sandbox checks with the same one
        _sandbox = await SandboxHost.StartAsync(clock: _clock);
        _s = await DispatchScenario.StartAsync(o => o.Services = s => s.AddSingleton<TimeProvider>(_clock), _sandbox);
    }

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private static CampaignMessage Message(WinnerRule rule) => new()
    {
        DefaultLanguage = "en",
        Variants =
        [
            new CampaignVariant { Key = "A", Weight = 50, Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = "Keynote at 10:30" } } },
            new CampaignVariant { Key = "B", Weight = 50, Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = "Don't miss the keynote" } } },
        ],
        Winner = rule,
    };

    private async Task<CampaignCounters> WaitForTestSentAsync(long campaignId)
    {
        var progress = _s.Host.Get<DispatchProgress>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var campaign = await _s.Host.Get<CampaignService>().GetAsync(campaignId);
            var counters = await progress.SnapshotAsync(campaignId);
            if (campaign.LaunchDone && counters.Pending + counters.InFlight == 0 && counters.AwaitingWinner > 0) return counters;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The test share of campaign {campaignId} was not sent: {counters}");
            await Task.Delay(100);
        }
    }

    private async Task<List<(long Id, long Key, string Installation, string Variant, int Status)>> DeliveriesAsync(long campaignId)
    {
        await using var connection = await _s.Host.Get<Database>().OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<(long, long, string, string, int)>(
            "SELECT d.id, i.id, i.external_id, d.variant, d.status FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE d.campaign_id = @campaignId",
            new { campaignId })).ToList();
    }

    private async Task OpenAsync(IEnumerable<(long Id, long Key, string Installation, string Variant, int Status)> deliveries)
    {
        var client = _s.Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", _s.App.AppKey);
        var events = deliveries.Select(d => new { installationId = d.Installation, type = "notification_opened", deliveryId = d.Id.ToString() }).ToList();
        var response = await client.PostAsJsonAsync("api/v1/events", events);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_variant_that_opened_significantly_more_goes_to_the_held_rest_when_the_window_ends()
    {
        await _s.RegisterAsync(android: 0, ios: 240, web: 60);
        var campaign = await _s.SendAsync(message: Message(new WinnerRule { Mode = WinnerMode.Automatic, TestPercent = 50, WaitMinutes = 60, DefaultVariant = "A" }),
            name: "Automatic A/B");
        var counters = await WaitForTestSentAsync(campaign.Id);
        var rows = await DeliveriesAsync(campaign.Id);
        var test = rows.Where(r => r.Status == (int)DeliveryStatus.Sent).ToList();
        Assert.Equal(300, counters.Total);
        Assert.InRange(test.Count, 110, 190);
        Assert.Equal(300 - test.Count, counters.AwaitingWinner);
        // membership of the test share is the stable hash, and the test holds both variants
        Assert.All(test, r => Assert.True(AbTestHoldRule.InTest(campaign.Id, r.Key, 50)));
        Assert.Contains(test, r => r.Variant == "A");
        Assert.Contains(test, r => r.Variant == "B");

        // pause and resume leave the rest waiting
        var control = _s.Host.Get<CampaignControl>();
        await control.PauseAsync(campaign.Id, null, Actor.System);
        await control.ResumeAsync(campaign.Id, null, Actor.System);
        Assert.Equal(300 - test.Count, (await _s.Host.Get<DispatchProgress>().SnapshotAsync(campaign.Id)).AwaitingWinner);

        // half of B's recipients open it, a tenth of A's
        var a = test.Where(r => r.Variant == "A").ToList();
        var b = test.Where(r => r.Variant == "B").ToList();
        await OpenAsync(b.Take(b.Count / 2).Concat(a.Take(a.Count / 10)));

        // before the window ends nothing is decided; then the job (or this call, whichever comes first) picks B
        Assert.Null((await _s.Host.Get<CampaignService>().GetAsync(campaign.Id)).Message.Winner!.ChosenVariant);
        _clock.Advance(TimeSpan.FromMinutes(61));
        await _s.Host.Get<AbTestService>().PickAutomaticallyAsync(campaign.Id);
        var decided = await DispatchScenario.WaitForAsync(_s.Host, campaign.Id, CampaignStatus.Completed);
        Assert.Equal("B", decided.Message.Winner!.ChosenVariant);
        Assert.StartsWith("B opened significantly more", decided.Message.Winner.ChosenBecause);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, decided.Message.Winner.ChosenAt);

        var after = await DeliveriesAsync(campaign.Id);
        Assert.All(after, r => Assert.Equal((int)DeliveryStatus.Sent, r.Status));
        var rest = after.Where(r => test.All(t => t.Id != r.Id)).ToList();
        Assert.Equal(300 - test.Count, rest.Count);
        Assert.All(rest, r => Assert.Equal("B", r.Variant));
        Assert.Equal(300, _sandbox.State.Apns.Stats().Accepted + _sandbox.State.WebPush.Stats().Accepted);
        Assert.Null(await _s.Host.Get<AbTestService>().PickAutomaticallyAsync(campaign.Id));
    }

    [Fact]
    public async Task Without_a_clear_difference_the_default_goes_to_the_rest_and_a_manual_test_waits_for_the_organizer()
    {
        await _s.RegisterAsync(android: 0, ios: 150, web: 30);
        var automatic = await _s.SendAsync(message: Message(new WinnerRule { Mode = WinnerMode.Automatic, TestPercent = 40, WaitMinutes = 30, DefaultVariant = "A" }),
            name: "Close call");
        await WaitForTestSentAsync(automatic.Id);
        var test = (await DeliveriesAsync(automatic.Id)).Where(r => r.Status == (int)DeliveryStatus.Sent).ToList();
        // the same share opens each variant
        await OpenAsync(test.Where(r => r.Variant == "A").Take(5).Concat(test.Where(r => r.Variant == "B").Take(5)));
        _clock.Advance(TimeSpan.FromMinutes(31));
        await _s.Host.Get<AbTestService>().PickAutomaticallyAsync(automatic.Id);
        var decided = await DispatchScenario.WaitForAsync(_s.Host, automatic.Id, CampaignStatus.Completed);
        Assert.Equal("A", decided.Message.Winner!.ChosenVariant);
        Assert.Contains("the default A goes to the rest", decided.Message.Winner.ChosenBecause);

        var manual = await _s.SendAsync(message: Message(new WinnerRule { Mode = WinnerMode.Manual, TestPercent = 30, DefaultVariant = "A" }), name: "By hand");
        var counters = await WaitForTestSentAsync(manual.Id);
        var service = _s.Host.Get<AbTestService>();
        // an automatic pick never decides a manual test, however long it waits
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await service.PickAutomaticallyAsync(manual.Id));
        await Assert.ThrowsAsync<PushConsole.Api.BadInputException>(() => service.PickAsync(manual.Id, "Z", new Actor("organizer@example.com")));
        Assert.Equal(counters.AwaitingWinner, (await _s.Host.Get<DispatchProgress>().SnapshotAsync(manual.Id)).AwaitingWinner);
        await service.PickAsync(manual.Id, "B", new Actor("organizer@example.com"));
        var picked = await DispatchScenario.WaitForAsync(_s.Host, manual.Id, CampaignStatus.Completed);
        Assert.Equal("picked by organizer@example.com", picked.Message.Winner!.ChosenBecause);
        var rows = await DeliveriesAsync(manual.Id);
        Assert.All(rows, r => Assert.Equal((int)DeliveryStatus.Sent, r.Status));
        Assert.Equal(counters.AwaitingWinner, rows.Count(r => r.Variant == "B" && !AbTestHoldRule.InTest(manual.Id, r.Key, 30)));
        await Assert.ThrowsAsync<PushConsole.Api.ConflictException>(() => service.PickAsync(manual.Id, "A", new Actor("organizer@example.com")));
    }
}
