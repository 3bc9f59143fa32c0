using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;

// dotnet run -c Release --project bench/UsersBatchBench -- [users=100000] [--Database:Provider=Postgres --Database:ConnectionString=…]
// Starts the real app on a loopback port and sends `users` profiles (email, name, language, zone, 3 attributes, 2 tags) through
// POST /v4/users/batch, 10,000 a request, one request at a time as an organizer's sync would: first creating them, then
// updating them all. Bodies are serialized before the clock starts; the time is the app's (HTTP, JSON, checks, SQL).
internal static class UsersBatchBench
{
    private static async Task Main(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 100_000;
        var data = Path.Combine(Path.GetTempPath(), $"pushconsole-users-bench-{Guid.NewGuid():N}");
        var app = global::Program.BuildWebApp([$"--Data:Directory={data}", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. args.Skip(1)]);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var created = await app.Services.GetRequiredService<AppService>().CreateAsync(new NewApp("Users bench"), Actor.Cli);
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.App.AppKey}:{created.MasterSecret}")));
            var provider = app.Services.GetRequiredService<Database>().Provider;

            foreach (var (pass, title) in new[] { (0, "create"), (1, "update") })
            {
                var bodies = Enumerable.Range(0, (count + 9_999) / 10_000)
                    .Select(b => JsonSerializer.SerializeToUtf8Bytes(new { users = Enumerable.Range(b * 10_000, Math.Min(10_000, count - b * 10_000)).Select(i => Row(i, pass)) }))
                    .ToList();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                int stored = 0, errors = 0;
                foreach (var body in bodies)
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync("v4/users/batch", content);
                    response.EnsureSuccessStatusCode();
                    using var result = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                    stored += result.RootElement.GetProperty("created").GetInt32() + result.RootElement.GetProperty("updated").GetInt32();
                    errors += result.RootElement.GetProperty("errors").GetArrayLength();
                }
                clock.Stop();
                // CPU time of the whole process (app and client) while timed: the figure a busy shared machine moves least
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                Console.WriteLine($"{title}: {stored:N0} profiles ({errors} errors) in {bodies.Count} requests, {clock.Elapsed.TotalSeconds:N2} s " +
                                  $"= {stored / clock.Elapsed.TotalSeconds:N0} rows/s on {provider}; CPU {used:N1} s = {stored / used:N0} rows per CPU-second; " +
                                  $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            }

            // where the time goes: the checks alone, then checks and SQL without HTTP/JSON (other user ids: creates)
            var rows = Enumerable.Range(0, count).Select(i => JsonSerializer.Deserialize<PushConsole.EventData.UserBatchRow>(
                JsonSerializer.SerializeToUtf8Bytes(Row(i + count, 0)), new JsonSerializerOptions(JsonSerializerDefaults.Web))).ToList();
            var batch = app.Services.GetRequiredService<PushConsole.EventData.UserBatchService>();
            foreach (var (title, store) in new[] { ("checks only", false), ("checks + SQL, no HTTP", true) })
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                foreach (var chunk in rows.Chunk(10_000))
                    if (store) await batch.ImportAsync(created.App.Id, chunk);
                    else PushConsole.EventData.UserBatchService.Validate(chunk);
                clock.Stop();
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                Console.WriteLine($"{title}: {count:N0} profiles in {clock.Elapsed.TotalSeconds:N2} s = {count / clock.Elapsed.TotalSeconds:N0} rows/s; " +
                                  $"CPU {used:N1} s = {count / used:N0} rows per CPU-second");
                if (store) break;
            }
        }
        finally
        {
            await app.StopAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    private static object Row(int i, int pass) => new
    {
        userId = $"attendee-{i:D6}",
        email = $"attendee{i}@example.com",
        displayName = $"Attendee {i}{(pass == 1 ? " (updated)" : "")}",
        language = (i % 3) switch { 0 => "en", 1 => "fr", _ => "pl" },
        timeZone = i % 4 == 0 ? "America/New_York" : "Europe/Warsaw",
        attributes = new Dictionary<string, object> { ["role"] = i % 40 == 0 ? "speaker" : "attendee", ["company"] = $"Company {i % 500}", ["ticket"] = i % 7 },
        tags = new[] { i % 2 == 0 ? "day1" : "day2", pass == 1 ? "checked" : "registered" },
    };
}
