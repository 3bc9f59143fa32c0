using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Api;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Agenda;

/// <summary>The bad inputs the issue lists: each names its field and says what to fix, and nothing is stored.</summary>
public sealed class AgendaBadInputTests(AgendaHostFixture f) : IClassFixture<AgendaHostFixture>
{
    private static async Task<string> ErrorAsync(string field, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<BadInputException>(action);
        Assert.True(e.Errors.ContainsKey(field), $"expected an error on {field}, got {string.Join(", ", e.Errors.Keys)}");
        return e.First(field)!;
    }

    private async Task<int> CountAsync<T>(long appId) where T : class
    {
        await using var db = await f.Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<T>().CountAsync(e => EF.Property<long>(e, "AppId") == appId);
    }

    [Fact]
    public async Task A_session_ending_before_it_starts_or_in_a_DST_gap_or_outside_the_event_is_refused()
    {
        var (app, _) = await f.NewEventAsync();
        var sessions = f.Host.Get<SessionService>();
        SessionForm Form(DateTime start, DateTime end) => new() { Title = "Keynote", Start = start, End = end };

        Assert.Contains("ends before it starts", await ErrorAsync("end", () =>
            sessions.CreateAsync(app.App.Id, Form(new DateTime(2030, 6, 12, 10, 0, 0), new DateTime(2030, 6, 12, 9, 0, 0)), AgendaWorld.Organizer)));
        Assert.Contains("outside the event's dates", await ErrorAsync("start", () =>
            sessions.CreateAsync(app.App.Id, Form(new DateTime(2030, 6, 20, 10, 0, 0), new DateTime(2030, 6, 20, 11, 0, 0)), AgendaWorld.Organizer)));
        Assert.Contains("Give the session a title", await ErrorAsync("title", () =>
            sessions.CreateAsync(app.App.Id, new SessionForm { Start = new DateTime(2030, 6, 12, 10, 0, 0), End = new DateTime(2030, 6, 12, 11, 0, 0) }, AgendaWorld.Organizer)));
        Assert.Equal(0, await CountAsync<AgendaSession>(app.App.Id));

        // an event whose days include Paris's spring-forward night: 02:30 does not exist there on 31 March 2030
        await f.Host.Get<AgendaService>().SaveEventAsync(app.App.Id, new EventForm
        {
            Name = "Spring", TimeZone = "Europe/Paris", StartDate = new DateTime(2030, 3, 30), EndDate = new DateTime(2030, 4, 1),
        }, AgendaWorld.Organizer);
        Assert.Contains("does not exist in Europe/Paris", await ErrorAsync("start", () =>
            sessions.CreateAsync(app.App.Id, Form(new DateTime(2030, 3, 31, 2, 30, 0), new DateTime(2030, 3, 31, 4, 0, 0)), AgendaWorld.Organizer)));
        Assert.Equal(0, await CountAsync<AgendaSession>(app.App.Id));
    }

    [Fact]
    public async Task An_unknown_time_zone_or_reversed_dates_or_a_survey_without_an_https_link_are_refused()
    {
        var app = await f.Host.Get<PushConsole.Apps.AppService>().CreateAsync(new PushConsole.Apps.NewApp($"Zone {Guid.NewGuid():N}"), PushConsole.Audit.Actor.System);
        var agenda = f.Host.Get<AgendaService>();
        Assert.Contains("not a known IANA time zone", await ErrorAsync("timeZone", () => agenda.SaveEventAsync(app.App.Id, new EventForm
            { Name = "DevDays", TimeZone = "Mars/Olympus", StartDate = new DateTime(2030, 6, 11), EndDate = new DateTime(2030, 6, 13) }, AgendaWorld.Organizer)));
        Assert.Contains("before the first day", await ErrorAsync("endDate", () => agenda.SaveEventAsync(app.App.Id, new EventForm
            { Name = "DevDays", TimeZone = "Europe/Paris", StartDate = new DateTime(2030, 6, 13), EndDate = new DateTime(2030, 6, 11) }, AgendaWorld.Organizer)));
        Assert.Contains("https://", await ErrorAsync("surveyUrl", () => agenda.SaveEventAsync(app.App.Id, new EventForm
        {
            Name = "DevDays", TimeZone = "Europe/Paris", StartDate = new DateTime(2030, 6, 11), EndDate = new DateTime(2030, 6, 13),
            SurveyEnabled = true, SurveyUrl = "http://insecure.example.com/survey",
        }, AgendaWorld.Organizer)));
        Assert.Null(await agenda.GetEventAsync(app.App.Id));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1441)]
    [InlineData(null)]
    public async Task A_reminder_offset_outside_0_to_1440_minutes_is_refused(int? offset)
    {
        var (app, _) = await f.NewEventAsync();
        Assert.Contains("between 0 and 1,440 minutes", await ErrorAsync("offsetMinutes", () => f.Host.Get<AgendaService>().SaveRuleAsync(app.App.Id, null,
            new ReminderRuleForm { OffsetMinutes = offset }, AgendaWorld.Organizer)));
        Assert.Equal(0, await CountAsync<ReminderRule>(app.App.Id));
    }

    [Fact]
    public async Task A_reminder_template_with_an_unknown_placeholder_or_none_in_the_default_language_is_refused()
    {
        var (app, _) = await f.NewEventAsync();
        var agenda = f.Host.Get<AgendaService>();
        Assert.Contains("{session.titel} is not a placeholder", await ErrorAsync("templates[0].title", () => agenda.SaveRuleAsync(app.App.Id, null, new ReminderRuleForm
        {
            OffsetMinutes = 10, Templates = [new TemplateForm { Language = "en", Title = "Soon: {session.titel}", Body = "x" }],
        }, AgendaWorld.Organizer)));
        Assert.Contains("default language (en)", await ErrorAsync("templates", () => agenda.SaveRuleAsync(app.App.Id, null, new ReminderRuleForm
        {
            OffsetMinutes = 10, Templates = [new TemplateForm { Language = "fr", Title = "Bientôt : {session.title}" }],
        }, AgendaWorld.Organizer)));
        Assert.Equal(0, await CountAsync<ReminderRule>(app.App.Id));
        // a reminder rule needs an event
        var bare = await f.Host.Get<PushConsole.Apps.AppService>().CreateAsync(new PushConsole.Apps.NewApp($"Bare {Guid.NewGuid():N}"), PushConsole.Audit.Actor.System);
        await Assert.ThrowsAsync<NotFoundException>(() => agenda.SaveRuleAsync(bare.App.Id, null, new ReminderRuleForm(), AgendaWorld.Organizer));
    }

    [Fact]
    public async Task A_campaign_with_a_broken_time_token_is_refused_naming_the_field()
    {
        var (app, _) = await f.NewEventAsync();
        var message = DispatchScenario.Message("Starts {time:tomorrow}", "ok");
        Assert.Contains("is not a time token", await ErrorAsync("message.variants[0].content.en.title", () => f.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = app.App.Id, Name = "Bad token", Audience = new AudienceSpec { FavoritedSessionIds = [1] }, Message = message,
        }, AgendaWorld.Organizer)));
        Assert.Equal(0, await CountAsync<Campaign>(app.App.Id));
    }
}
