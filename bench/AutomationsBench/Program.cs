using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Automations;
using PushConsole.Data;
using PushConsole.Devices;

// dotnet run -c Release --project bench/AutomationsBench -- [users=10000] [events=50000] [delaySeconds=15]
// Starts the real app (SQLite) on a loopback port with `users` attendees (one device each) and 20 enabled automations (19 custom-event
// triggers with property filters, one matching 1 event in 10), then:
// 1. posts `events` custom events through POST /api/v1/events (arrays of 100, 8 requests in flight): events/s accepted;
// 2. starts a run for every user in an automation "delay N s, then tag" and measures, per run, how late its tag step ran after the
//    delay ended (step log: the delay step's time + N s → the tag step's time) — p50/p99/max — and the process's memory: the working set
//    and the managed heap after a full GC, before the runs start and after they completed.
internal static class AutomationsBench
{
    private static async Task Main(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        var events = args.Length > 1 ? int.Parse(args[1]) : 50_000;
        var delay = args.Length > 2 ? int.Parse(args[2]) : 15;
        var data = Path.Combine(Path.GetTempPath(), $"pushconsole-automations-bench-{Guid.NewGuid():N}");
        var app = global::Program.BuildWebApp([$"--Data:Directory={data}", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Automations:BatchSize=2000"]);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var created = await app.Services.GetRequiredService<AppService>().CreateAsync(new NewApp("Automations bench"), Actor.Cli);
            var appId = created.App.Id;
            var registry = app.Services.GetRequiredService<DeviceRegistry>();
            var setup = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
                await registry.RegisterAsync(appId, $"dev-{i}", new InstallationRequest { Platform = "android", PushToken = $"fcm-bench-{i:D8}-{Guid.NewGuid():N}", UserId = $"user-{i}" }));
            var service = app.Services.GetRequiredService<AutomationService>();
            for (var a = 0; a < 19; a++)
                await Create(service, appId, $$"""{ "name": "Filter {{a}}", "trigger": { "event": { "type": "custom", "name": "booth_visit", "where": { "booth": "b{{a}}" } } }, "reentry": { "cooldown_seconds": 0 }, "steps": [ { "tag": { "add": ["visited-{{a}}"] } } ] }""");
            await Create(service, appId, """{ "name": "Scans", "trigger": { "event": { "type": "custom", "name": "booth_visit", "where": { "booth": "hot" } } }, "reentry": { "cooldown_seconds": 0 }, "steps": [ { "tag": { "add": ["hot"] } } ] }""");
            Console.WriteLine($"setup: {users:N0} attendees and 20 automations in {setup.Elapsed.TotalSeconds:N1} s");

            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Add("X-App-Key", created.App.AppKey);
            var start = DateTimeOffset.UtcNow.AddMinutes(-10);
            var bodies = Enumerable.Range(0, events / 100).Select(b => JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(b * 100, 100).Select(i => new
            {
                installationId = $"dev-{i % users}", type = "custom", name = "booth_visit", at = start.AddMilliseconds(i),
                properties = new { booth = i % 10 == 0 ? "hot" : $"x{i % 7}" },
            }))).ToList();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, ct) =>
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("api/v1/events", content, ct);
                response.EnsureSuccessStatusCode();
            });
            clock.Stop();
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var database = app.Services.GetRequiredService<Database>();
            await using (var connection = await database.OpenAsync())
            {
                var runs = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM automation_runs");
                Console.WriteLine($"events: {bodies.Count * 100:N0} through POST /api/v1/events in {clock.Elapsed.TotalSeconds:N2} s = {bodies.Count * 100 / clock.Elapsed.TotalSeconds:N0} events/s " +
                                  $"({runs:N0} runs started); CPU {used:N1} s; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            }

            // delayed runs: every user waits `delay` seconds, then a tag step; lateness = step time − (start + delay)
            var waiting = await Create(service, appId, $$"""{ "name": "Later", "trigger": { "event": { "type": "custom", "name": "never" } }, "steps": [ { "delay": { "seconds": {{delay}} } }, { "tag": { "add": ["later"] } } ] }""");
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var before = Process.GetCurrentProcess().WorkingSet64;
            var ids = Enumerable.Range(0, users).Select(i => $"user-{i}").ToList();
            foreach (var chunk in ids.Chunk(10_000)) await service.RunForAsync(appId, waiting.Id, chunk);
            var until = DateTime.UtcNow.AddSeconds(delay + 120);
            await using (var connection = await database.OpenAsync())
            {
                while (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM automation_runs WHERE automation_id = @id AND status = 3", new { id = waiting.Id }) < users
                       && DateTime.UtcNow < until)
                    await Task.Delay(200);
                var late = (await connection.QueryAsync<(DateTime Started, DateTime Done)>(
                        "SELECT d.at, s.at FROM automation_step_log d JOIN automation_step_log s ON s.run_id = d.run_id AND s.path = '1' WHERE d.automation_id = @id AND d.path = '0'", new { id = waiting.Id }))
                    .Select(x => (x.Done - x.Started.AddSeconds(delay)).TotalSeconds).Order().ToList();
                var after = Process.GetCurrentProcess().WorkingSet64;
                var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
                double P(double q) => late.Count == 0 ? double.NaN : late[Math.Min(late.Count - 1, (int)(q * late.Count))];
                Console.WriteLine($"delayed runs: {late.Count:N0} of {users:N0} resumed after {delay} s; lateness p50 {P(0.5):N2} s, p99 {P(0.99):N2} s, max {late.LastOrDefault():N2} s " +
                                  $"(from the delay step to the step after it; the engine claims with a lease and polls every second); working set {before / 1048576:N0} → {after / 1048576:N0} MiB; " +
                                  $"managed heap after a full GC {heapBefore / 1048576:N0} → {heapAfter / 1048576:N0} MiB; " +
                                  $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<Automation> Create(AutomationService service, long appId, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return await service.CreateAsync(appId, doc.RootElement, Actor.Cli);
    }
}
