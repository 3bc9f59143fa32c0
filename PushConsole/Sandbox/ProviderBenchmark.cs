using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using PushConsole.Apps;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.Apns;
using PushConsole.Sending.Providers.Fcm;
using PushConsole.Sending.Providers.WebPush;

namespace PushConsole.Sandbox;

/// <summary>Sends/s of each provider client alone against the sandbox (in this process, or another one's over its control URL).</summary>
public static class ProviderBenchmark
{
    public sealed record Settings(string[] Providers, int Count, int Concurrency, bool Tls, Uri? ExternalSandbox, bool Json = false)
    {
        public int ApnsConnections { get; init; } = new ProvidersOptions().Apns.Connections;
        public int FcmConnections { get; init; } = new ProvidersOptions().Fcm.Connections;
    }

    /// <summary>One provider's run: what the client saw, the window's wall and CPU time, and the sandbox's counters for the window.</summary>
    public sealed record Figure(string Provider, int Sent, int Other, TimeSpan Elapsed, long Connections, double CpuSeconds = 0, JsonElement? SandboxStats = null)
    {
        public double PerSecond => Sent / Elapsed.TotalSeconds;
    }

    public static async Task<IReadOnlyList<Figure>> RunAsync(Settings settings, TextWriter log, CancellationToken ct)
    {
        await using var local = settings.ExternalSandbox is null ? await SandboxHost.StartAsync(new SandboxOptions(), ct) : null;
        using var control = new HttpClient { BaseAddress = settings.ExternalSandbox ?? local!.BaseAddress };
        var describe = await control.GetFromJsonAsync<JsonElement>("sandbox/", ct);
        var settingsKey = settings.Tls ? "tlsSettings" : "settings";
        var providerSettings = describe.GetProperty(settingsKey);
        var endpoints = describe.GetProperty("endpoints");
        var options = new ProvidersOptions
        {
            Fcm = new() { BaseUrl = providerSettings.GetProperty("Providers:Fcm:BaseUrl").GetString()!, Connections = settings.FcmConnections },
            Apns = new() { ProductionUrl = providerSettings.GetProperty("Providers:Apns:ProductionUrl").GetString()!, Connections = settings.ApnsConnections },
            TrustedCertificateSha256 = [describe.GetProperty("certificateSha256").GetString()!],
            // the sandbox's push service is on loopback, which the endpoint policy refuses otherwise
            WebPush = new() { AllowPrivateEndpoints = true },
        };
        using var shared = Http2Transport.CreateClient(Http2Transport.CreateHandler(options), options, disposeHandler: true);
        // as the app builds it (ProviderClients): one FCM pool for all apps
        using var fcmPool = Http2Pool.Create(options.Fcm.Connections, options, oneConnectionEach: false);
        var figures = new List<Figure>();
        foreach (var provider in settings.Providers)
        {
            var (client, targets) = provider switch
            {
                "fcm" => (Fcm(fcmPool, options, await PostTextAsync(control, "sandbox/fcm/service-accounts?projectId=bench", ct)),
                    (Func<int, PushTarget>)(i => PushTarget.Fcm($"bench-token-{i % 10_000}"))),
                "apns" => await ApnsAsync(control, options, ct),
                "webpush" => await WebPushAsync(control, shared, options, settings.Tls, ct),
                _ => throw new ArgumentException($"Unknown provider {provider} (fcm, apns, webpush)."),
            };
            // warm up: connections, token, JIT
            await SendAsync(client, targets, 0, Math.Min(2000, settings.Count), settings.Concurrency, ct);
            await control.PostAsync("sandbox/reset", null, ct);
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            // allocations and contended lock acquisitions of the window, per message (the benchmark's own share is one PushMessage)
            var (allocatedBefore, contentionsBefore) = (GC.GetTotalAllocatedBytes(), Monitor.LockContentionCount);
            var watch = Stopwatch.StartNew();
            var (sent, other) = await SendAsync(client, targets, 1_000_000, settings.Count, settings.Concurrency, ct);
            watch.Stop();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            var allocatedPerMessage = (GC.GetTotalAllocatedBytes() - allocatedBefore) / (double)settings.Count;
            var contentionsPerMessage = (Monitor.LockContentionCount - contentionsBefore) / (double)settings.Count;
            var stats = await control.GetFromJsonAsync<JsonElement>("sandbox/stats", ct);
            var providerStats = stats.GetProperty(provider);
            var figure = new Figure(provider, sent, other, watch.Elapsed, providerStats.GetProperty("connections").GetInt64(), cpu, providerStats);
            figures.Add(figure);
            if (settings.Json)
                // the same shape as bench/peers/peers.js prints, for bench/run.sh
                log.WriteLine(JsonSerializer.Serialize(new
                {
                    side = "PushConsole", provider, count = settings.Count, clientOk = sent, clientFailed = other, elapsedSeconds = watch.Elapsed.TotalSeconds,
                    cpuSeconds = cpu, peakRssBytes = process.PeakWorkingSet64, allocatedBytesPerMessage = allocatedPerMessage,
                    lockContentionsPerMessage = contentionsPerMessage, sandbox = providerStats,
                }));
            else
                log.WriteLine($"{provider,-8} {figure.Sent,8} sent {figure.Other,5} other  {figure.Elapsed.TotalSeconds,7:0.00} s  {figure.PerSecond,9:0} sends/s  {figure.Connections} connection(s)  {allocatedPerMessage,6:0} B and {contentionsPerMessage:0.00} lock contentions per push");
            (client as IDisposable)?.Dispose();
        }
        return figures;
    }

