using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Devices;
using PushConsole.Sandbox;
using PushConsole.Sending.Launch;

namespace PushConsole.Tests.Campaigns.ServerApi;

/// <summary>One delivery row as the tests read it.</summary>
public sealed record DeliveryRow(long Id, string InstallationId, DeliveryStatus Status, DateTime DueUtc, string? Reason, string Variant, string Language);

/// <summary>
/// A dispatch scenario on a fake clock shared by the app and the provider sandbox (so provider JWTs and OAuth grants agree
/// with it), with a back-end client (Basic appKey:masterSecret) and devices registered under the ids a test chooses.
/// </summary>
public sealed class ServerApiKit : IAsyncDisposable
{
    private ServerApiKit(DispatchScenario scenario, SandboxHost sandbox, FakeTimeProvider clock, string secret)
    {
        Scenario = scenario;
        Sandbox = sandbox;
        Clock = clock;
        Api = Client(scenario.App.AppKey, secret);
        Device = scenario.Host.CreateClient();
        Device.DefaultRequestHeaders.Add("X-App-Key", scenario.App.AppKey);
    }

    public DispatchScenario Scenario { get; }
    public SandboxHost Sandbox { get; }
    public FakeTimeProvider Clock { get; }
    public AppHost Host => Scenario.Host;
    public long AppId => Scenario.App.Id;
    /// <summary>The app's back-end.</summary>
    public HttpClient Api { get; }
    /// <summary>The app on a device (client API).</summary>
    public HttpClient Device { get; }

    public static async Task<ServerApiKit> StartAsync(DateTimeOffset now, Action<AppHostOptions>? configure = null)
    {
        var clock = new FakeTimeProvider(now);
        var sandbox = await SandboxHost.StartAsync(clock: clock);
        var scenario = await DispatchScenario.StartAsync(o =>
        {
            o.Services = services => services.AddSingleton<TimeProvider>(clock);
            configure?.Invoke(o);
        }, sandbox);
        var secret = await scenario.Host.Get<AppService>().RotateMasterSecretAsync(scenario.App.Id, Actor.System);
        return new ServerApiKit(scenario, sandbox, clock, secret);
    }

    public HttpClient Client(string appKey, string secret)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{appKey}:{secret}")));
        return client;
    }

    /// <summary>Registers a device under a chosen installation id, as the app would through the client API; returns its token.</summary>
    public async Task<string> RegisterAsync(string installationId, Platform platform, string? timeZone = null, string? userId = null,
        string? language = null, params string[] tags)
    {
        PushConsole.Sending.Providers.WebPushSubscription? subscription = null;
        var token = platform switch
        {
            Platform.Android => $"fcm-{Guid.NewGuid():N}{Guid.NewGuid():N}",
            Platform.Ios => Sandbox.State.NewApnsDeviceToken(),
            _ => (subscription = Sandbox.State.CreateWebPushSubscription(Scenario.App.Vapid.PublicKey)).Endpoint,
        };
        await Host.Get<DeviceRegistry>().RegisterAsync(AppId, installationId, new InstallationRequest
        {
            Platform = PlatformNames.Of(platform),
            PushToken = platform == Platform.Web ? null : token,
            WebPush = subscription is null ? null : new PushConsole.Devices.WebPushSubscription
            {
                Endpoint = subscription.Endpoint, Keys = new WebPushKeys { P256dh = subscription.P256dh, Auth = subscription.Auth },
            },
            ApnsEnvironment = platform == Platform.Ios ? "production" : null,
            UserId = userId,
            Language = language,
            TimeZone = timeZone,
            Tags = tags.Select(t => (string?)t).ToList(),
        });
        return token;
    }

    /// <summary>Posts a JSON text exactly as given (the seed's bodies are sent verbatim).</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string json) =>
        Api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PutAsync(string path, string json) =>
        Api.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json with <paramref name="status"/> whose errors name <paramref name="field"/>; returns its message.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, int status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {text}");
        return messages[0].GetString()!;
    }

    /// <summary>Client events as the app reports them (session_start, notification_opened…), at device times.</summary>
    public async Task ReportAsync(params object[] events)
    {
        var response = await Device.PostAsJsonAsync("api/v1/events", events);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(long campaignId)
    {
        await Host.Get<CampaignLauncher>().WhenIdleAsync();
        await using var connection = await Host.Get<Database>().OpenAsync();
        var rows = await connection.QueryAsync<(long Id, string External, long Status, long Due, string? Reason, string Variant, string Language)>("""
            SELECT d.id, i.external_id, d.status, d.due_at_ms, d.reason, d.variant, d.language
            FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE d.campaign_id = @campaignId ORDER BY i.external_id
            """, new { campaignId });
        return rows.Select(r => new DeliveryRow(r.Id, r.External, (DeliveryStatus)r.Status, DateTimeOffset.FromUnixTimeMilliseconds(r.Due).UtcDateTime,
            r.Reason, r.Variant, r.Language)).ToList();
    }

    /// <summary>Waits (real time) until a campaign's launch has written its whole outbox (a Quartz-fired launch runs in its job).</summary>
    public async Task WaitForLaunchAsync(long campaignId)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!(await Host.Get<CampaignService>().GetAsync(campaignId)).LaunchDone)
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Campaign {campaignId} never finished its launch.");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits (real time) until one recipient's delivery has reached a status (its outcome is written).</summary>
    public async Task WaitForStatusAsync(long campaignId, string installationId, DeliveryStatus status)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await DeliveriesAsync(campaignId)).Single(r => r.InstallationId == installationId).Status != status)
        {
            if (DateTime.UtcNow > until) Assert.Fail($"The delivery to {installationId} never became {status}.");
            await Task.Delay(50);
        }
    }

    public async Task<int> CampaignCountAsync()
    {
        await using var connection = await Host.Get<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM campaigns");
    }

    public long Accepted => Sandbox.State.Providers.Sum(p => p.Stats().Accepted);

    /// <summary>Waits (real time) until the sandbox has accepted <paramref name="count"/> pushes in all.</summary>
    public async Task WaitForAcceptedAsync(long count)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (Accepted < count)
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"The sandbox accepted {Accepted} pushes, not {count}. Warnings:\n" +
                            string.Join("\n", Host.Logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal)).TakeLast(15)));
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Device.Dispose();
        await Scenario.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
