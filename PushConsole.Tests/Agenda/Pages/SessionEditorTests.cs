using Bunit;
using PushConsole.Agenda;
using PushConsole.Agenda.Pages;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Sending.Launch;

namespace PushConsole.Tests.Agenda.Pages;

/// <summary>The session editor on the real agenda services: a new time is kept and saved, and the change alert shows each language's text.</summary>
public sealed class SessionEditorTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private App _app = default!;
    private AgendaEvent _event = default!;
    private AgendaSession _session = default!;
    private DateOnly _day;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _app = (await _host.Get<AppService>().CreateAsync(new NewApp("Summit"), Actor.System)).App;
        _day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        await _host.Get<AgendaService>().SaveEventAsync(_app.Id, new EventForm
        {
            Name = "Summit", TimeZone = "Europe/Paris", StartDate = _day.ToDateTime(TimeOnly.MinValue), EndDate = _day.AddDays(1).ToDateTime(TimeOnly.MinValue),
        }, Actor.System);
        _event = (await _host.Get<AgendaService>().GetEventAsync(_app.Id))!;
        _session = await _host.Get<SessionService>().CreateAsync(_app.Id, new SessionForm
        {
            ExternalId = "keynote", Title = "Opening keynote with a title well beyond fifteen characters", Room = "Hall A",
            Start = _day.ToDateTime(new TimeOnly(10, 0)), End = _day.ToDateTime(new TimeOnly(10, 45)),
        }, Actor.System);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private (BunitContext Ctx, IRenderedComponent<SessionEditor> Editor) Render()
    {
        var ctx = ComponentContext.Create();
        ctx.UseHostServices(_host, "organizer@example.com", typeof(SessionService), typeof(AgendaQueries));
        ctx.AddMudProviders();
        var editor = ctx.Render<SessionEditor>(p => p
            .Add(e => e.AppId, _app.Id).Add(e => e.Event, _event).Add(e => e.SessionId, _session.Id));
        editor.WaitForAssertion(() => Assert.Equal("Opening keynote with a title well beyond fifteen characters", editor.Find("#session-title").GetAttribute("value")));
        return (ctx, editor);
    }

    [Fact]
    public async Task A_new_start_time_stays_in_the_field_and_moves_the_session_when_saved()
    {
        var (ctx, editor) = Render();
        await using var _ = ctx;
        Assert.Equal("10:00", editor.Find("#session-start-time").GetAttribute("value"));

        editor.Find("#session-start-time").Change("11:00");
        editor.Find("#session-end-time").Change("11:45");
        // the re-render after typing shows what was typed, not the old time
        editor.WaitForAssertion(() => Assert.Equal("11:00", editor.Find("#session-start-time").GetAttribute("value")));
        Assert.Equal("11:45", editor.Find("#session-end-time").GetAttribute("value"));

        await editor.Find("#save-session").ClickAsync(new());
        editor.WaitForAssertion(() => Assert.Contains("This changes the session's time.", editor.Find("#change-confirm").TextContent));
        await editor.Find("#confirm-change").ClickAsync(new());

        var paris = TimeZones.Find("Europe/Paris")!;
        var saved = await _host.Get<SessionService>().GetAsync(_session.Id);
        Assert.Equal(_day.ToDateTime(new TimeOnly(11, 0)), TimeZones.ToLocal(saved.StartsAt, paris));
        Assert.Equal(_day.ToDateTime(new TimeOnly(11, 45)), TimeZones.ToLocal(saved.EndsAt, paris));
        editor.WaitForAssertion(() => Assert.Equal("11:00", editor.Find("#session-start-time").GetAttribute("value")));
        // the change is on record, so it can still be announced
        var change = Assert.Single(await _host.Get<AgendaQueries>().ChangesAsync(_session.Id));
        Assert.Equal(SessionChangeKind.Time, change.Kind);
    }

    [Fact]
    public async Task The_change_preview_shows_the_text_each_language_will_get()
    {
        var (ctx, editor) = Render();
        await using var _ = ctx;
        editor.Find("#session-start-time").Change("11:00");
        editor.Find("#session-end-time").Change("11:45");
        editor.Find("#session-room").Change("Hall B");
        await editor.Find("#save-session").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll(".alert-text")));
        var texts = editor.FindAll(".alert-text").ToDictionary(e => e.GetAttribute("data-language")!, e => e.TextContent);
        Assert.Equal(["en", "fr", "pl"], texts.Keys.Order());
        Assert.Contains("Change: Opening keynote with a title well beyond fifteen characters", texts["en"]);
        Assert.Contains("Hall B", texts["en"]);
        Assert.Contains("Hall A", texts["en"]);
        Assert.Contains("Changement : Opening keynote", texts["fr"]);
        Assert.Contains("Zmiana: Opening keynote", texts["pl"]);
        // times are written out, never left as tokens
        Assert.All(texts.Values, t => Assert.DoesNotContain("{time:", t));
        Assert.Contains("11:00", texts["fr"]);
        // nothing is stored by previewing
        Assert.Equal(_session.StartsAt, (await _host.Get<SessionService>().GetAsync(_session.Id)).StartsAt);
    }

    [Fact]
    public async Task An_end_before_the_start_is_shown_beside_the_end_field_and_nothing_is_saved()
    {
        var (ctx, editor) = Render();
        await using var _ = ctx;
        editor.Find("#session-end-time").Change("09:00");
        await editor.Find("#save-session").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.Contains("the end must be after the start", editor.ErrorBeside("session-end-date")));
        Assert.Empty(editor.FindAll("#change-confirm"));
        Assert.Equal(_session.EndsAt, (await _host.Get<SessionService>().GetAsync(_session.Id)).EndsAt);
    }
}
