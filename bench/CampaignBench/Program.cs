using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using SegmentsBench;

// A million-recipient campaign through the real app (bench/run.sh drives it; docs/BENCHMARKS.md):
//   seed     --data DIR --sandbox URL [--count 1000000] [--tls]
//            an app whose credentials the sandbox process trusts, and COUNT subscribed installations (60 % Android,
//            35 % iOS, 5 % web; every web one a subscription the sandbox made, so it can decrypt). The app's keys go to
//            DIR/bench-app.json (mode 600), never to the output.
//   campaign --app URL --data DIR --sandbox URL --app-pid PID [--faults] [--name NAME]
//            POST /v4/push to everyone, polls GET /v4/messages/{id} until completed; one JSON line: time, peak RSS of
//            the app process during the campaign, the sandbox's unique delivery ids and duplicates. --faults makes the
//            sandbox answer 5 % 429 and 1 % 503 (Retry-After 1 s) on every provider.
//   latency  --app URL --data DIR --sandbox URL [--runs 20] [--size 100]
//            small campaigns: "send now" (before the POST) → the first request the sandbox answered; p50/p99.
internal static class CampaignBenchMain
{
    private static readonly JsonSerializerOptions Web = JsonSerializerOptions.Web;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0) { Console.Error.WriteLine("seed | campaign | latency (see Program.cs)"); return 2; }
        string? Opt(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var sandbox = new Uri((Opt("--sandbox") ?? "http://127.0.0.1:9400").TrimEnd('/') + "/");
        var data = Opt("--data") ?? throw new ArgumentException("--data DIR");
        // several audiences can live in one data folder, one app each (the fault-injected campaign may use a smaller one)
        var appFile = Path.Combine(data, Opt("--app-file") ?? "bench-app.json");
        using var control = new HttpClient { BaseAddress = sandbox, Timeout = TimeSpan.FromMinutes(5) };
        return args[0] switch
        {
            "seed" => await SeedAsync(control, data, appFile, int.Parse(Opt("--count") ?? "1000000", CultureInfo.InvariantCulture), args.Contains("--tls"),
                args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray()),
            "campaign" => await CampaignAsync(control, appFile, new Uri(Opt("--app")!.TrimEnd('/') + "/"), int.Parse(Opt("--app-pid")!, CultureInfo.InvariantCulture),
                args.Contains("--faults"), Opt("--name") ?? "million"),
            "latency" => await LatencyAsync(control, appFile, new Uri(Opt("--app")!.TrimEnd('/') + "/"),
                int.Parse(Opt("--runs") ?? "20", CultureInfo.InvariantCulture), int.Parse(Opt("--size") ?? "100", CultureInfo.InvariantCulture)),
            _ => 2,
        };
    }

    private sealed record BenchApp(long AppId, string AppKey, string MasterSecret, int Installations, long FirstId = 1);

    private static async Task<int> SeedAsync(HttpClient control, string data, string appFile, int count, bool tls, string[] settings)
    {
        Directory.CreateDirectory(data);
        var app = global::Program.BuildWebApp([$"--Data:Directory={data}", "--Logging:LogLevel:Default=Warning", .. settings]);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var database = app.Services.GetRequiredService<Database>();

        var serviceAccount = await (await control.PostAsync("sandbox/fcm/service-accounts?projectId=bench-million", null)).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        var key = (await (await control.PostAsJsonAsync("sandbox/apns/keys", new { bundleId = "com.example.million" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>(Web));
        var created = await app.Services.GetRequiredService<AppService>().CreateAsync(new NewApp($"Bench {Path.GetFileNameWithoutExtension(appFile)}", serviceAccount,
            key.GetProperty("p8").GetString(), key.GetProperty("keyId").GetString(), key.GetProperty("teamId").GetString(), key.GetProperty("bundleId").GetString(),
            "production", "mailto:bench@example.com"), Actor.Cli);
        var appId = created.App.Id;

        var watch = Stopwatch.StartNew();
        // every web installation is a subscription the sandbox made for this app's VAPID key (it keeps the browser's private key)
        var webCount = Enumerable.Range(1, count).Count(i => Platform(i) == "web");
        var subscriptions = new (string Endpoint, string P256dh, string Auth)[webCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, webCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var json = await (await control.PostAsJsonAsync("sandbox/webpush/subscriptions", new { applicationServerKey = created.App.Vapid.PublicKey, tls }, ct))
                .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
            var keys = json.GetProperty("keys");
            subscriptions[i] = (json.GetProperty("endpoint").GetString()!, keys.GetProperty("p256dh").GetString()!, keys.GetProperty("auth").GetString()!);
        });
        Console.Error.WriteLine($"  {webCount:N0} web push subscriptions from the sandbox: {watch.Elapsed.TotalSeconds:N1} s");

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var web = 0;
        long offset;
        await using (var connection = await database.OpenAsync())
        {
            offset = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM installations");
            var t = Stopwatch.StartNew();
            await new BulkWriter(connection).WriteAsync("installations",
                ["id", "app_id", "external_id", "platform", "token", "state", "notifications_enabled", "web_push_p256dh", "web_push_auth",
                 "app_version", "os_version", "device_model", "created_at", "updated_at", "last_seen_at", "token_registered_at"],
                Enumerable.Range(1, count).Select(i =>
                {
                    var platform = Platform(i);
                    string token;
                    string? p256dh = null, auth = null;
                    if (platform == "ios") token = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(offset + i)));
                    else if (platform == "web") (token, p256dh, auth) = subscriptions[web++];
                    else token = $"{offset + i:x8}:APA91b{new string('x', 140)}";
                    return new object?[]
                    {
                        offset + i, appId, $"inst-{i:D7}", platform, token, "subscribed", true, p256dh, auth,
                        "3.12.0", platform == "ios" ? "17.4" : "14", platform == "ios" ? "iPhone15,2" : "Pixel 8", now, now, now, now,
                    };
                }));
            Console.Error.WriteLine($"  installations: {t.Elapsed.TotalSeconds:N1} s");
            if (database.IsPostgres)
            {
                await connection.ExecuteAsync("SELECT setval(pg_get_serial_sequence('installations', 'id'), (SELECT MAX(id) FROM installations))");
                await connection.ExecuteAsync("VACUUM ANALYZE installations", commandTimeout: 0);
            }
            else await connection.ExecuteAsync("ANALYZE", commandTimeout: 0, commandType: System.Data.CommandType.Text);
        }
        var file = appFile;
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new BenchApp(appId, created.App.AppKey, created.MasterSecret, count, offset + 1), Web));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Console.WriteLine(JsonSerializer.Serialize(new { seeded = count, web = webCount, seconds = watch.Elapsed.TotalSeconds }));
        return 0;
    }

    /// <summary>60 % Android, 35 % iOS, 5 % web, spread evenly over the ids.</summary>
    private static string Platform(int i) => (i % 20) switch { 0 => "web", < 8 => "ios", _ => "android" };

    private static async Task<(HttpClient Api, BenchApp App)> ApiAsync(string appFile, Uri appUrl)
    {
        var app = JsonSerializer.Deserialize<BenchApp>(await File.ReadAllTextAsync(appFile), Web)!;
        var api = new HttpClient { BaseAddress = appUrl, Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.AppKey}:{app.MasterSecret}")));
        return (api, app);
    }

    private static async Task<long> PushAsync(HttpClient api, JsonNode to, string requestId)
    {
        var body = new JsonObject
        {
            ["to"] = to,
            ["request_id"] = requestId,
            ["body"] = new JsonObject
            {
                ["platform"] = "all",
                ["notification"] = new JsonObject
                {
                    ["alert"] = "The keynote starts at 10:30 in Hall B.",
                    ["android"] = new JsonObject { ["title"] = "Keynote moved", ["alert"] = "The keynote starts at 10:30 in Hall B." },
                    ["web"] = new JsonObject { ["title"] = "Keynote moved", ["alert"] = "The keynote starts at 10:30 in Hall B." },
                },
            },
        };
        using var response = await api.PostAsync("v4/push", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /v4/push: {(int)response.StatusCode} {text}");
        return long.Parse(JsonDocument.Parse(text).RootElement.GetProperty("msg_id").GetString()!, CultureInfo.InvariantCulture);
    }

    private static async Task<JsonElement> WaitCompletedAsync(HttpClient api, long id, TimeSpan poll, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var view = await api.GetFromJsonAsync<JsonElement>($"v4/messages/{id}");
            var status = view.GetProperty("status").GetString();
            if (status is "completed" or "cancelled" or "paused" || watch.Elapsed > limit) return view;
            await Task.Delay(poll);
        }
    }

    private static async Task KnobsAsync(HttpClient control, double tooMany, double unavailable)
    {
        foreach (var provider in new[] { "fcm", "apns", "webpush" })
            (await control.PostAsJsonAsync("sandbox/knobs", new { provider, tooManyRequestsShare = tooMany, unavailableShare = unavailable, retryAfterSeconds = 1 })).EnsureSuccessStatusCode();
    }

    private static long ReadKb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 (1-based) of the whole line, 12 and 13 after the name
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<int> CampaignAsync(HttpClient control, string appFile, Uri appUrl, int appPid, bool faults, string name)
    {
        var (api, app) = await ApiAsync(appFile, appUrl);
        using var _ = api;
        await KnobsAsync(control, faults ? 0.05 : 0, faults ? 0.01 : 0);
        (await control.PostAsync("sandbox/reset", null)).EnsureSuccessStatusCode();
        // the peak RSS of this campaign, not of the app's start: reset the high-water mark (Linux clear_refs 5)
        try { await File.WriteAllTextAsync($"/proc/{appPid}/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        var cpu0 = CpuSeconds(appPid);
        var stages0 = await StagesAsync(api);
        var peakSampled = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakSampled = Math.Max(peakSampled, ReadKb(appPid, "VmRSS"));
                try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var watch = Stopwatch.StartNew();
        var id = await PushAsync(api, JsonValue.Create("all"), $"bench-{name}-{Guid.NewGuid():N}");
        var view = await WaitCompletedAsync(api, id, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(30));
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        var cpu = CpuSeconds(appPid) - cpu0;
        var hwm = ReadKb(appPid, "VmHWM");
        var stages1 = await StagesAsync(api);
        var targetCount = Math.Max(1, view.GetProperty("targets").GetInt64());
        // µs of app CPU per message in each measured stage; "rest" is everything else (provider clients, GC, the API)
        var stageMicros = stages1.ToDictionary(s => s.Key, s => Math.Round((s.Value - stages0.GetValueOrDefault(s.Key)) * 1e6 / targetCount, 1));
        stageMicros["rest"] = Math.Round(cpu * 1e6 / targetCount - stageMicros.Values.Sum(), 1);
        await KnobsAsync(control, 0, 0);
        var stats = await control.GetFromJsonAsync<JsonElement>("sandbox/stats");
        long unique = 0, duplicates = 0, accepted = 0, requests = 0;
        var refused = new Dictionary<string, long>();
        foreach (var provider in new[] { "fcm", "apns", "webpush" })
        {
            var s = stats.GetProperty(provider);
            unique += s.GetProperty("uniqueDeliveryIds").GetInt64();
            duplicates += s.GetProperty("duplicates").GetInt64();
            accepted += s.GetProperty("accepted").GetInt64();
            requests += s.GetProperty("requests").GetInt64();
            foreach (var r in s.GetProperty("refused").EnumerateObject()) refused[$"{provider} {r.Name}"] = r.Value.GetInt64();
        }
        var targets = view.GetProperty("targets").GetInt64();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            kind = faults ? "campaign-faults" : "campaign", msgId = id, audience = app.Installations, status = view.GetProperty("status").GetString(),
            targets, sent = view.GetProperty("sent").GetInt64(), failed = view.GetProperty("failed").GetInt64(), pending = view.GetProperty("pending").GetInt64(),
            seconds = watch.Elapsed.TotalSeconds, appCpuSeconds = cpu, appPeakRssKb = Math.Max(hwm, peakSampled),
            sandboxRequests = requests, sandboxAccepted = accepted, sandboxUnique = unique, sandboxDuplicates = duplicates, lost = targets - unique, refused,
            appCpuMicrosPerMessageByStage = stageMicros,
        }, Web));
        return 0;
    }

    /// <summary>The app's CPU seconds per sending stage so far (its /metrics, counter pushconsole.dispatch.stage.cpu).</summary>
    private static async Task<Dictionary<string, double>> StagesAsync(HttpClient api)
    {
        var result = new Dictionary<string, double>();
        string text;
        try { text = await api.GetStringAsync("metrics"); }
        catch (HttpRequestException) { return result; }
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("pushconsole_dispatch_stage_cpu_seconds_total{", StringComparison.Ordinal)) continue;
            var stage = System.Text.RegularExpressions.Regex.Match(line, "stage=\"([a-z_]+)\"").Groups[1].Value;
            if (stage.Length > 0 && double.TryParse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                result[stage] = result.GetValueOrDefault(stage) + value;
        }
        return result;
    }

    private static async Task<int> LatencyAsync(HttpClient control, string appFile, Uri appUrl, int runs, int size)
    {
        var (api, app) = await ApiAsync(appFile, appUrl);
        using var _ = api;
        await KnobsAsync(control, 0, 0);
        var latencies = new List<double>();
        // run 0 is the app's first push after its start (JIT, first connections, the FCM token): reported apart as "cold"
        double? cold = null;
        for (var run = -1; run < runs; run++)
        {
            (await control.PostAsync("sandbox/reset", null)).EnsureSuccessStatusCode();
            var first = 1 + (run + 1) * size % Math.Max(1, app.Installations - size);
            var ids = new JsonArray([.. Enumerable.Range(first, size).Select(i => (JsonNode)JsonValue.Create($"inst-{i:D7}"))]);
            var start = TimeProvider.System.GetUtcNow();
            var id = await PushAsync(api, new JsonObject { ["registration_id"] = ids }, $"bench-latency-{Guid.NewGuid():N}");
            DateTimeOffset? firstAt = null;
            var watch = Stopwatch.StartNew();
            while (firstAt is null && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                var messages = await control.GetFromJsonAsync<JsonElement>("sandbox/messages?limit=1000");
                foreach (var m in messages.EnumerateArray())
                {
                    var at = m.GetProperty("at").GetDateTimeOffset();
                    if (firstAt is null || at < firstAt) firstAt = at;
                }
                if (firstAt is null) await Task.Delay(5);
            }
            var latency = firstAt is { } f ? (f - start).TotalMilliseconds : double.NaN;
            if (run < 0) cold = latency;
            else latencies.Add(latency);
            await WaitCompletedAsync(api, id, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(60));
        }
        var sorted = latencies.Where(double.IsFinite).Order().ToArray();
        double Pct(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            kind = "latency", runs, size, coldMs = cold, p50Ms = Pct(0.50), p99Ms = Pct(0.99), maxMs = sorted.LastOrDefault(), missing = latencies.Count - sorted.Length,
            samplesMs = latencies.Select(l => Math.Round(l, 1)),
        }, Web));
        return 0;
    }
}
