using PushConsole.Agenda;
using PushConsole.Campaigns;
using PushConsole.Devices;

namespace PushConsole.Tests.Agenda;

public sealed class ReminderTests
{
    // Paris moves its clocks from 02:00 to 03:00 on Sunday 29 March 2026 (01:00 UTC); the day before it is UTC+1, after UTC+2
    private static readonly DateTimeOffset SaturdayNoon = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_favourite_gets_its_reminder_15_minutes_before_in_venue_time_across_the_DST_change_and_in_its_own_zone()
    {
        await using var w = await AgendaWorld.StartAsync(SaturdayNoon);
        var paris = await w.AttendeeAsync("ada", timeZone: "Europe/Paris");
        var newYork = await w.AttendeeAsync("bob", timeZone: "America/New_York");
        var nobody = await w.AttendeeAsync("eve");
        var keynote = await w.SessionAsync("keynote", "Keynote", new DateTime(2026, 3, 29, 10, 0, 0), room: "Hall A");
        await w.RuleAsync(15);
        await w.FavoriteAsync("ada", "keynote");
        await w.FavoriteAsync("bob", "keynote");

        // 10:00 in Paris on Sunday is 08:00 UTC (summer time), so the reminder is at 07:45 UTC — not 08:45 (the offset of Saturday)
        Assert.Equal(new DateTime(2026, 3, 29, 8, 0, 0), keynote.StartsAt);
        var planned = Assert.Single(await w.Get<AgendaQueries>().PlannedAsync(keynote.Id));
        Assert.Equal((AgendaPushKind.Reminder, new DateTime(2026, 3, 29, 7, 45, 0)), (planned.Kind, planned.FiresAt));

        w.AdvanceTo(new DateTime(2026, 3, 29, 7, 44, 0));
        await Task.Delay(1500);
        Assert.Empty(await w.AgendaCampaignsAsync());

        w.AdvanceTo(new DateTime(2026, 3, 29, 7, 45, 1));
        var reminder = await w.WaitForAgendaCampaignAsync();

        Assert.Equal("Reminder · Keynote · 15 min before", reminder.Name);
        Assert.Equal("session:keynote:reminder:" + planned.RuleId, reminder.OriginRef);
        Assert.Equal(2, reminder.AudienceSize);
        Assert.Equal(AgendaPushes.CollapseId(keynote.Id), reminder.Options.CollapseId);
        // the time to live ends with the session: 15 min before + 45 min long
        Assert.InRange(reminder.Options.TtlSeconds, 60 * 60 - 2, 60 * 60);
        Assert.Equal(("Starting soon: Keynote", "10:00 AM venue, 10:00 AM yours, Hall A"), AgendaWorld.Shown(Assert.Single(w.MessagesTo(paris))));
        Assert.All(w.MessagesTo(paris).Concat(w.MessagesTo(newYork)), m => Assert.Equal(AgendaPushes.CollapseId(keynote.Id), m.Headers["apns-collapse-id"]));
        var apns = Assert.Single(w.MessagesTo(newYork));
        Assert.Equal("10:00 AM venue, 4:00 AM yours, Hall A", AgendaWorld.Shown(apns).Body);
        Assert.Empty(w.MessagesTo(nobody));
        Assert.Empty(await w.Get<AgendaQueries>().PlannedAsync(keynote.Id));
    }
}
