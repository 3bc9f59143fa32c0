using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Agenda;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending.Providers;
using PushConsole.Devices;
using PushConsole.Sandbox;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Agenda;

/// <summary>
/// An event app on a fake clock: the real app and provider sandbox (<see cref="DispatchScenario"/>), an event in a venue zone,
/// attendees with devices, and helpers to add sessions, favourite, check in, move the clock and find what was sent.
/// </summary>
public sealed class AgendaWorld : IAsyncDisposable
{
    public static readonly Actor Organizer = new("organizer@example.com");

    private AgendaWorld(DispatchScenario scenario, FakeTimeProvider clock, AgendaEvent agendaEvent)
    {
        S = scenario;
        Clock = clock;
        Event = agendaEvent;
    }

    public DispatchScenario S { get; }
    public FakeTimeProvider Clock { get; }
    public AgendaEvent Event { get; private set; }
    public long AppId => S.App.Id;
    public T Get<T>() where T : notnull => S.Host.Get<T>();

    public static async Task<AgendaWorld> StartAsync(DateTimeOffset now, string zone = "Europe/Paris", bool quietTime = false, bool survey = false,
        SurveyAudience surveyAudience = SurveyAudience.CheckedIn)
    {
        var clock = new FakeTimeProvider(now);
        // the sandbox checks provider tokens (APNs JWT, OAuth assertions) against the same clock as the app signs them with
        var sandbox = await SandboxHost.StartAsync(clock: clock);
        var scenario = await DispatchScenario.StartAsync(o => o.Services = s => s.AddSingleton<TimeProvider>(clock), sandbox);
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var agendaEvent = await scenario.Host.Get<AgendaService>().SaveEventAsync(scenario.App.Id, new EventForm
        {
            Name = "DevDays", TimeZone = zone, StartDate = day.AddDays(-1).ToDateTime(TimeOnly.MinValue), EndDate = day.AddDays(3).ToDateTime(TimeOnly.MinValue),
            QuietTime = quietTime, SurveyEnabled = survey, SurveyDelayMinutes = 10, SurveyUrl = survey ? "https://survey.example.com/s/{session.id}" : null,
            SurveyAudience = surveyAudience,
        }, Organizer);
        return new AgendaWorld(scenario, clock, agendaEvent);
    }

    /// <summary>
    /// An attendee (user) with one device registered through the registry, as the client API would. iPhones: the APNs provider
    /// token is signed on the app's (fake) clock, whereas Google's OAuth library signs FCM's assertion on the machine's.
    /// </summary>
    public async Task<ScenarioDevice> AttendeeAsync(string userId, string? timeZone = null, string? language = null)
    {
        const Platform platform = Platform.Ios;
        var id = $"{userId}-{PlatformNames.Of(platform)}-{Guid.NewGuid().ToString("N")[..6]}";
        var token = platform == Platform.Ios ? S.Sandbox.State.NewApnsDeviceToken() : $"fcm-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        await Get<DeviceRegistry>().RegisterAsync(AppId, id, new InstallationRequest
        {
            Platform = PlatformNames.Of(platform), PushToken = token, UserId = userId,
            ApnsEnvironment = platform == Platform.Ios ? "production" : null, TimeZone = timeZone, Language = language,
        });
        return new ScenarioDevice(id, platform, token);
    }

    /// <summary>A session at a venue wall-clock time.</summary>
    public Task<AgendaSession> SessionAsync(string id, string title, DateTime venueStart, int minutes = 45, string? room = "Hall A", string? track = null) =>
        Get<SessionService>().CreateAsync(AppId, new SessionForm
        {
            ExternalId = id, Title = title, Start = venueStart, End = venueStart.AddMinutes(minutes), Room = room, Track = track,
        }, Organizer);

    public async Task<ReminderRule> RuleAsync(int offsetMinutes, string? track = null, string title = AgendaTexts.DefaultReminderTitle,
        string body = "{session.start} venue, {session.start.local} yours, {session.room}") =>
        await Get<AgendaService>().SaveRuleAsync(AppId, null, new ReminderRuleForm
        {
            OffsetMinutes = offsetMinutes, Track = track, DefaultLanguage = "en",
            Templates = [new TemplateForm { Language = "en", Title = title, Body = body }],
        }, Organizer);

    public Task FavoriteAsync(string userId, string sessionId) => Get<AttendanceService>().FavoriteAsync(AppId, userId, sessionId);

    public Task CheckInAsync(string userId, string sessionId) => Get<AttendanceService>().CheckInAsync(AppId, userId, sessionId, null);

    /// <summary>Moves the fake clock to an instant (Quartz and the send worker follow it).</summary>
    public void AdvanceTo(DateTime utc) => Clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    /// <summary>Agenda campaigns so far, oldest first.</summary>
    public async Task<IReadOnlyList<Campaign>> AgendaCampaignsAsync()
    {
        await using var db = await Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<Campaign>().AsNoTracking().Where(c => c.Origin == CampaignOrigin.Agenda).OrderBy(c => c.Id).ToListAsync();
    }

    /// <summary>Waits (real time) for the n-th agenda campaign and for it to complete.</summary>
    public async Task<Campaign> WaitForAgendaCampaignAsync(int count = 1, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var campaigns = await AgendaCampaignsAsync();
            if (campaigns.Count >= count) return await S.WaitForAsync(campaigns[count - 1].Id, CampaignStatus.Completed);
            if (DateTime.UtcNow > until) throw new TimeoutException($"{campaigns.Count} agenda campaign(s), not {count}, at {Clock.GetUtcNow():u}.");
            await Task.Delay(100);
        }
    }

    /// <summary>What the sandbox accepted for a device (FCM or APNs), oldest first.</summary>
    public IReadOnlyList<SandboxMessage> MessagesTo(ScenarioDevice device) =>
        [.. S.Sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Target == device.Token && m.Status is >= 200 and < 300).OrderBy(m => m.Sequence)];

    /// <summary>The title and body a device shows (FCM or APNs payload), with ICU's narrow no-break spaces as plain spaces.</summary>
    public static (string? Title, string? Body) Shown(SandboxMessage message)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(message.Payload!);
        var alert = message.Provider == "apns"
            ? doc.RootElement.GetProperty("aps").GetProperty("alert")
            : doc.RootElement.GetProperty("message").GetProperty("notification");
        string? Read(string name) => alert.TryGetProperty(name, out var v) ? v.GetString()?.Replace('\u202F', ' ') : null;
        return (Read("title"), Read("body"));
    }

    public async ValueTask DisposeAsync()
    {
        await S.DisposeAsync();
        await S.Sandbox.DisposeAsync();
    }
}
