using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Devices;

// dotnet run -c Release --project bench/DevicesBench -- [installations=1000000] [--Database:Provider=Postgres --Database:ConnectionString=…]
// Seeds installations (9 in 10 with a user, 1 in 10 moved from one user to another), then times LookupService.SearchAsync
// by user id, email, installation id, whole token and token prefix, on random rows.
internal static class LookupBench
{
    private static async Task Main(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 1_000_000;
        var data = Path.Combine(Path.GetTempPath(), $"pushconsole-lookup-bench-{Guid.NewGuid():N}");
        var app = global::Program.BuildWebApp([$"--Data:Directory={data}", "--Logging:LogLevel:Default=Warning", .. args.Skip(1)]);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var appId = (await app.Services.GetRequiredService<AppService>().CreateAsync(new NewApp("Lookup bench"), Actor.Cli)).App.Id;
        var database = app.Services.GetRequiredService<Database>();
        var users = count * 7 / 10;

        string Token(int i) => i % 3 == 0
            ? Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))                                     // APNs (64 hex)
            : $"{Convert.ToBase64String(SHA256.HashData(BitConverter.GetBytes(i))).Replace('+', '-').Replace('/', '_')[..22]}:APA91b{new string('x', 120)}{i}"; // FCM

        var seed = Stopwatch.StartNew();
        await using (var connection = await database.OpenAsync())
        {
            const int chunk = 50_000;
            var now = DateTime.UtcNow;
            // users first (installations point at them), then installations with their changelog
            for (var start = 1; start <= users + count; start += chunk)
            {
                await using var tx = await connection.BeginTransactionAsync();
                var user = Prepare(connection, tx, "INSERT INTO app_users (id, app_id, external_id, email, normalized_email, created_at, updated_at) VALUES (@p0, @p1, @p2, @p3, @p3, @p4, @p4)", 5);
                var installation = Prepare(connection, tx,
                    "INSERT INTO installations (id, app_id, external_id, platform, token, app_user_id, state, notifications_enabled, created_at, updated_at, last_seen_at, token_registered_at) " +
                    "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, 'subscribed', @p6, @p7, @p7, @p7, @p7)", 8);
                var change = Prepare(connection, tx,
                    "INSERT INTO token_changes (app_id, installation_id, at, kind, new_token, old_user, new_user, source) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, 'client_api')", 7);
                for (var row = start; row < start + chunk && row <= users + count; row++)
                {
                    if (row <= users) { await Run(user, row, appId, $"user-{row}", $"user{row}@example.com", now); continue; }
                    var i = row - users;
                    int? owner = i % 10 == 0 ? null : i % users + 1;
                    await Run(installation, i, appId, $"inst-{i:D7}", i % 3 == 0 ? "ios" : "android", Token(i), owner, true, now);
                    await Run(change, appId, i, now, "registered", Token(i), null, owner is null ? null : $"user-{owner}");
                    if (i % 10 == 1 && owner is not null) // a device that changed hands: the lookup of the first user must find it too
                        await Run(change, appId, i, now, "user_changed", Token(i), $"user-{owner}", $"user-{(owner + 1) % users + 1}");
                }
                await tx.CommitAsync();
                Console.Error.Write($"\rseeded {Math.Min(start + chunk - 1, users + count):N0} rows");
            }
        }
        Console.WriteLine($"\nSeeded {count:N0} installations, {users:N0} users and their changelog in {seed.Elapsed.TotalSeconds:N0} s on {database.Provider}.");

        var lookup = app.Services.GetRequiredService<LookupService>();
        var random = new Random(42);
        var probes = new (string Name, Func<int, string> Query)[]
        {
            ("user id", i => $"user-{i % users + 1}"),
            ("email", i => $"user{i % users + 1}@example.com"),
            ("installation id", i => $"inst-{i:D7}"),
            ("whole token", Token),
            ("token prefix (10)", i => Token(i)[..10]),
        };
        Console.WriteLine($"{"lookup by",-18} {"n",5} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}  groups");
        // warm-up: every kind of lookup a few hundred times, so JIT and caches are as in a running server
        for (var w = 0; w < 300; w++) await lookup.SearchAsync(probes[w % probes.Length].Query(random.Next(1, count + 1)));
        foreach (var (name, query) in probes)
        {
            var times = new List<double>();
            var found = 0;
            for (var k = 0; k < 500; k++)
            {
                var q = query(random.Next(1, count + 1));
                var watch = Stopwatch.StartNew();
                var result = await lookup.SearchAsync(q);
                times.Add(watch.Elapsed.TotalMilliseconds);
                found += result.Groups.Count > 0 ? 1 : 0;
            }
            times.Sort();
            double P(double p) => times[(int)Math.Min(times.Count - 1, Math.Ceiling(p * times.Count) - 1)];
            Console.WriteLine($"{name,-18} {times.Count,5} {P(0.5),8:N2} {P(0.95),8:N2} {P(0.99),8:N2} {times[^1],8:N2}  {found} of {times.Count} found");
        }
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction tx, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        for (var i = 0; i < parameters; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = $"p{i}";
            command.Parameters.Add(p);
        }
        return command;
    }

    private static Task<int> Run(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync();
    }
}
