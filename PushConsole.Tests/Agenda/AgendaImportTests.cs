using PushConsole.Agenda;
using PushConsole.Api;

namespace PushConsole.Tests.Agenda;

public sealed class AgendaImportTests(AgendaHostFixture f) : IClassFixture<AgendaHostFixture>
{
    private const string Csv = """
        id,title,track,room,start,end,speakers
        k1,Keynote,,Hall A,2030-06-12 09:00,2030-06-12 10:00,Ada Lovelace; Grace Hopper
        ai-1,"AI, in practice",AI,B2,2030-06-12 10:30,2030-06-12 11:15,Alan Turing
        web-1,Web at scale,Web,B3,2030-06-12T09:30:00Z,2030-06-12T10:15:00Z,
        """;

    [Fact]
    public async Task A_CSV_preview_lists_what_will_be_created_and_nothing_is_stored_until_it_is_applied()
    {
        var (app, _) = await f.NewEventAsync();
        var import = f.Host.Get<AgendaImport>();

        var preview = await import.PreviewAsync(app.App.Id, "agenda.csv", Csv);

        Assert.Empty(preview.Problems);
        Assert.Equal(["k1", "ai-1", "web-1"], preview.Items.Where(i => i.Action == ImportAction.Create).Select(i => i.ExternalId));
        Assert.Contains("Wed 2030-06-12 11:30–12:15, B3, Web", preview.Items.Single(i => i.ExternalId == "web-1").Details);
        Assert.Empty(await f.Host.Get<AgendaQueries>().SessionsAsync(app.App.Id));

        var result = await import.ApplyAsync(preview, notify: false, AgendaWorld.Organizer);
        Assert.Equal(3, result.Created);
        var sessions = await f.Host.Get<AgendaQueries>().SessionsAsync(app.App.Id);
        Assert.Equal(["Keynote", "AI, in practice", "Web at scale"], sessions.Select(s => s.Title));
        var web = sessions.Single(s => s.ExternalId == "web-1");
        Assert.Equal((new DateTime(2030, 6, 12, 9, 30, 0), new DateTime(2030, 6, 12, 11, 30, 0)), (web.StartsAt, web.VenueStart));
        Assert.Equal("Ada Lovelace; Grace Hopper", sessions[0].Speakers);

        // the same file again changes nothing
        Assert.All((await import.PreviewAsync(app.App.Id, "agenda.csv", Csv)).Items, i => Assert.Equal(ImportAction.Unchanged, i.Action));
    }

    [Fact]
    public async Task Importing_again_changes_moved_sessions_cancels_missing_ones_with_attendees_and_removes_the_others()
    {
        var (app, _) = await f.NewEventAsync();
        var import = f.Host.Get<AgendaImport>();
        await import.ApplyAsync(await import.PreviewAsync(app.App.Id, "agenda.csv", Csv), false, AgendaWorld.Organizer);
        var keynote = (await f.Host.Get<AgendaQueries>().SessionsAsync(app.App.Id)).Single(s => s.ExternalId == "k1");
        await f.Host.Get<AttendanceService>().FavoriteAsync(app.App.Id, "ada", "ai-1");

        var preview = await import.PreviewAsync(app.App.Id, "agenda.csv", """
            id,title,room,start,end
            k1,Keynote,Hall B,2030-06-12 09:00,2030-06-12 10:00
            new-1,Closing,Hall A,2030-06-13 17:00,2030-06-13 17:30
            """);

        var items = preview.Items.ToDictionary(i => i.ExternalId);
        Assert.Equal((ImportAction.Change, SessionChangeKind.Room), (items["k1"].Action, items["k1"].Change));
        Assert.Equal("room Hall A → Hall B; speakers Ada Lovelace; Grace Hopper → —", items["k1"].Details);
        Assert.Equal(ImportAction.Create, items["new-1"].Action);
        Assert.Equal((ImportAction.Cancel, 1), (items["ai-1"].Action, items["ai-1"].Attendees));
        Assert.Equal(ImportAction.Remove, items["web-1"].Action);

        var result = await import.ApplyAsync(preview, notify: false, AgendaWorld.Organizer);
        Assert.Equal((1, 1, 1, 1), (result.Created, result.Changed, result.Cancelled, result.Removed));
        var sessions = (await f.Host.Get<AgendaQueries>().SessionsAsync(app.App.Id)).ToDictionary(s => s.ExternalId);
        Assert.Equal(["ai-1", "k1", "new-1"], sessions.Keys.Order());
        Assert.True(sessions["ai-1"].Cancelled);
        Assert.Equal("Hall B", sessions["k1"].Room);
        var change = Assert.Single(await f.Host.Get<AgendaQueries>().ChangesAsync(keynote.Id));
        Assert.Equal("room Hall A → Hall B", change.Description);

        // a preview made before another edit cannot be applied any more
        var stale = await import.PreviewAsync(app.App.Id, "agenda.csv", "id,title,room,start,end\nk1,Keynote,Hall C,2030-06-12 09:00,2030-06-12 10:00\n", removeMissing: false);
        await f.Host.Get<SessionService>().UpdateAsync(keynote.Id, new SessionForm { Title = "Keynote!", Room = "Hall B",
            Start = new DateTime(2030, 6, 12, 9, 0, 0), End = new DateTime(2030, 6, 12, 10, 0, 0) }, false, AgendaWorld.Organizer);
        Assert.Contains("preview the file again", (await Assert.ThrowsAsync<ConflictException>(() => import.ApplyAsync(stale, false, AgendaWorld.Organizer))).Message);
    }

