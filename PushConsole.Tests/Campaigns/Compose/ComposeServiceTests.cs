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
        Assert.Equal(new BestTimeSchedule(new DateTime(2026, 12, 2, 9, 0, 0)) { DisplayTimeZone = "UTC" }, campaign.Schedule);
        await _s.Host.Get<CampaignLauncher>().WhenIdleAsync();

        var due = (await DeliveriesAsync(campaign.Id)).ToDictionary(d => d.Installation, d => Utc(d.DueAtMs));
        Assert.Equal(4, due.Count);
        // 09:00 on 2 December on each recipient's own clock
        Assert.All(paris, d => Assert.Equal(new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc), due[d.InstallationId]));
        Assert.Equal(new DateTime(2026, 12, 2, 14, 0, 0, DateTimeKind.Utc), due[newYork[0].InstallationId]);
        Assert.Equal(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), due[tokyo[0].InstallationId]);
        Assert.Equal(CampaignStatus.Sending, (await _s.Host.Get<CampaignService>().GetAsync(campaign.Id)).Status);
    }

    [Fact]
    public async Task A_best_time_schedule_plans_each_recipient_with_history_at_their_own_most_active_hour()
    {
        var paris = (await _s.RegisterAsync(android: 0, ios: 1, timeZone: "Europe/Paris", prefix: "paris"))[0];
        var newYork = (await _s.RegisterAsync(android: 0, ios: 1, timeZone: "America/New_York", prefix: "ny"))[0];
        var tokyo = (await _s.RegisterAsync(android: 0, ios: 1, timeZone: "Asia/Tokyo", prefix: "tokyo"))[0];
        // the last two Tuesdays: Paris opens the app at 19:00 on its clock, New York at 08:00 on its own; Tokyo never
        ClientEventRequest Session(ScenarioDevice device, string at) =>
            new() { InstallationId = device.InstallationId, Type = ClientEventTypes.SessionStart, At = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture) };
        await _s.Host.Get<ClientEvents>().RecordAsync(_s.App.Id,
        [
            Session(paris, "2026-11-17T18:10:00Z"), Session(paris, "2026-11-24T18:20:00Z"),
            Session(newYork, "2026-11-17T13:05:00Z"), Session(newYork, "2026-11-24T13:15:00Z"),
        ], isArray: true);
        var form = Form();
        form.Schedule = new ScheduleForm { Kind = ScheduleKind.Intelligent, BackupTime = new DateTime(2026, 12, 2, 9, 0, 0) };

        var campaign = await _s.Host.Get<ComposeService>().SendAsync(form, _organizer);
        await _s.Host.Get<CampaignLauncher>().WhenIdleAsync();

        var due = (await DeliveriesAsync(campaign.Id)).ToDictionary(d => d.Installation, d => Utc(d.DueAtMs));
        // today (Tuesday 1 December) at 19:00 in Paris and 08:00 in New York; Tokyo at the backup time on its clock
        Assert.Equal(new DateTime(2026, 12, 1, 18, 0, 0, DateTimeKind.Utc), due[paris.InstallationId]);
        Assert.Equal(new DateTime(2026, 12, 1, 13, 0, 0, DateTimeKind.Utc), due[newYork.InstallationId]);
        Assert.Equal(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), due[tokyo.InstallationId]);
    }

    [Fact]
    public void An_at_schedule_has_no_local_fields_and_each_kind_reads_back_from_the_stored_json()
    {
        var at = new AtSchedule(new DateTime(2026, 12, 3, 17, 30, 0, DateTimeKind.Utc)) { DisplayTimeZone = "Europe/Warsaw" };
        var json = System.Text.Json.JsonSerializer.Serialize<CampaignSchedule>(at, JsonColumns.Options);
        Assert.Equal("""{"kind":"at","at":"2026-12-03T17:30:00Z","displayTimeZone":"Europe/Warsaw"}""", json);
        Assert.DoesNotContain(typeof(AtSchedule).GetProperties(), p => p.Name.Contains("Local", StringComparison.Ordinal));
        // rows stored by the earlier flat record read as the matching case
        Assert.Equal(at, Read("""{"kind":"at","at":"2026-12-03T17:30:00Z","displayTimeZone":"Europe/Warsaw"}"""));
        Assert.Equal(new LocalTimeSchedule(new DateTime(2026, 12, 3, 9, 0, 0)), Read("""{"kind":"local_time","localTime":"2026-12-03T09:00:00"}"""));
        Assert.Equal(new BestTimeSchedule(new DateTime(2026, 12, 3, 9, 0, 0)) { DisplayTimeZone = "UTC" },
            Read("""{"kind":"intelligent","backupLocalTime":"2026-12-03T09:00:00","displayTimeZone":"UTC"}"""));
        Assert.Equal(new BestTimeSchedule(), Read("""{"kind":"intelligent"}"""));
        Assert.Equal(CampaignSchedule.Immediately, Read("""{"kind":"now"}"""));
        static CampaignSchedule Read(string stored) => System.Text.Json.JsonSerializer.Deserialize<CampaignSchedule>(stored, JsonColumns.Options)!;
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
