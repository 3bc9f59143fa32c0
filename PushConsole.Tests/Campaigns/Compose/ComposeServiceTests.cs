using Dapper;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Compose;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;
using PushConsole.Devices;

namespace PushConsole.Tests.Campaigns.Compose;

public sealed class ComposeServiceTests : IAsyncLifetime
{
    // Tuesday 1 December 2026, 06:00 UTC: 07:00 in Paris, 01:00 in New York, 15:00 in Tokyo
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
    private readonly Actor _organizer = new("organizer@example.com");
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync(o => o.Services = s => s.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private ComposeForm Form(string title = "Closing party tonight")
    {
        var form = new ComposeForm { AppId = _s.App.Id, Name = "Closing party" };
        form.Variants[0].For("en").Title = title;
        form.Variants[0].For("en").Body = "Rooftop, from 19:00";
        return form;
    }

    private async Task<List<(string Installation, long DueAtMs, int Status)>> DeliveriesAsync(long campaignId)
    {
        await using var connection = await _s.Host.Get<Database>().OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<(string, long, int)>(
            "SELECT i.external_id, d.due_at_ms, d.status FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE d.campaign_id = @campaignId",
            new { campaignId })).ToList();
    }

    private static DateTime Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    [Fact]
    public async Task A_best_time_campaign_goes_at_the_backup_time_on_each_clock_without_history_and_at_the_active_hour_with_it()
    {
        var paris = await _s.RegisterAsync(android: 0, ios: 2, timeZone: "Europe/Paris", prefix: "paris");
        var newYork = await _s.RegisterAsync(android: 0, ios: 1, timeZone: "America/New_York", prefix: "ny");
        var tokyo = await _s.RegisterAsync(android: 0, ios: 1, timeZone: "Asia/Tokyo", prefix: "tokyo");
        var form = Form();
        form.Schedule = new ScheduleForm { Kind = ScheduleKind.Intelligent, BackupTime = new DateTime(2026, 12, 2, 9, 0, 0) };

        var campaign = await _s.Host.Get<ComposeService>().SendAsync(form, _organizer);
        Assert.Equal(new CampaignSchedule { Kind = ScheduleKind.Intelligent, BackupLocalTime = new DateTime(2026, 12, 2, 9, 0, 0), DisplayTimeZone = "UTC" }, campaign.Schedule);
        await _s.Host.Get<CampaignLauncher>().WhenIdleAsync();

        var due = (await DeliveriesAsync(campaign.Id)).ToDictionary(d => d.Installation, d => Utc(d.DueAtMs));
        Assert.Equal(4, due.Count);
        // 09:00 on 2 December on each recipient's own clock
        Assert.All(paris, d => Assert.Equal(new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc), due[d.InstallationId]));
        Assert.Equal(new DateTime(2026, 12, 2, 14, 0, 0, DateTimeKind.Utc), due[newYork[0].InstallationId]);
        Assert.Equal(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), due[tokyo[0].InstallationId]);
        Assert.Equal(CampaignStatus.Sending, (await _s.Host.Get<CampaignService>().GetAsync(campaign.Id)).Status);

        // with history, the same campaign plans the recipient's most active hour within 24 h on their clock
        // (the activity profile feeding BestHourOfWeek at launch is the server-API issue's launch rule)
        var planner = new RecipientPlanner(campaign, _clock.GetUtcNow().UtcDateTime);
        Assert.Equal(new DateTime(2026, 12, 1, 18, 0, 0, DateTimeKind.Utc), planner.DueFor(new Recipient(1, null, "Europe/Paris", 1 * 24 + 19)));
        Assert.Equal(new DateTime(2026, 12, 1, 13, 0, 0, DateTimeKind.Utc), planner.DueFor(new Recipient(2, null, "America/New_York", 2 * 24 + 8)));
        Assert.Equal(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), planner.DueFor(new Recipient(3, null, "Asia/Tokyo", 9)));
    }

    [Fact]
    public async Task A_scheduled_campaign_can_be_edited_and_cancelled_until_it_starts()
    {
        await _s.RegisterAsync(android: 3);
        var compose = _s.Host.Get<ComposeService>();
        var form = Form();
        form.Schedule = new ScheduleForm { Kind = ScheduleKind.At, Zone = "Europe/Warsaw", At = new DateTime(2026, 12, 1, 18, 0, 0) };
        var scheduled = await compose.SendAsync(form, _organizer);
        Assert.Equal(CampaignStatus.Scheduled, scheduled.Status);
        Assert.Equal(new DateTime(2026, 12, 1, 17, 0, 0, DateTimeKind.Utc), scheduled.LaunchAt);

        var edit = await compose.LoadForEditAsync(scheduled.Id);
        Assert.Equal(new DateTime(2026, 12, 1, 18, 0, 0), edit.Schedule.At);
        Assert.Equal("Europe/Warsaw", edit.Schedule.Zone);
        edit.Variants[0].For("en").Title = "Closing party moved to 20:00";
        edit.Schedule.At = new DateTime(2026, 12, 1, 19, 30, 0);
        var updated = await compose.SendAsync(edit, _organizer);
        Assert.Equal(scheduled.Id, updated.Id);
        Assert.Equal(new DateTime(2026, 12, 1, 18, 30, 0, DateTimeKind.Utc), updated.LaunchAt);
        Assert.Equal("Closing party moved to 20:00", (await _s.Host.Get<CampaignService>().GetAsync(scheduled.Id)).Message.Variants[0].Content["en"].Title);
        Assert.Empty(await DeliveriesAsync(scheduled.Id));

        await _s.Host.Get<CampaignControl>().CancelAsync(scheduled.Id, null, _organizer);
        Assert.Equal(CampaignStatus.Cancelled, (await _s.Host.Get<CampaignService>().GetAsync(scheduled.Id)).Status);
        await Assert.ThrowsAsync<ConflictException>(() => compose.LoadForEditAsync(scheduled.Id));
        await Assert.ThrowsAsync<ConflictException>(() => compose.SendAsync(edit, _organizer));
    }

    [Fact]
    public async Task The_check_counts_by_platform_and_names_every_problem_by_field_storing_nothing()
    {
        await _s.RegisterAsync(android: 3, ios: 2, web: 1, tags: ["vip"]);
        await _s.RegisterAsync(android: 4);
        var compose = _s.Host.Get<ComposeService>();
        var form = Form();
        form.Audience = new AudienceForm { Kind = AudienceKind.Tags, TagsAny = "vip" };
        var ok = await compose.CheckAsync(form, _organizer.Name);
        Assert.True(ok.Ok, string.Join("; ", ok.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        Assert.Equal((3, 2, 1), (ok.Count[Platform.Android], ok.Count[Platform.Ios], ok.Count[Platform.Web]));

        form.Audience.TagsAny = "nobody";
        form.Variants[0].For("en").Data.Add(new DataPair { Key = "gcm.notification", Value = "x" });
        form.Variants[0].For("fr").Title = "Soirée de clôture";
        form.AddLanguage("fr");
        form.AddVariant();
        form.Variants[1].Content.Remove("en");
        form.Variants[1].For("fr").Body = new string('ż', 2100);
        form.Winner = WinnerChoice.Automatic;
        form.Schedule = new ScheduleForm { Kind = ScheduleKind.LocalTime, LocalTime = new DateTime(2026, 12, 1, 20, 0, 0) };
        var check = await compose.CheckAsync(form, _organizer.Name);
        Assert.Contains("Nobody matches", check.Errors["audience"][0]);
        Assert.Contains("reserved by FCM", check.Errors["message.variants[0].content.en.data.gcm.notification"][0]);
        Assert.Contains("default language (en) is required", check.Errors["message.variants[1].content.en"][0]);
        Assert.Contains(check.Errors["message.variants[1].content.fr.body"], m => m.StartsWith("On iOS this push is", StringComparison.Ordinal) && m.Contains("APNs allows 4,096 bytes"));
        Assert.Contains("automatic winner needs one send time", check.Errors["message.winner.mode"][0]);

        form.Audience = new AudienceForm { Android = false, Ios = false, Web = false };
        Assert.Contains("Tick at least one platform", (await compose.CheckAsync(form, _organizer.Name)).Errors["audience.platforms"][0]);
        await Assert.ThrowsAsync<BadInputException>(() => compose.SendAsync(form, _organizer));
        Assert.Empty(await _s.Host.Get<CampaignQueries>().ListAsync(null));
    }
}
