using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Sending;

/// <summary>Launch rules run in their declared order, whatever order the features registered them in.</summary>
public sealed class LaunchRuleOrderTests : IAsyncLifetime
{
    // Wednesday 4 March 2026, 10:00 UTC (11:00 in Paris)
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero));
    private AppHost _host = default!;

    public async Task InitializeAsync() => _host = await AppHost.StartAsync(o =>
    {
        o.Args.Add("--Dispatch:WorkerEnabled=false");
        o.Services = services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            // as if Program.cs listed the features the other way round (e.g. Consent and Agenda before Campaigns)
            var rules = services.Where(d => d.ServiceType == typeof(ILaunchRule)).ToList();
            foreach (var rule in rules) services.Remove(rule);
            foreach (var rule in Enumerable.Reverse(rules)) services.Add(rule);
        };
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void The_sequence_is_pinned_whatever_the_registration_order()
    {
        Assert.Equal(["BestTimeRule", "AgendaQuietTime", "AbTestHoldRule", "ConsentRule", "FrequencyCapRule", "QuietHoursRule"],
            _host.Get<LaunchRules>().InOrder.Select(r => r.GetType().Name));
    }

    [Fact]
    public async Task Quiet_hours_still_hold_a_best_time_push_whose_best_hour_is_at_night_when_registration_order_is_reversed()
    {
        var appId = (await _host.Get<AppService>().CreateAsync(new NewApp("Event app"), Actor.System)).App.Id;
        await _host.Get<DeviceRegistry>().RegisterAsync(appId, "night-owl", new InstallationRequest
        {
            Platform = "android", PushToken = $"fcm-night-owl-{Guid.NewGuid():N}", TimeZone = "Europe/Paris",
        });
        // sessions around 23:30 in Paris: the best hour is 23:00, inside the app's default quiet hours (22:00–08:00)
        await _host.Get<ClientEvents>().RecordAsync(appId,
        [
            new ClientEventRequest { InstallationId = "night-owl", Type = ClientEventTypes.SessionStart, At = new DateTimeOffset(2026, 3, 2, 22, 30, 0, TimeSpan.Zero) },
            new ClientEventRequest { InstallationId = "night-owl", Type = ClientEventTypes.SessionStart, At = new DateTimeOffset(2026, 3, 3, 22, 35, 0, TimeSpan.Zero) },
        ], isArray: true);

        var campaign = await _host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = appId, Name = "Smart reminder", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(),
            Schedule = new BestTimeSchedule(),
        }, Actor.System);
        await _host.Get<CampaignLauncher>().WhenIdleAsync();

        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var row = await db.Set<PushConsole.Sending.Delivery>().SingleAsync(d => d.CampaignId == campaign.Id);
        // best time says 23:00 Paris (22:00 UTC); quiet hours, applied after it, move it to 08:00 Paris the next morning
        Assert.Equal(new DateTime(2026, 3, 5, 7, 0, 0, DateTimeKind.Utc), DateTimeOffset.FromUnixTimeMilliseconds(row.DueAtMs).UtcDateTime);
        Assert.Equal(PushConsole.Consent.ConsentReasons.QuietHours, row.Reason);
    }
}
