using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PushConsole.Apps;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Data;
using SegmentsBench;

// dotnet bench/SegmentsBench/bin/Release/net10.0/SegmentsBench.dll [installations=1000000] [--keep DIR] [--Database:Provider=Postgres --Database:ConnectionString=…]
//   [--SegmentIndex:Enabled=false]  (counts in SQL, as before the in-memory index)
// Seeds an event app (60 % Android, 35 % iOS, 5 % web; 7 users in 10 installations' worth; roles, companies, interests,
// languages, zones, consent, categories, opens), then times segment counts and streaming the whole match.
internal static class SegmentsBenchMain
{
    private static async Task Main(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 1_000_000;
        var keep = args.SkipWhile(a => a != "--keep").Skip(1).FirstOrDefault();
        var explain = args.Contains("--explain");
        // --counts-only skips streaming and the launch shape (a quicker run when only counts changed)
        var countsOnly = args.Contains("--counts-only");
        var settings = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--keep" && a != keep && a != "--explain" && a != "--counts-only" && a != "--only" && a != args.SkipWhile(x => x != "--only").Skip(1).FirstOrDefault()).ToArray();
        var data = keep ?? Path.Combine(Path.GetTempPath(), $"pushconsole-segments-bench-{Guid.NewGuid():N}");
        var seeded = keep is not null && File.Exists(Path.Combine(data, "seeded"));
        var app = global::Program.BuildWebApp([$"--Data:Directory={data}", "--Logging:LogLevel:Default=Warning", .. settings]);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var database = app.Services.GetRequiredService<Database>();
        var now = DateTime.SpecifyKind(DateTime.UtcNow.Date.AddHours(12), DateTimeKind.Utc);
        var world = new World(count, now);

        long appId;
        if (!seeded)
        {
            appId = (await app.Services.GetRequiredService<AppService>().CreateAsync(new NewApp("Segments bench"), Actor.Cli)).App.Id;
            var watch = Stopwatch.StartNew();
            await using (var connection = await database.OpenAsync())
            {
                var bulk = new BulkWriter(connection);
                foreach (var (table, columns, rows) in world.Tables(appId))
                {
                    var t = Stopwatch.StartNew();
                    await bulk.WriteAsync(table, columns, rows);
                    Console.Error.WriteLine($"  {table}: {t.Elapsed.TotalSeconds:N1} s");
                }
                if (database.IsPostgres)
                {
                    // identities were given explicitly: move the sequences past them
                    foreach (var table in new[] { "app_users", "installations", "client_events" })
                        await connection.ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))");
                    await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 0);
                }
                else await connection.ExecuteAsync("ANALYZE", commandTimeout: 0, commandType: System.Data.CommandType.Text);
                // the seed's rows went through the change triggers; no index was loaded, so nothing needs them
                await connection.ExecuteAsync("DELETE FROM segment_changes", commandTimeout: 0);
            }
            Console.WriteLine($"Seeded {count:N0} installations, {world.Users:N0} users and their attributes, tags, categories and events " +
                              $"in {watch.Elapsed.TotalSeconds:N0} s on {database.Provider}.");
            if (keep is not null) await File.WriteAllTextAsync(Path.Combine(data, "seeded"), appId.ToString(CultureInfo.InvariantCulture));
        }
        else appId = long.Parse(await File.ReadAllTextAsync(Path.Combine(data, "seeded")), CultureInfo.InvariantCulture);

        var service = app.Services.GetRequiredService<SegmentService>();
        var queries = app.Services.GetRequiredService<SegmentQueries>();
        var segments = new List<(string Name, SegmentRules Rules)>
        {
            ("5 conditions, AND", Rules("""
                {"version":1,"root":{"match":"all","rules":[
                  {"field":"platform","operator":"in","value":["android","ios"]},
                  {"field":"attribute","name":"role","operator":"in","value":["attendee","speaker"]},
                  {"field":"tags","operator":"has_any","value":["track-ai","track-data"]},
                  {"field":"country","operator":"in","value":["FR","DE","PL","GB"]},
                  {"field":"user_last_active","operator":"within_last_days","value":30}]}}
                """)),
            ("5 conditions, OR + NOT", Rules("""
                {"version":1,"root":{"match":"all","rules":[
                  {"field":"language","operator":"in","value":["fr","de"]},
                  {"match":"any","rules":[
                    {"field":"attribute","name":"role","operator":"equals","value":"speaker"},
                    {"field":"tags","operator":"has_any","value":["vip"]}]},
                  {"match":"all","not":true,"rules":[{"field":"category","name":"marketing","operator":"opted_out"}]},
                  {"field":"engagement","operator":"in","value":["low","high"],"days":30}]}}
                """)),
            ("5 conditions, selective", Rules("""
                {"version":1,"root":{"match":"all","rules":[
                  {"field":"attribute","name":"role","operator":"in","value":["speaker","sponsor"]},
                  {"field":"platform","operator":"in","value":["android","ios"]},
                  {"field":"country","operator":"in","value":["FR","DE","PL"]},
                  {"field":"user_last_active","operator":"within_last_days","value":7},
                  {"field":"category","name":"marketing","operator":"opted_in"}]}}
                """)),
            ("5 conditions, wide match", Rules("""
                {"version":1,"root":{"match":"all","rules":[
                  {"field":"push_state","operator":"in","value":["subscribed"]},
                  {"field":"app_version","operator":"gte","value":"3.10"},
                  {"field":"utc_offset","operator":"between","value":[-6,3]},
                  {"field":"consent","operator":"not_in","value":["withdrawn"]},
                  {"field":"first_seen","operator":"more_than_days_ago","value":7}]}}
                """)),
            ("10 conditions, mixed", Rules("""
                {"version":1,"root":{"match":"all","rules":[
                  {"field":"platform","operator":"in","value":["android","ios"]},
                  {"field":"push_state","operator":"in","value":["subscribed"]},
                  {"field":"app_version","operator":"gte","value":"3.9"},
                  {"field":"language","operator":"in","value":["en","fr","de","pl"]},
                  {"field":"consent","operator":"not_in","value":["withdrawn"]},
                  {"field":"attribute","name":"role","operator":"in","value":["attendee","speaker"]},
                  {"match":"any","rules":[
                    {"field":"tags","operator":"has_any","value":["track-ai","track-cloud","wifi-venue"]},
                    {"field":"attribute","name":"ticket","operator":"equals","value":"vip"}]},
                  {"field":"category","name":"marketing","operator":"opted_in"},
                  {"field":"user_last_active","operator":"within_last_days","value":30},
                  {"field":"engagement","operator":"in","value":["none","low"],"days":30}]}}
                """)),
        };
        if (args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() is { } only)
            segments = [.. segments.Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];

        var indexes = app.Services.GetRequiredService<SegmentIndexes>();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SegmentIndexOptions>>().Value.Enabled)
        {
            // what the app does at start for a big app (SegmentIndexMaintenance), waited for here
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var build = Stopwatch.StartNew();
            await indexes.WarmAsync(appId);
            var seconds = build.Elapsed.TotalSeconds;
            process.Refresh();
            var grown = GC.GetTotalMemory(forceFullCollection: true) - heap;
            Console.WriteLine($"Segment index built in {seconds:N1} s ({(process.TotalProcessorTime - cpuBefore).TotalSeconds:N1} s CPU); managed heap +{grown / 1048576.0:N0} MB " +
                              $"({(double)grown / count:N0} B per installation)");
        }
        Console.WriteLine($"{"segment",-26} {"matches",10} {"count p50",10} {"count max",10} {"cpu p50",9} {"stream ids",11} {"launch rows",12}");
        foreach (var (name, rules) in segments)
        {
            var saved = await service.CreateAsync(appId, $"{name} {Guid.NewGuid():N}", rules, Actor.Cli);
            if (explain)
            {
                // the count's plan, as the database runs it
                var p = new DynamicParameters();
                var w = await service.WhereAsync(appId, rules, p);
                await using var c = await database.OpenAsync();
                await using var t = await c.BeginTransactionAsync();
                await c.ExecuteAsync(database.IsPostgres ? SegmentSql.PostgresSettings : SegmentSql.SqliteSettings, transaction: t);
                var plan = (await c.QueryAsync(new CommandDefinition((database.IsPostgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") +
                    $"SELECT COUNT(*) FROM {SegmentSql.FromFor(database.Dialect)} WHERE {w}", p, t, commandTimeout: 0)))
                    .Select(row => ((IDictionary<string, object>)row).Values.Last()?.ToString());
                Console.WriteLine(string.Join("\n", plan));
            }
            var answered = indexes.Answered;
            await queries.CountAsync(appId, rules); // warm-up: JIT, caches
            var times = new List<double>();
            var cpu = new List<double>();
            SegmentCount? result = null;
            var process = Process.GetCurrentProcess();
            for (var k = 0; k < 5; k++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                result = await queries.CountAsync(appId, rules);
                times.Add(watch.Elapsed.TotalMilliseconds);
                process.Refresh();
                // SQLite runs in this process: its CPU time is what the count costs on an idle core
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
            times.Sort();
            cpu.Sort();
            var stream = Stopwatch.StartNew();
            long streamed = 0;
            if (!countsOnly) await foreach (var _ in queries.InstallationIdsAsync(appId, saved.Id)) streamed++;
            var streamSeconds = stream.Elapsed.TotalSeconds;
            var (launchRows, launchSeconds) = countsOnly ? (0, 0) : await LaunchShapedAsync(appId, saved.Id);
            var source = indexes.Answered > answered ? "index" : "SQL";
            Console.WriteLine($"{name,-26} {result!.Installations,10:N0} {times[2],8:N0}ms {times[^1],8:N0}ms {(database.IsPostgres ? "-" : $"{cpu[2]:N0}ms"),9} {streamSeconds,9:N2} s {launchSeconds,10:N2} s" +
                              $"   ({source}; streamed {streamed:N0}; launch shape {launchRows:N0} subscribed)");
        }
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (keep is null) Directory.Delete(data, recursive: true);

        // the campaign launch's query: its columns and eligibility, ANDed with the segment's fragment, ordered by installation
        async Task<(long Rows, double Seconds)> LaunchShapedAsync(long app, long segmentId)
        {
            var watch = Stopwatch.StartNew();
            var parameters = new DynamicParameters(new { cursor = 0L, app });
            var where = await service.ResolveWhereAsync(app, segmentId, parameters);
            var sql = $"""
                SELECT i.id, i.app_user_id, i.platform, i.apns_environment, COALESCE(i.language, u.language), COALESCE(i.time_zone, u.time_zone)
                FROM {SegmentSql.FromFor(database.Dialect)}
                WHERE i.app_id = @app AND i.token IS NOT NULL AND i.state = 'subscribed' AND ({where}) AND i.id > @cursor
                ORDER BY i.id
                """;
            await using var connection = await database.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(database.IsPostgres ? SegmentSql.PostgresSettings : SegmentSql.SqliteSettings, transaction: tx);
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, tx, commandTimeout: 0));
            long rows = 0;
            while (await reader.ReadAsync())
            {
                _ = reader.GetInt64(0);
                rows++;
            }
            return (rows, watch.Elapsed.TotalSeconds);
        }

        static SegmentRules Rules(string json) => RulesJson.Parse(json);
    }
}
