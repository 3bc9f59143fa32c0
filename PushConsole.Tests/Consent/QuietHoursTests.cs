using PushConsole.Sandbox;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Consent;
using PushConsole.Sending;

namespace PushConsole.Tests.Consent;

public sealed class QuietHoursTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly QuietHours Night = new(22 * 60, 8 * 60);

    [Theory]
    [InlineData("2026-03-10T22:30:00Z", "2026-03-11T07:00:00Z")] // 23:30 in Paris (UTC+1) waits for 08:00
    [InlineData("2026-03-11T05:00:00Z", "2026-03-11T07:00:00Z")] // 06:00 the same morning
    [InlineData("2026-03-10T20:59:00Z", null)]                   // 21:59: still evening
    [InlineData("2026-03-11T07:00:00Z", null)]                   // 08:00 sharp: the window is over
    [InlineData("2026-03-28T23:30:00Z", "2026-03-29T06:00:00Z")] // the night clocks go forward: 08:00 is UTC+2 by then
    public void A_push_due_in_the_window_waits_for_its_end_in_the_recipients_zone(string due, string? until)
    {
        var held = Night.HoldUntil(DateTime.Parse(due, null, System.Globalization.DateTimeStyles.AdjustToUniversal), Paris);
        Assert.Equal(until is null ? null : DateTime.Parse(until, null, System.Globalization.DateTimeStyles.AdjustToUniversal), held);
    }

    [Fact]
    public void A_window_that_ends_in_a_skipped_hour_ends_when_the_clock_has_jumped()
    {
        // 01:00–02:30 on the night Paris skips 02:00–03:00: 02:30 does not exist, the push leaves at 03:00 local (01:00 UTC)
        var window = new QuietHours(60, 150);
        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), window.HoldUntil(new DateTime(2026, 3, 29, 0, 30, 0, DateTimeKind.Utc), Paris));
    }

    [Fact]
    public void A_daytime_window_does_not_wrap_and_an_empty_one_holds_nothing()
    {
        var lunch = new QuietHours(12 * 60, 14 * 60);
        Assert.True(lunch.Contains(TimeSpan.FromHours(13)));
        Assert.False(lunch.Contains(TimeSpan.FromHours(23)));
        Assert.Null(new QuietHours(600, 600).HoldUntil(new DateTime(2026, 3, 10, 9, 30, 0, DateTimeKind.Utc), Paris));
    }
}

/// <summary>The quiet-hours launch rule end to end, with a fake clock the worker and the launch follow.</summary>
public sealed class QuietHoursDispatchTests
{
    [Fact]
    public async Task A_push_during_quiet_hours_is_held_and_sent_at_their_end_in_the_recipients_zone()
    {
        // 22:30 UTC: 23:30 in Paris, 18:30 in New York, 07:30 the next morning in Tokyo
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 22, 30, 0, TimeSpan.Zero));
        // the sandbox shares the clock: it checks the app's OAuth and provider tokens against its own time
        await using var sandbox = await SandboxHost.StartAsync(clock: clock);
        await using var s = await DispatchScenario.StartAsync(o => o.Services = services => services.AddSingleton<TimeProvider>(clock), sandbox, quietHours: true);
        var paris = await s.DeviceAsync("paris", "ana", "Europe/Paris");
        var newYork = await s.DeviceAsync("new-york", "ben", "America/New_York");
        var tokyo = await s.DeviceAsync("tokyo", "chie", "Asia/Tokyo");

        var news = await s.SendAsync("Partner breakfast tomorrow", "networking");
        var change = await s.SendAndWaitAsync("Hall B is closed tonight", "program_changes");
        await WaitUntilAsync(() => s.Received(newYork) == 2);

        var held = await s.Host.OutcomesAsync(news.Id);
        Assert.Equal(DeliveryStatus.Sent, held["new-york"].Status);
        Assert.Equal((DeliveryStatus.Pending, "quiet_hours", At(2026, 3, 11, 7)), (held["paris"].Status, held["paris"].Reason, held["paris"].DueAtMs));
        Assert.Equal((DeliveryStatus.Pending, "quiet_hours", At(2026, 3, 10, 23)), (held["tokyo"].Status, held["tokyo"].Reason, held["tokyo"].DueAtMs));
        // transactional passes at once
        Assert.All((await s.Host.OutcomesAsync(change.Id)).Values, o => Assert.Equal(DeliveryStatus.Sent, o.Status));
        Assert.Equal((1, 1), (s.Received(paris), s.Received(tokyo)));

        clock.Advance(TimeSpan.FromMinutes(30)); // 08:00 in Tokyo
        await WaitUntilAsync(() => s.Received(tokyo) == 2);
        Assert.Equal(1, s.Received(paris));

        clock.Advance(TimeSpan.FromHours(8)); // 08:00 in Paris
        await s.WaitForAsync(news.Id, PushConsole.Sending.CampaignStatus.Completed);
        var sent = await s.Host.OutcomesAsync(news.Id);
        Assert.Equal(2, s.Received(paris));
        Assert.True(sent["paris"].SentAtMs >= At(2026, 3, 11, 7), "Paris got it before 08:00 local");
        Assert.True(sent["tokyo"].SentAtMs >= At(2026, 3, 10, 23), "Tokyo got it before 08:00 local");
    }

    private static long At(int year, int month, int day, int hour) => new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition did not come true within 30 s.");
            await Task.Delay(50);
        }
    }
}
