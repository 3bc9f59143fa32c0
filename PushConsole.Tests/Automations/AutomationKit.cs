using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using PushConsole.Agenda;
using PushConsole.Audit;
using PushConsole.Automations;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Game;
using PushConsole.Sandbox;
using PushConsole.Tests.Campaigns.ServerApi;

namespace PushConsole.Tests.Automations;

/// <summary>
/// The game's real ledger, with every call counted on the way through: a step that ran twice shows in <see cref="Calls"/>,
/// and <see cref="Awards"/> holds what the ledger actually awarded (its unique key refuses repeats).
/// </summary>
public sealed class TestLedger : IPointsLedger
{
    public ConcurrentDictionary<(long App, string Key), (string User, int Points, string Reason)> Awards { get; } = new();

    private int _calls;
    private IPointsLedger? _ledger;

    /// <summary>Every call, including refused repeats.</summary>
    public int Calls => _calls;

    public async Task<PointsAward> AwardAsync(long appId, string userId, int points, string reason, string awardKey, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _calls);
        var award = await _ledger!.AwardAsync(appId, userId, points, reason, awardKey, ct);
        if (award.Awarded) Awards.TryAdd((appId, awardKey), (userId, points, reason));
        return award;
    }

    /// <summary>Registers this counter in front of the app's <see cref="PointsLedger"/>.</summary>
    public IServiceCollection Register(IServiceCollection services) =>
        services.AddSingleton<IPointsLedger>(sp =>
        {
            _ledger = ActivatorUtilities.CreateInstance<PointsLedger>(sp);
            return this;
        });
}

/// <summary>
/// The real app and sandbox on a fake clock (<see cref="ServerApiKit"/>), with attendees (an iPhone each), the server API for automations,
/// the client API for events, and what each attendee was shown.
/// </summary>
public sealed class AutomationKit : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 10, 8, 0, 0, TimeSpan.Zero);

    private AutomationKit(ServerApiKit kit, TestLedger ledger)
    {
        Kit = kit;
        Ledger = ledger;
    }

    public ServerApiKit Kit { get; }
    public TestLedger Ledger { get; }
    public AppHost Host => Kit.Host;
    public long AppId => Kit.AppId;
    public Dictionary<string, (string Installation, string Token)> Attendees { get; } = [];

    public static async Task<AutomationKit> StartAsync(Action<AppHostOptions>? configure = null)
    {
        var ledger = new TestLedger();
        var kit = await ServerApiKit.StartAsync(Start, o =>
        {
            o.Args.Add("--Automations:PollMilliseconds=100");
            configure?.Invoke(o);
            var services = o.Services;
            o.Services = s =>
            {
                services?.Invoke(s);
                ledger.Register(s);
            };
        });
        return new AutomationKit(kit, ledger);
    }

    /// <summary>An attendee with one iPhone (the APNs provider token is signed on the fake clock).</summary>
    public async Task AttendeeAsync(string userId, string? displayName = null, string? timeZone = null, params string[] tags)
    {
        var installation = $"{userId}-iphone";
        var token = await Kit.RegisterAsync(installation, Platform.Ios, timeZone: timeZone, userId: userId, tags: tags);
        if (displayName is not null)
        {
            var response = await Kit.PutAsync($"v4/users/{userId}", JsonSerializer.Serialize(new { displayName, timeZone }));
            await Kit.OkJsonAsync(response);
        }
        Attendees[userId] = (installation, token);
    }

    public async Task<long> CreateAsync(string json)
    {
        var body = await Kit.OkJsonAsync(await Kit.PostAsync("v4/automations", json));
        return long.Parse(body.GetProperty("id").GetString()!);
    }

    /// <summary>An event from a user's device through <c>POST /api/v1/events</c>.</summary>
    public Task EventAsync(string userId, string type, string? name = null, object? properties = null, string? geofenceId = null, DateTimeOffset? at = null) =>
        Kit.ReportAsync(new { installationId = Attendees[userId].Installation, type, name, properties, geofenceId, at = at ?? Kit.Clock.GetUtcNow() });

    public void Advance(TimeSpan by) => Kit.Clock.Advance(by);

    /// <summary>What the sandbox accepted for a user's iPhone: (title, body), oldest first.</summary>
    public IReadOnlyList<(string? Title, string? Body)> Shown(string userId) =>
        [.. Kit.Sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Target == Attendees[userId].Token && m.Status is >= 200 and < 300)
            .OrderBy(m => m.Sequence).Select(ShownOf)];

    public static (string? Title, string? Body) ShownOf(SandboxMessage message)
    {
        using var doc = JsonDocument.Parse(message.Payload!);
        var alert = doc.RootElement.GetProperty("aps").GetProperty("alert");
        if (alert.ValueKind == JsonValueKind.String) return (null, alert.GetString());
        string? Read(string name) => alert.TryGetProperty(name, out var v) ? v.GetString() : null;
        return (Read("title"), Read("body"));
    }

    /// <summary>Waits (real time) until a user has been shown <paramref name="count"/> pushes; returns them.</summary>
    public async Task<IReadOnlyList<(string? Title, string? Body)>> WaitForShownAsync(string userId, int count = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (Shown(userId).Count < count)
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"{userId} was shown {Shown(userId).Count} push(es), not {count}. Log:\n" +
                            string.Join("\n", Host.Logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal)).TakeLast(15)));
            await Task.Delay(50);
        }
        return Shown(userId);
    }

    /// <summary>Lets the engine and the send worker catch up (real time), for asserting that nothing more happens.</summary>
    public async Task SettleAsync()
    {
        await Task.Delay(1200);
        await Kit.Host.Get<PushConsole.Sending.Launch.CampaignLauncher>().WhenIdleAsync();
        await Task.Delay(600);
    }

    public async Task<AutomationStatsView> StatsAsync(long id) =>
        await Host.Get<AutomationStats>().ForAsync(await Host.Get<AutomationService>().GetAsync(AppId, id));

    /// <summary>Waits (real time) until the automation's runs satisfy a condition.</summary>
    public async Task<AutomationStatsView> WaitForStatsAsync(long id, Func<AutomationStatsView, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var stats = await StatsAsync(id);
            if (condition(stats)) return stats;
            if (DateTime.UtcNow > until) Assert.Fail($"Stats never matched: {JsonSerializer.Serialize(stats)}");
            await Task.Delay(50);
        }
    }

    public async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var connection = await Host.Get<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>The agenda's event, in Paris, around the start date.</summary>
    public Task<AgendaEvent> AgendaAsync() =>
        Host.Get<AgendaService>().SaveEventAsync(AppId, new EventForm
        {
            Name = "DevDays", TimeZone = "Europe/Paris", StartDate = new DateTime(2026, 6, 9), EndDate = new DateTime(2026, 6, 12),
        }, new Actor("organizer@example.com"));

    public Task<AgendaSession> SessionAsync(string id, string title, DateTime venueStart, string room = "Hall A", string? track = null, string? speakers = null) =>
        Host.Get<SessionService>().CreateAsync(AppId, new SessionForm
        {
            ExternalId = id, Title = title, Start = venueStart, End = venueStart.AddMinutes(45), Room = room, Track = track, Speakers = speakers,
        }, new Actor("organizer@example.com"));

    public ValueTask DisposeAsync() => Kit.DisposeAsync();
}
