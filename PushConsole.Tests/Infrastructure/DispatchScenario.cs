using System.Collections.Concurrent;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Sending.Providers;
using PushConsole.Devices;
using PushConsole.Sandbox;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Infrastructure;

/// <summary>A registered device of a scenario: its installation id and what the provider sandbox knows it by.</summary>
public sealed record ScenarioDevice(string InstallationId, Platform Platform, string Token, PushConsole.Sending.Providers.WebPushSubscription? Subscription = null);

/// <summary>
/// The real app pointed at a provider sandbox, with one app whose FCM service account, APNs key and VAPID key the
/// sandbox trusts, and helpers to register devices through the registry and send campaigns.
/// </summary>
public sealed class DispatchScenario : IAsyncDisposable
{
    /// <summary>Fast retries and polling so tests finish quickly; the logic is the same.</summary>
    public static readonly string[] FastDispatch =
    [
        "--Dispatch:IdlePoll=00:00:00.250", "--Dispatch:RetryBaseDelay=00:00:00.100", "--Dispatch:RetryMaxDelay=00:00:01",
        "--Dispatch:FlushInterval=00:00:00.020",
    ];

    private DispatchScenario(SandboxHost sandbox, AppHost host, App app, SandboxApnsKey apnsKey, bool ownsSandbox)
    {
        Sandbox = sandbox;
        Host = host;
        App = app;
        ApnsKey = apnsKey;
        _ownsSandbox = ownsSandbox;
    }

    private readonly bool _ownsSandbox;
    public SandboxHost Sandbox { get; }
    public AppHost Host { get; }
    public App App { get; }
    public SandboxApnsKey ApnsKey { get; }

    /// <param name="quietHours">
    /// Keep the app's default quiet hours (22:00–08:00 in each recipient's zone). Off by default: tests run at any time
    /// of day on the real clock, and a device with a zone would be held or not depending on the hour.
    /// </param>
    public static async Task<DispatchScenario> StartAsync(Action<AppHostOptions>? configure = null, SandboxHost? sandbox = null, bool quietHours = false)
    {
        var owns = sandbox is null;
        sandbox ??= await SandboxHost.StartAsync();
        var host = await AppHost.StartAsync(o =>
        {
            o.Args.AddRange(sandbox.ProviderArgs());
            o.Args.AddRange(FastDispatch);
            configure?.Invoke(o);
        });
        var apnsKey = sandbox.State.CreateApnsKey("com.example.event");
        var created = await host.Get<AppService>().CreateAsync(new NewApp("Event app", sandbox.State.CreateServiceAccountJson("event-app"),
            apnsKey.P8, apnsKey.KeyId, apnsKey.TeamId, apnsKey.BundleId, "production", "mailto:ops@example.com"), Actor.System);
        var scenario = new DispatchScenario(sandbox, host, created.App, apnsKey, owns);
        if (!quietHours) await Consent.ConsentKit.SetRulesAsync(scenario, r => r.QuietHoursEnabled = false);
        return scenario;
    }

    /// <summary>A second app host on the same database (PostgreSQL scale-out) sharing this sandbox.</summary>
    public async Task<AppHost> StartPeerAsync(Action<AppHostOptions>? configure = null) =>
        await AppHost.StartAsync(o =>
        {
            o.Args.AddRange(Sandbox.ProviderArgs());
            o.Args.AddRange(FastDispatch);
            configure?.Invoke(o);
        });

    /// <summary>Registers devices through the registry (as the client API would), in parallel.</summary>
    public async Task<IReadOnlyList<ScenarioDevice>> RegisterAsync(int android, int ios = 0, int web = 0, string[]? tags = null,
        string? language = null, string? timeZone = null, string prefix = "dev")
    {
        var registry = Host.Get<DeviceRegistry>();
        var devices = new ConcurrentBag<ScenarioDevice>();
        var plan = Enumerable.Range(0, android).Select(i => (Platform.Android, i))
            .Concat(Enumerable.Range(0, ios).Select(i => (Platform.Ios, i)))
            .Concat(Enumerable.Range(0, web).Select(i => (Platform.Web, i)));
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (item, _) =>
        {
            var (platform, i) = item;
            var id = $"{prefix}-{PlatformNames.Of(platform)}-{i}-{Guid.NewGuid().ToString("N")[..6]}";
            PushConsole.Sending.Providers.WebPushSubscription? subscription = null;
            var token = platform switch
            {
                Platform.Android => $"fcm-{Guid.NewGuid():N}{Guid.NewGuid():N}",
                Platform.Ios => Sandbox.State.NewApnsDeviceToken(),
                _ => (subscription = Sandbox.State.CreateWebPushSubscription(App.Vapid.PublicKey)).Endpoint,
            };
            await registry.RegisterAsync(App.Id, id, new InstallationRequest
            {
                Platform = PlatformNames.Of(platform),
                PushToken = platform == Platform.Web ? null : token,
                WebPush = subscription is null ? null : new PushConsole.Devices.WebPushSubscription { Endpoint = subscription.Endpoint, Keys = new WebPushKeys { P256dh = subscription.P256dh, Auth = subscription.Auth } },
                ApnsEnvironment = platform == Platform.Ios ? "production" : null,
                Language = language,
                TimeZone = timeZone,
                Tags = tags?.Select(t => (string?)t).ToList(),
            });
            devices.Add(new ScenarioDevice(id, platform, token, subscription));
        });
        return [.. devices];
    }

    public static CampaignMessage Message(string title = "Keynote moved", string body = "Now in Hall B at 10:30") => new()
    {
        DefaultLanguage = "en",
        Variants = [new CampaignVariant { Key = "A", Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = title, Body = body } } }],
    };

    /// <summary>Creates a "send now" campaign to everyone (or the given audience).</summary>
    public Task<Campaign> SendAsync(AudienceSpec? audience = null, CampaignMessage? message = null, int? throttlePerMinute = null, string name = "Test campaign") =>
        Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = App.Id,
            Name = name,
            Audience = audience ?? AudienceSpec.Everyone,
            Message = message ?? Message(),
            ThrottlePerMinute = throttlePerMinute,
        }, Actor.System);

    /// <summary>Waits until the campaign reaches a status (polling its row), or fails after <paramref name="timeout"/>.</summary>
    public Task<Campaign> WaitForAsync(long campaignId, CampaignStatus status, TimeSpan? timeout = null) =>
        WaitForAsync(Host, campaignId, status, timeout);

    public static async Task<Campaign> WaitForAsync(AppHost host, long campaignId, CampaignStatus status, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var campaign = await host.Get<CampaignService>().GetAsync(campaignId);
            if (campaign.Status == status) return campaign;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Campaign {campaignId} is {campaign.Status}, not {status}, after the timeout. Last warnings:\n" +
                                           string.Join("\n", host.Logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal)).TakeLast(20)));
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_ownsSandbox) await Sandbox.DisposeAsync();
    }
}
