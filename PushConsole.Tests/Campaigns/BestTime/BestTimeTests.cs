using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.BestTime;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Tests.Campaigns.ServerApi;
using PushConsole.Sending.Launch;
using PushConsole.Sending;
using DeliveryRow = PushConsole.Tests.Campaigns.ServerApi.DeliveryRow;

namespace PushConsole.Tests.Campaigns.BestTime;

public sealed class BestHoursTests
{
    private static int How(DayOfWeek day, int hour) => ((int)day + 6) % 7 * 24 + hour;

    private static int[] Activity(params (DayOfWeek Day, int Hour, int Count)[] cells)
    {
        var activity = new int[ActivityHour.HoursPerWeek];
        foreach (var (day, hour, count) in cells) activity[How(day, hour)] += count;
        return activity;
    }

    [Fact]
    public void The_busiest_hour_of_the_next_24_is_picked_in_the_recipients_zone()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        // Wednesday 4 March 2026, 11:00 in Paris: Wednesday 19:00 is ahead today
        var best = BestHours.Pick(Activity((DayOfWeek.Wednesday, 19, 3), (DayOfWeek.Monday, 8, 1)), paris, new DateTime(2026, 3, 4, 10, 0, 0, DateTimeKind.Utc));
        Assert.Equal(How(DayOfWeek.Wednesday, 19), best);
    }

    [Fact]
    public void A_habit_seen_on_other_days_counts_and_the_same_weekday_counts_most()
    {
        var now = new DateTime(2026, 3, 6, 12, 0, 0, DateTimeKind.Utc); // Friday noon UTC
        // only seen on Mondays at 07:00: Saturday 07:00 is the best of the next 24 hours
        Assert.Equal(How(DayOfWeek.Saturday, 7), BestHours.Pick(Activity((DayOfWeek.Monday, 7, 5)), TimeZoneInfo.Utc, now));
        // Friday 20:00 twice beats 09:00 seen three times on Tuesdays
        Assert.Equal(How(DayOfWeek.Friday, 20), BestHours.Pick(Activity((DayOfWeek.Friday, 20, 2), (DayOfWeek.Tuesday, 9, 3)), TimeZoneInfo.Utc, now));
        Assert.Null(BestHours.Pick(new int[ActivityHour.HoursPerWeek], TimeZoneInfo.Utc, now));
    }

    [Fact]
    public void The_launch_query_aggregate_is_read_back_summing_each_devices_counts()
    {
        var activity = BestHours.Parse("5:2,7:1,5:3,999:4,x:1");
        Assert.Equal(5, activity[5]);
        Assert.Equal(1, activity[7]);
        Assert.Equal(6, activity.Sum());
        Assert.Equal("Mon 05:00", BestHours.Describe(5));
        Assert.Equal("Sun 23:00", BestHours.Describe(167));
    }
}

