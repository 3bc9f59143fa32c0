using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Geofences;

// dotnet bench/GeofencesBench/bin/Release/net10.0/GeofencesBench.dll [geofences=10000] [requests=20000] [concurrency=8] [--Database:…]
// Starts the real app on loopback (fresh SQLite data folder unless settings say otherwise), imports the geofences spread over
// a 20 km square around a venue, registers one installation with location consent, then times the sync over HTTP/1.1 keep-alive:
// first sequentially (latency of one device), then with `concurrency` requests in flight. Each request sends other coordinates.
internal static class GeofencesBenchMain
{
    private static async Task Main(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) ? v : fallback;
        var (count, requests, concurrency) = (Arg(0, 10_000), Arg(1, 20_000), Arg(2, 8));
        var settings = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var data = Path.Combine(Path.GetTempPath(), $"pushconsole-geofences-bench-{Guid.NewGuid():N}");
        var app = global::Program.BuildWebApp([$"--Data:Directory={data}", "--Logging:LogLevel:Default=Warning", "--urls=http://127.0.0.1:0",
            "--ClientApi:RequestsPerSecondPerAddress=1000000", .. settings]);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var created = await app.Services.GetRequiredService<AppService>().CreateAsync(new NewApp("Geofences bench"), Actor.Cli);
            const double lat0 = 52.2297, lon0 = 21.0122;
            var random = new Random(18);
            var fences = Enumerable.Range(0, count).Select(n => new GeofenceRequest($"g{n}", $"Geofence {n}",
                lat0 + (random.NextDouble() - 0.5) * 0.18, lon0 + (random.NextDouble() - 0.5) * 0.29, 20 + random.Next(500), 60, 3600, null, null)).ToList();
            var watch = Stopwatch.StartNew();
            await app.Services.GetRequiredService<GeofenceService>().ImportAsync(created.App.Id, fences, Actor.Cli);
            Console.WriteLine($"Imported {count:N0} geofences in {watch.Elapsed.TotalSeconds:N1} s ({app.Services.GetRequiredService<Database>().Provider}).");

            using var client = new HttpClient { BaseAddress = new Uri(address) };
            client.DefaultRequestHeaders.Add("X-App-Key", created.App.AppKey);
            (await client.PutAsJsonAsync("api/v1/installations/bench-phone", new { platform = "android", pushToken = new string('a', 150), userId = "bench-user" })).EnsureSuccessStatusCode();
            (await client.PutAsJsonAsync("api/v1/users/bench-user/preferences", new { location = true })).EnsureSuccessStatusCode();

            async Task<double> OneAsync(Random r)
            {
                var lat = (lat0 + (r.NextDouble() - 0.5) * 0.2).ToString("0.000000", CultureInfo.InvariantCulture);
                var lon = (lon0 + (r.NextDouble() - 0.5) * 0.3).ToString("0.000000", CultureInfo.InvariantCulture);
                var t = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync($"api/v1/installations/bench-phone/geofences?lat={lat}&lon={lon}");
                var body = await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                if (body.Length < 100) throw new InvalidOperationException("The sync answered without geofences.");
                return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }

            for (var i = 0; i < 500; i++) await OneAsync(random); // warm-up: JIT, connection, index load
            var sequential = new List<double>(requests);
            watch.Restart();
            for (var i = 0; i < requests; i++) sequential.Add(await OneAsync(random));
            Report("sequential", sequential, watch.Elapsed);

            var parallel = new System.Collections.Concurrent.ConcurrentBag<double>();
            watch.Restart();
            await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (i, _) => parallel.Add(await OneAsync(new Random(i))));
            Report($"{concurrency} in flight", [.. parallel], watch.Elapsed);
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            await app.StopAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    private static void Report(string name, List<double> ms, TimeSpan elapsed)
    {
        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine(FormattableString.Invariant(
            $"{name}: {ms.Count:N0} syncs in {elapsed.TotalSeconds:N1} s ({ms.Count / elapsed.TotalSeconds:N0}/s): p50 {P(0.50):N2} ms, p95 {P(0.95):N2} ms, p99 {P(0.99):N2} ms, max {ms[^1]:N2} ms"));
    }
}
