using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Game;
using PushConsole.Sandbox;
using PushConsole.Sending;
using PushConsole.Sending.Providers;

namespace PushConsole.Tests.Game;

/// <summary>
/// The real app and provider sandbox (<see cref="DispatchScenario"/>) with the game: attendees with an Android device and consent,
/// a client-API HTTP client (X-App-Key), challenges made through the service the server API uses, and waits for game campaigns.
/// </summary>
public sealed class GameWorld : IAsyncDisposable
{
    public static readonly Actor Organizer = new("organizer@example.com");

    private GameWorld(DispatchScenario scenario)
    {
        S = scenario;
        Client = scenario.Host.CreateClient();
        Client.DefaultRequestHeaders.Add("X-App-Key", scenario.App.AppKey);
    }

    public DispatchScenario S { get; }
    public HttpClient Client { get; }
    public long AppId => S.App.Id;
    public T Get<T>() where T : notnull => S.Host.Get<T>();

    public static async Task<GameWorld> StartAsync(params string[] args) =>
        new(await DispatchScenario.StartAsync(o => o.Args.AddRange(args)));

    /// <summary>A user with one Android device who granted consent (as the app would through the client API).</summary>
    public async Task<ScenarioDevice> AttendeeAsync(string userId, bool leaderboard = false, string? displayName = null)
    {
        var id = $"{userId}-android-{Guid.NewGuid().ToString("N")[..6]}";
        var token = $"fcm-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        await Get<DeviceRegistry>().RegisterAsync(AppId, id, new InstallationRequest { Platform = "android", PushToken = token, UserId = userId });
        var preferences = await Client.PutAsJsonAsync($"api/v1/users/{userId}/preferences", new { consent = true, leaderboard });
        Assert.True(preferences.IsSuccessStatusCode, await preferences.Content.ReadAsStringAsync());
        if (displayName is not null)
            await Get<UserProfiles>().UpdateAsync(AppId, userId, new UserProfileRequest { DisplayName = displayName }, Organizer);
        return new ScenarioDevice(id, Platform.Android, token);
    }

    public Task<ChallengeView> ChallengeAsync(object body) =>
        Get<ChallengeService>().CreateAsync(AppId, JsonSerializer.SerializeToElement(body), Organizer);

    public async Task<IReadOnlyList<Campaign>> GameCampaignsAsync()
    {
        await using var db = await Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<Campaign>().AsNoTracking().Where(c => c.Origin == CampaignOrigin.Game).OrderBy(c => c.Id).ToListAsync();
    }

    /// <summary>Waits (real time) for a game campaign whose origin ref matches and for the sandbox to have accepted its pushes.</summary>
    public async Task<Campaign> WaitForCampaignAsync(Func<Campaign, bool> which, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if ((await GameCampaignsAsync()).FirstOrDefault(which) is { } found) return await S.WaitForAsync(found.Id, CampaignStatus.Completed);
            if (DateTime.UtcNow > until)
                throw new TimeoutException("No such game campaign; there are: " + string.Join(", ", (await GameCampaignsAsync()).Select(c => c.OriginRef)) +
                                           "\n" + S.Host.Logs.Problems(10));
            await Task.Delay(100);
        }
    }

    /// <summary>What the sandbox accepted for a device, oldest first.</summary>
    public IReadOnlyList<SandboxMessage> MessagesTo(ScenarioDevice device) =>
        [.. S.Sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Target == device.Token && m.Status is >= 200 and < 300).OrderBy(m => m.Sequence)];

    /// <summary>The FCM payload's notification title and body and its data.</summary>
    public static (string? Title, string? Body, JsonElement Data) Shown(SandboxMessage message)
    {
        using var doc = JsonDocument.Parse(message.Payload!);
        var m = doc.RootElement.GetProperty("message");
        var notification = m.TryGetProperty("notification", out var n) ? n : default;
        string? Read(string name) => notification.ValueKind == JsonValueKind.Object && notification.TryGetProperty(name, out var v) ? v.GetString() : null;
        return (Read("title"), Read("body"), m.TryGetProperty("data", out var d) ? d.Clone() : default);
    }

    public async Task<List<PointsEntry>> LedgerAsync(string userId)
    {
        await using var db = await Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var key = await db.Set<AppUser>().Where(u => u.AppId == AppId && u.ExternalId == userId).Select(u => (long?)u.Id).FirstOrDefaultAsync();
        return await db.Set<PointsEntry>().AsNoTracking().Where(p => p.AppUserId == key).OrderBy(p => p.Id).ToListAsync();
    }

    public async Task<UserGameView> GameOfAsync(string userId) => await Get<GameQueries>().ForUserAsync(AppId, userId);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await S.DisposeAsync();
    }
}