/// <summary>Best-time sends through the real launch on a fake clock (worker off: the outbox rows are what is checked).</summary>
public sealed class BestTimeLaunchTests : IAsyncLifetime
{
    // Wednesday 4 March 2026, 10:00 UTC
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero));
    private AppHost _host = default!;
    private long _appId;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync(o =>
        {
            o.Args.Add("--Dispatch:WorkerEnabled=false");
            o.Services = services => services.AddSingleton<TimeProvider>(_clock);
        });
        _appId = (await _host.Get<AppService>().CreateAsync(new NewApp("Event app"), Actor.System)).App.Id;
        var registry = _host.Get<DeviceRegistry>();
        async Task Register(string id, string? zone, string? user) => await registry.RegisterAsync(_appId, id, new InstallationRequest
        {
            Platform = "android", PushToken = $"fcm-{id}-{Guid.NewGuid():N}", TimeZone = zone, UserId = user,
        });
        await Register("ana-phone", "Europe/Paris", "ana");
        await Register("ana-tablet", "America/New_York", "ana");
        await Register("tokyo-phone", "Asia/Tokyo", "kenji");
        await Register("zoneless-phone", null, null);
        // ana uses her phone around 19:00 in Paris (18:xx UTC in winter); other event types do not count
        await _host.Get<ClientEvents>().RecordAsync(_appId,
        [
            Event("ana-phone", ClientEventTypes.SessionStart, "2026-02-25T18:05:00Z"),
            Event("ana-phone", ClientEventTypes.SessionStart, "2026-03-02T18:40:00Z"),
            Event("ana-phone", ClientEventTypes.NotificationOpened, "2026-03-03T18:15:00Z"),
            Event("ana-phone", ClientEventTypes.SessionStart, "2026-03-03T06:30:00Z"),
            Event("tokyo-phone", ClientEventTypes.NotificationReceived, "2026-03-03T01:00:00Z"),
            Event("tokyo-phone", ClientEventTypes.Custom, "2026-03-03T01:00:00Z", "checkout"),
        ], isArray: true);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static ClientEventRequest Event(string installation, string type, string at, string? name = null) =>
        new() { InstallationId = installation, Type = type, At = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), Name = name };

    private async Task<Dictionary<string, DeliveryRow>> LaunchAsync(DateTime? backup)
    {
        var campaign = await _host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = _appId,
            Name = "Smart reminder",
            Audience = AudienceSpec.Everyone,
            Message = DispatchScenario.Message(),
            Schedule = new BestTimeSchedule(backup),
        }, Actor.System);
        await _host.Get<CampaignLauncher>().WhenIdleAsync();
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var rows = await (from d in db.Set<PushConsole.Sending.Delivery>()
                          join i in db.Set<Installation>() on d.InstallationId equals i.Id
                          where d.CampaignId == campaign.Id
                          select new { i.ExternalId, d.Id, d.Status, d.DueAtMs, d.Reason, d.Variant, d.Language }).ToListAsync();
        return rows.ToDictionary(r => r.ExternalId, r => new DeliveryRow(r.Id, r.ExternalId, r.Status,
            DateTimeOffset.FromUnixTimeMilliseconds(r.DueAtMs).UtcDateTime, r.Reason, r.Variant, r.Language));
    }

    [Fact]
    public async Task Each_recipient_gets_their_best_hour_or_the_backup_time_in_their_own_zone()
    {
        var due = await LaunchAsync(new DateTime(2026, 3, 5, 9, 0, 0));
        // ana's phone: Wednesday 19:00 in Paris, within the next 24 hours
        Assert.Equal(new DateTime(2026, 3, 4, 18, 0, 0, DateTimeKind.Utc), due["ana-phone"].DueUtc);
        Assert.Equal("best time Wed 19:00 Europe/Paris", due["ana-phone"].Reason);
        // her tablet has no history of its own: her profile, at 19:00 in the tablet's zone
        Assert.Equal(new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc), due["ana-tablet"].DueUtc);
        // no sessions or opens: 09:00 tomorrow in Tokyo, and in UTC for a device without a zone
        Assert.Equal(new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc), due["tokyo-phone"].DueUtc);
        Assert.Null(due["tokyo-phone"].Reason);
        Assert.Equal(new DateTime(2026, 3, 5, 9, 0, 0, DateTimeKind.Utc), due["zoneless-phone"].DueUtc);
    }

    [Fact]
    public async Task Without_a_backup_time_recipients_without_history_get_it_at_once()
    {
        var due = await LaunchAsync(null);
        Assert.Equal(new DateTime(2026, 3, 4, 18, 0, 0, DateTimeKind.Utc), due["ana-phone"].DueUtc);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, due["tokyo-phone"].DueUtc);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, due["zoneless-phone"].DueUtc);
    }

    [Fact]
    public async Task The_profile_counts_sessions_and_opens_per_hour_of_week_and_is_exported_and_erased_with_the_user()
    {
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var ids = await db.Set<Installation>().Where(i => i.AppId == _appId).ToDictionaryAsync(i => i.ExternalId, i => i.Id);
        var profiles = _host.Get<ActivityProfiles>();

        var phone = await profiles.ForInstallationAsync(ids["ana-phone"]);
        Assert.Equal("Europe/Paris", phone.TimeZone);
        Assert.Equal(3, phone.Sessions.Sum());
        Assert.Equal(1, phone.Opens.Sum());
        Assert.Equal(1, phone.Sessions[2 * 24 + 19]); // Wednesday 25 Feb, 19:05 Paris
        Assert.Equal(1, phone.Opens[1 * 24 + 19]);    // Tuesday 3 March, 19:15 Paris
        Assert.Equal(1, phone.Sessions[1 * 24 + 7]);  // Tuesday 3 March, 07:30 Paris
        Assert.Equal(2 * 24 + 19, phone.BestHourOfWeek);
        Assert.Equal(new DateTime(2026, 3, 4, 18, 0, 0, DateTimeKind.Utc), phone.NextBestUtc);
        var tablet = await profiles.ForInstallationAsync(ids["ana-tablet"]);
        Assert.Equal(0, tablet.Sessions.Sum());
        Assert.Equal(4, tablet.Used.Sum());
        Assert.Equal(2, tablet.Devices);
        Assert.True((await profiles.ForInstallationAsync(ids["tokyo-phone"])).IsEmpty);

        var subject = new PersonalDataSubject(_appId, 0, "ana", [ids["ana-phone"], ids["ana-tablet"]]);
        var personal = _host.Get<IEnumerable<IPersonalData>>().Single(p => p.Section == "activity_profile");
        var exported = System.Text.Json.JsonSerializer.SerializeToElement(await personal.ExportAsync(subject, CancellationToken.None));
        Assert.Equal(4, exported.GetArrayLength()); // four hours of the week on the phone, none on the tablet
        await personal.EraseAsync(subject, CancellationToken.None);
        Assert.True((await profiles.ForInstallationAsync(ids["ana-phone"])).IsEmpty);
        Assert.Equal(0, System.Text.Json.JsonSerializer.SerializeToElement(await personal.ExportAsync(subject, CancellationToken.None)).GetArrayLength());
    }
}