    private static async Task<(int Sent, int Other)> SendAsync(IPushClient client, Func<int, PushTarget> target, long firstId, int count, int concurrency, CancellationToken ct)
    {
        var sent = 0;
        var other = 0;
        var content = new PushContent { Title = "Keynote moved", Body = "The keynote starts at 10:30 in Hall B.", Data = new Dictionary<string, string> { ["sessionId"] = "s-42" } };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var result = await client.SendAsync(new PushMessage(firstId + i, target(i), content), token);
            if (result.IsSent) Interlocked.Increment(ref sent);
            else Interlocked.Increment(ref other);
        });
        return (sent, other);
    }

    private static FcmClient Fcm(Http2Pool pool, ProvidersOptions options, string json) => FcmClient.Create(pool, json, options, TimeProvider.System);

    private static async Task<(IPushClient, Func<int, PushTarget>)> ApnsAsync(HttpClient control, ProvidersOptions options, CancellationToken ct)
    {
        var key = (await (await control.PostAsJsonAsync("sandbox/apns/keys", new { bundleId = "com.example.bench" }, ct)).Content.ReadFromJsonAsync<SandboxApnsKey>(JsonSerializerOptions.Web, ct))!;
        var client = ApnsClient.Create(key.P8, key.KeyId, key.TeamId, key.BundleId, ApnsEnvironment.Production, options, TimeProvider.System);
        var tokens = Enumerable.Range(0, 1000).Select(i => Convert.ToHexStringLower(BitConverter.GetBytes((long)i).Concat(new byte[24]).ToArray())).ToArray();
        return (client, i => PushTarget.Apns(tokens[i % tokens.Length], ApnsEnvironment.Production));
    }

    private static async Task<(IPushClient, Func<int, PushTarget>)> WebPushAsync(HttpClient control, HttpClient shared, ProvidersOptions options, bool tls, CancellationToken ct)
    {
        var (publicKey, privateKey) = AppSecrets.NewVapidKeyPair();
        var subscriptions = new List<WebPushSubscription>();
        for (var i = 0; i < 100; i++)
        {
            var json = await (await control.PostAsJsonAsync("sandbox/webpush/subscriptions", new { applicationServerKey = publicKey, tls }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
            var keys = json.GetProperty("keys");
            subscriptions.Add(new WebPushSubscription(json.GetProperty("endpoint").GetString()!, keys.GetProperty("p256dh").GetString()!, keys.GetProperty("auth").GetString()!));
        }
        var client = WebPushClient.Create(shared, publicKey, privateKey, "mailto:bench@example.com", options, TimeProvider.System);
        return (client, i => PushTarget.WebPush(subscriptions[i % subscriptions.Count]));
    }

    private static async Task<string> PostTextAsync(HttpClient control, string path, CancellationToken ct) =>
        await (await control.PostAsync(path, null, ct)).EnsureSuccessStatusCode().Content.ReadAsStringAsync(ct);
}
