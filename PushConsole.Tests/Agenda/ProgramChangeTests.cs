using PushConsole.Agenda;
using PushConsole.Campaigns;

namespace PushConsole.Tests.Agenda;

public sealed class ProgramChangeTests
{
    // Friday 12 June 2026, 07:00 in Paris (UTC+2)
    private static readonly DateTimeOffset Morning = new(2026, 6, 12, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTime Ten = new(2026, 6, 12, 10, 0, 0);

    private static SessionForm Form(AgendaSession s, DateTime start, string? room = "Hall A") =>
        new() { Title = s.Title, Start = start, End = start.AddMinutes(45), Room = room, Track = s.Track };

    [Fact]
    public async Task Moving_a_session_moves_its_reminder_and_alerts_favouriters_and_checked_in_attendees_once()
    {
        await using var w = await AgendaWorld.StartAsync(Morning);
        var ada = await w.AttendeeAsync("ada", timeZone: "Europe/Paris");
        var cara = await w.AttendeeAsync("cara", timeZone: "Europe/Paris");
        var eve = await w.AttendeeAsync("eve", timeZone: "Europe/Paris");
        var keynote = await w.SessionAsync("keynote", "Keynote", Ten);
        var rule = await w.RuleAsync(15);
        await w.FavoriteAsync("ada", "keynote");
        await w.CheckInAsync("cara", "keynote");
        var sessions = w.Get<SessionService>();

        var saved = await sessions.UpdateAsync(keynote.Id, Form(keynote, Ten.AddHours(1)), notify: true, AgendaWorld.Organizer);

        Assert.Equal(SessionChangeKind.Time, saved.Change!.Kind);
        Assert.Equal(new DateTime(2026, 6, 12, 8, 45, 0), Assert.Single(await w.Get<AgendaQueries>().PlannedAsync(keynote.Id)).FiresAt);
        var alert = await w.WaitForAgendaCampaignAsync();
        Assert.Equal(saved.AlertCampaignId, alert.Id);
        Assert.Equal(("Time change · Keynote", $"session:keynote:change:{saved.Change.Id}", 2L), (alert.Name, alert.OriginRef, alert.AudienceSize));
        Assert.Equal((AgendaCategories.ProgramChanges, AgendaPushes.CollapseId(keynote.Id)), (alert.Options.Category, alert.Options.CollapseId));
        Assert.Equal(("Time change: Keynote", "Now 11:00 AM–11:45 AM (was 10:00 AM), Hall A."), AgendaWorld.Shown(Assert.Single(w.MessagesTo(ada))));
        Assert.Single(w.MessagesTo(cara));
        Assert.Empty(w.MessagesTo(eve));

        // the same change saved again (another tab, a double click) and notified again sends nothing more
        var again = await sessions.UpdateAsync(keynote.Id, Form(keynote, Ten.AddHours(1)), notify: true, AgendaWorld.Organizer);
        Assert.Null(again.Change);
        Assert.Null(await sessions.NotifyAsync(saved.Change.Id, AgendaWorld.Organizer));
        // two saves of one new change at the same moment record it once and alert once
        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            sessions.UpdateAsync(keynote.Id, Form(keynote, Ten.AddHours(1), room: "Room 2"), notify: true, AgendaWorld.Organizer)));
        Assert.Single(racing, r => r.Change is not null);
        await w.WaitForAgendaCampaignAsync(2);
        Assert.Equal(2, w.MessagesTo(ada).Count);
        Assert.Equal(2, (await w.Get<AgendaQueries>().ChangesAsync(keynote.Id)).Count);

        // the reminder goes at its new time, once, with the new room
        w.AdvanceTo(new DateTime(2026, 6, 12, 8, 45, 1));
        var reminder = await w.WaitForAgendaCampaignAsync(3);
        Assert.Equal($"session:keynote:reminder:{rule.Id}", reminder.OriginRef);
        Assert.Equal("11:00 AM venue, 11:00 AM yours, Room 2", AgendaWorld.Shown(w.MessagesTo(ada)[^1]).Body);
        Assert.Equal(3, (await w.AgendaCampaignsAsync()).Count);
    }

    [Fact]
    public async Task Cancelling_a_session_alerts_those_concerned_and_its_reminder_is_gone()
    {
        await using var w = await AgendaWorld.StartAsync(Morning);
        var ada = await w.AttendeeAsync("ada", timeZone: "Europe/Paris");
        var keynote = await w.SessionAsync("keynote", "Keynote", Ten, room: "Hall A");
        await w.RuleAsync(15);
        await w.FavoriteAsync("ada", "keynote");

        var saved = await w.Get<SessionService>().CancelAsync(keynote.Id, notify: true, AgendaWorld.Organizer);

        Assert.Equal(SessionChangeKind.Cancelled, saved.Change!.Kind);
        Assert.Empty(await w.Get<AgendaQueries>().PlannedAsync(keynote.Id));
        var alert = await w.WaitForAgendaCampaignAsync();
        Assert.Equal("Cancelled · Keynote", alert.Name);
        var shown = AgendaWorld.Shown(Assert.Single(w.MessagesTo(ada)));
        Assert.Equal(("Cancelled: Keynote", "Keynote (10:00 AM, Hall A) is cancelled."), shown);
        Assert.Equal(AgendaPushes.CollapseId(keynote.Id), Assert.Single(w.MessagesTo(ada)).Headers["apns-collapse-id"]);

        // cancelling again changes nothing; past the reminder's time nothing else is sent
        Assert.Null((await w.Get<SessionService>().CancelAsync(keynote.Id, notify: true, AgendaWorld.Organizer)).Change);
        w.AdvanceTo(new DateTime(2026, 6, 12, 8, 30, 0));
        await Task.Delay(1500);
        Assert.Single(await w.AgendaCampaignsAsync());
        Assert.Single(w.MessagesTo(ada));
        // and a cancelled session can no longer be favourited
        await Assert.ThrowsAsync<PushConsole.Api.ConflictException>(() => w.FavoriteAsync("ada", "keynote"));
    }
}