    [Fact]
    public async Task An_iCalendar_file_is_read_with_its_time_zones_floating_times_categories_and_cancellations()
    {
        var (app, _) = await f.NewEventAsync();
        var ics = """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Conference tool//EN
            BEGIN:VEVENT
            UID:keynote@devdays
            DTSTAMP:20300101T000000Z
            SUMMARY:Keynote
            LOCATION:Hall A
            CATEGORIES:Main
            DTSTART;TZID=America/New_York:20300612T030000
            DTEND;TZID=America/New_York:20300612T040000
            X-SPEAKERS:Ada Lovelace;Grace Hopper
            END:VEVENT
            BEGIN:VEVENT
            UID:floating@devdays
            DTSTAMP:20300101T000000Z
            SUMMARY:Floating
            DTSTART:20300612T140000
            DURATION:PT30M
            STATUS:CANCELLED
            END:VEVENT
            END:VCALENDAR
            """.Replace("\n", "\r\n");

        var preview = await f.Host.Get<AgendaImport>().PreviewAsync(app.App.Id, "agenda.ics", ics);

        Assert.Empty(preview.Problems);
        var keynote = preview.Items.Single(i => i.ExternalId == "keynote@devdays").Valid!;
        // 03:00 in New York (EDT, UTC−4) is 07:00 UTC, 09:00 at the Paris venue
        Assert.Equal((new DateTime(2030, 6, 12, 7, 0, 0), "Hall A", "Main", "Ada Lovelace; Grace Hopper"), (keynote.StartsAt, keynote.Room, keynote.Track, keynote.Speakers));
        var floating = preview.Items.Single(i => i.ExternalId == "floating@devdays");
        Assert.Equal((new DateTime(2030, 6, 12, 12, 0, 0), new DateTime(2030, 6, 12, 12, 30, 0), true), (floating.Valid!.StartsAt, floating.Valid.EndsAt, floating.Cancelled));
    }

    [Fact]
    public async Task Broken_rows_are_each_named_with_why_and_the_file_cannot_be_imported_until_fixed()
    {
        var (app, _) = await f.NewEventAsync();
        var import = f.Host.Get<AgendaImport>();
        var preview = await import.PreviewAsync(app.App.Id, "agenda.csv", """
            id,title,room,start,end
            ok-1,Fine,Hall A,2030-06-12 09:00,2030-06-12 10:00
            bad-1,Backwards,Hall A,2030-06-12 11:00,2030-06-12 10:00
            ,No id,Hall A,2030-06-12 11:00,2030-06-12 12:00
            bad-3,Bad time,Hall A,noon,2030-06-12 12:00
            ok-1,Twice,Hall A,2030-06-12 13:00,2030-06-12 14:00
            bad-5,,Hall A,2030-06-12 13:00,2030-06-12 14:00
            """);

        Assert.Equal(["line 3", "line 4", "line 5", "line 6", "line 7"], preview.Problems.Select(p => p.Where).Distinct().Order());
        Assert.Contains(preview.Problems, p => p.Where == "line 3" && p.Message.Contains("ends before it starts"));
        Assert.Contains(preview.Problems, p => p.Where == "line 4" && p.Message.Contains("stable id"));
        Assert.Contains(preview.Problems, p => p.Where == "line 5" && p.Message.Contains("\"noon\" is not a time"));
        Assert.Contains(preview.Problems, p => p.Where == "line 6" && p.Message.Contains("also used by line 2"));
        Assert.Contains(preview.Problems, p => p.Where == "line 7" && p.Message.Contains("title"));
        Assert.False(preview.CanApply);
        await Assert.ThrowsAsync<BadInputException>(() => import.ApplyAsync(preview, false, AgendaWorld.Organizer));
        Assert.Empty(await f.Host.Get<AgendaQueries>().SessionsAsync(app.App.Id));

        var header = await import.PreviewAsync(app.App.Id, "agenda.csv", "name,when\nKeynote,9:00\n");
        Assert.Contains("no id, start, end column", Assert.Single(header.Problems).Message);
        var ics = await import.PreviewAsync(app.App.Id, "agenda.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20300612T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        Assert.Contains("Mars/Olympus", Assert.Single(ics.Problems).Message);
    }
}
