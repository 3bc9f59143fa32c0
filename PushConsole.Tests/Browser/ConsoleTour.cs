using PushConsole.Sending;
using Microsoft.EntityFrameworkCore;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Demo;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Browser;

/// <summary>One console page of the tour, who moved it to MudBlazor, and whether the accessibility check must already pass on it.</summary>
public sealed record TourPage(string Name, string Path, string Owner, bool AxeMustPass = true);

/// <summary>
/// The demo event (real seeder, real app, provider sandbox) plus a segment: every console page has something to show.
/// The accessibility check and the screenshots (scripts/screens.sh) walk <see cref="Pages"/>.
/// </summary>
public sealed class ConsoleTour : IAsyncDisposable
{
    public const string Email = "demo@pushconsole.local", Password = "demo-password";
    public required SandboxHost Sandbox { get; init; }
    public required AppHost Host { get; init; }
    public required IReadOnlyList<TourPage> Pages { get; init; }

    public static async Task<ConsoleTour> StartAsync(ITestOutputHelper output)
    {
        var sandbox = await SandboxHost.StartAsync();
        // no tile server: the geofence map draws its grid (no internet in tests)
        var host = await AppHost.StartAsync(o => { o.Args.AddRange(sandbox.ProviderArgs()); o.Args.Add("--Geofences:TileUrl="); });
        host.Output = output;
        var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(host.Services, sandbox);
        var seeded = await seeder.SeedAsync(new DemoSettings(40, Email, Password), CancellationToken.None);
        await seeder.SeedCampaignsAsync(seeded, CancellationToken.None);
        var appId = seeded.App.Id;
        var segment = await host.Get<SegmentService>().CreateAsync(appId, "French speakers", RulesJson.Parse(
            """{"version": 1, "root": {"match": "all", "rules": [{"field": "language", "operator": "in", "value": ["fr"]}]}}"""), Actor.System);
        await using var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var campaign = await db.Set<Campaign>().Where(c => c.AppId == appId).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        var plan = await db.Set<Plan>().Where(p => p.AppId == appId).Select(p => p.Id).FirstAsync();
        var challenges = await db.Set<PushConsole.Game.Challenge>().Where(c => c.AppId == appId).ToDictionaryAsync(c => c.ExternalId, c => c.Id);
        var device = seeded.InstallationByTarget.Values.Order(StringComparer.Ordinal).First();
        return new ConsoleTour
        {
            Sandbox = sandbox, Host = host,
            Pages =
            [
                new("dashboard", "", "A+B"),
                new("agenda", $"agenda?app={appId}", "A"),
                new("geofences", $"geofences?app={appId}", "A"),
                new("apps", "apps", "A"),
                new("app", $"apps/{appId}", "A"),
                new("consent", $"apps/{appId}/consent", "A"),
                new("lookup", "lookup", "A"),
                new("lookup-device", $"lookup?q={Uri.EscapeDataString(device)}", "A"),
                new("users", "users", "A"),
                new("audit", "audit", "A"),
                new("access-denied", "account/access-denied", "A+B"),
                new("compose", "compose", "B"),
                new("campaigns", "campaigns", "B"),
                new("campaign", $"campaigns/{campaign}", "B"),
                new("plans", "plans", "B"),
                new("plan", $"plans/{plan}", "B"),
                new("segments", "segments", "B"),
                new("segment-new", "segments/new", "B"),
                new("segment", $"segments/{segment.Id}", "B"),
                new("automations", "automations", "B"),
                new("automation-new", "automations/new?recipe=welcome", "B"),
                new("automation", "automations/1", "B"),
                new("game", $"game?app={appId}", "game"),
                new("game-quiz", $"game/challenges/{challenges["keynote-quiz"]}", "game"),
                new("game-hunt", $"game/challenges/{challenges["expo-hunt"]}", "game"),
                new("game-new", $"game/challenges/new?app={appId}", "game"),
                new("game-leaderboard", $"game/leaderboard?app={appId}", "game"),
            ],
        };
    }

    /// <summary>The sign-in page, served without a circuit: visited signed out.</summary>
    public static readonly IReadOnlyList<TourPage> SignedOutPages = [new("login", "account/login", "A")];

    /// <summary>First-run setup exists only while there is no user: visited on a fresh host of its own.</summary>
    public static readonly TourPage Setup = new("setup", "setup", "A");

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
