using System.Net.Http.Json;
using PushConsole.Campaigns;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Devices;

namespace PushConsole.Tests.Consent;

/// <summary>Consent, category opt-outs, frequency caps and the unsubscribe metric, end to end through the launch, the worker and the sandbox.</summary>
public sealed class ConsentDispatchTests : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task A_user_without_consent_is_suppressed_with_no_consent_and_a_program_change_still_reaches_them()
    {
        var granted = await _s.DeviceAsync("granted-phone", "granted");
        var denied = await _s.DeviceAsync("denied-phone", "denied");
        await _s.DeviceAsync("unknown-phone", "unknown");
        await _s.DeviceAsync("anonymous-phone");
        await _s.PreferencesAsync("granted", consent: true);
        await _s.PreferencesAsync("denied", consent: false);
        await _s.Host.Get<PreferenceService>().SetForInstallationAsync(_s.App.Id, "anonymous-phone", new PreferencesRequest { Consent = false });

        var news = await _s.SendAndWaitAsync("Tonight's party", category: null);

        var outcomes = await _s.Host.OutcomesAsync(news.Id);
        Assert.Equal(new Outcome(DeliveryStatus.Suppressed, "no_consent", outcomes["denied-phone"].DueAtMs, null), outcomes["denied-phone"]);
        Assert.Equal((DeliveryStatus.Suppressed, "no_consent"), (outcomes["anonymous-phone"].Status, outcomes["anonymous-phone"].Reason));
        // by default the device permission counts as consent until it is withdrawn
        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Sent], new[] { outcomes["granted-phone"].Status, outcomes["unknown-phone"].Status });
        Assert.Equal((1, 0), (_s.Received(granted), _s.Received(denied)));

        var change = await _s.SendAndWaitAsync("Keynote moved to Hall B", "program_changes");
        Assert.All((await _s.Host.OutcomesAsync(change.Id)).Values, o => Assert.Equal(DeliveryStatus.Sent, o.Status));
        Assert.Equal(1, _s.Received(denied));

        // an app that wants explicit consent: who never answered gets only transactional pushes
        await _s.SetRulesAsync(r => r.RequireExplicitConsent = true);
        var strict = await _s.SendAndWaitAsync("Partner raffle", category: null);
        var strictOutcomes = await _s.Host.OutcomesAsync(strict.Id);
        Assert.Equal((DeliveryStatus.Suppressed, "no_consent"), (strictOutcomes["unknown-phone"].Status, strictOutcomes["unknown-phone"].Reason));
        Assert.Equal(DeliveryStatus.Sent, strictOutcomes["granted-phone"].Status);
    }

    [Fact]
    public async Task A_category_opt_out_suppresses_only_that_category()
    {
        var optedOut = await _s.DeviceAsync("out-phone", "ana");
        await _s.DeviceAsync("in-phone", "ben");
        await _s.DeviceAsync("silent-phone", "cleo");
        await _s.PreferencesAsync("ana", categories: new() { ["surveys"] = false, ["marketing"] = false });
        await _s.PreferencesAsync("ben", categories: new() { ["marketing"] = true });

        var survey = await _s.SendAndWaitAsync("How was the keynote?", "surveys");
        var reminder = await _s.SendAndWaitAsync("Workshop in 15 minutes", "reminders");
        var offer = await _s.SendAndWaitAsync("20% off the gala dinner", "marketing");

        var surveys = await _s.Host.OutcomesAsync(survey.Id);
        Assert.Equal((DeliveryStatus.Suppressed, "category_opted_out"), (surveys["out-phone"].Status, surveys["out-phone"].Reason));
        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Sent], new[] { surveys["in-phone"].Status, surveys["silent-phone"].Status });
        Assert.All((await _s.Host.OutcomesAsync(reminder.Id)).Values, o => Assert.Equal(DeliveryStatus.Sent, o.Status));
        // marketing is off by default: only who turned it on gets it
        var offers = await _s.Host.OutcomesAsync(offer.Id);
        Assert.Equal(DeliveryStatus.Sent, offers["in-phone"].Status);
        Assert.Equal(("category_opted_out", "category_opted_out"), (offers["out-phone"].Reason, offers["silent-phone"].Reason));
        Assert.Equal(1, _s.Received(optedOut));
    }

    [Fact]
    public async Task The_cap_suppresses_the_fourth_push_in_24_hours_but_not_a_program_change()
    {
        var capped = await _s.DeviceAsync("phone", "ana");
        await _s.DeviceAsync("tablet", "ana");
        await _s.SetRulesAsync(r => r.FrequencyCap = 3);

        foreach (var name in new[] { "Day 1 opens", "Lunch is served", "Workshop in 15 minutes" })
            Assert.All((await _s.Host.OutcomesAsync((await _s.SendAndWaitAsync(name, "reminders")).Id)).Values, o => Assert.Equal(DeliveryStatus.Sent, o.Status));
        var fourth = await _s.SendAndWaitAsync("Don't miss the closing talk", "reminders");
        var change = await _s.SendAndWaitAsync("Closing talk moved to 17:00", "program_changes");

        // three pushes (each to both of her devices) count three times, not six
        Assert.All((await _s.Host.OutcomesAsync(fourth.Id)).Values, o => Assert.Equal((DeliveryStatus.Suppressed, "frequency_cap"), (o.Status, o.Reason)));
        Assert.All((await _s.Host.OutcomesAsync(change.Id)).Values, o => Assert.Equal(DeliveryStatus.Sent, o.Status));
        Assert.Equal(4, _s.Received(capped));
    }

    [Fact]
    public async Task A_category_cap_limits_that_category_alone()
    {
        await _s.DeviceAsync("phone", "ana");
        await _s.Host.Get<ConsentAdmin>().SaveCategoryAsync(_s.App.Id, "surveys",
            new CategoryForm { Label = "Surveys", DefaultEnabled = true, FrequencyCap = 1 }, Audit.Actor.System);

        var first = await _s.SendAndWaitAsync("Rate the keynote", "surveys");
        var second = await _s.SendAndWaitAsync("Rate the workshop", "surveys");
        var reminder = await _s.SendAndWaitAsync("Gala at 20:00", "reminders");

        Assert.Equal(DeliveryStatus.Sent, (await _s.Host.OutcomesAsync(first.Id))["phone"].Status);
        Assert.Equal("frequency_cap", (await _s.Host.OutcomesAsync(second.Id))["phone"].Reason);
        Assert.Equal(DeliveryStatus.Sent, (await _s.Host.OutcomesAsync(reminder.Id))["phone"].Status);
    }

    [Fact]
    public async Task An_opt_out_after_a_campaign_counts_in_its_unsubscribe_rate_with_open_rate_and_ctr()
    {
        await using (var db = await _s.Host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            db.Add(new Plan { AppId = _s.App.Id, PlanKey = "gala_2026", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        foreach (var user in new[] { "ana", "ben", "cleo", "dan" }) await _s.DeviceAsync($"{user}-phone", user);
        var earlier = await _s.SendAndWaitAsync("Doors open at 9", "reminders", planKey: "gala_2026");
        var campaign = await _s.SendAndWaitAsync("Gala tickets on sale", "networking", planKey: "gala_2026");

        // ana withdraws consent (and again: one opt-out each), ben turns the category off, cleo turns notifications off on her phone
        await _s.PreferencesAsync("ana", consent: false);
        await _s.PreferencesAsync("ana", categories: new() { ["networking"] = false });
        await _s.PreferencesAsync("ben", categories: new() { ["networking"] = false });
        await _s.Host.Get<DeviceRegistry>().RegisterAsync(_s.App.Id, "cleo-phone",
            new InstallationRequest { Platform = "android", PushToken = (await TokenAsync("cleo-phone"))!, NotificationsEnabled = false });
        // dan opens it: the app reports the tap with the push's delivery id
        var danDelivery = await DeliveryIdAsync(campaign.Id, "dan-phone");
        using var client = _s.Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", _s.App.AppKey);
        var opened = await client.PostAsJsonAsync("api/v1/events", new { installationId = "dan-phone", type = "notification_opened", deliveryId = danDelivery.ToString() });
        Assert.True(opened.IsSuccessStatusCode);
        await client.PostAsJsonAsync("api/v1/events", new { installationId = "ben-phone", type = "notification_received", deliveryId = (await DeliveryIdAsync(campaign.Id, "ben-phone")).ToString() });

        var stats = await _s.Host.Get<EngagementStats>().ForCampaignAsync(campaign.Id);
        Assert.Equal(new Engagement(Sent: 4, Received: 2, Opened: 1, Unsubscribes: 3), stats);
        // CTR counts clicks (none here: dan opened without a click) over deliveries devices confirmed
        Assert.Equal((0.75, 0.25, 0.0), (stats.UnsubscribeRate!.Value, stats.OpenRate!.Value, stats.ClickThroughRate!.Value));
        // the opt-outs go to the latest push, not the earlier one
        Assert.Equal(0, (await _s.Host.Get<EngagementStats>().ForCampaignAsync(earlier.Id)).Unsubscribes);
        var plan = (await _s.Host.Get<EngagementStats>().ForPlansAsync(_s.App.Id, ["gala_2026", "no_such_plan"]))["gala_2026"];
        Assert.Equal((8L, 3L, 1L), (plan.Sent, plan.Unsubscribes, plan.Opened));
    }

    private async Task<string?> TokenAsync(string installationId)
    {
        await using var connection = await _s.Host.Get<Database>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection, "SELECT token FROM installations WHERE external_id = @installationId", new { installationId });
    }

    private async Task<long> DeliveryIdAsync(long campaignId, string installationId)
    {
        await using var connection = await _s.Host.Get<Database>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT d.id FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE d.campaign_id = @campaignId AND i.external_id = @installationId",
            new { campaignId, installationId });
    }
}
