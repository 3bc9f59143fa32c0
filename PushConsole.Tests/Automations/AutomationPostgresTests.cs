using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Audit;
using PushConsole.Automations;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Game;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Automations;

[Collection(PostgresCollection.Name)]
public sealed class AutomationPostgresTests(PostgresCluster postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_instances_on_one_postgres_share_the_runs_and_never_run_a_step_twice()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = new FakeTimeProvider(AutomationKit.Start);
        await using var sandbox = await SandboxHost.StartAsync(clock: clock);
        var ledger = new TestLedger();
        void Configure(AppHostOptions o)
        {
            o.PostgresConnectionString = connectionString;
            o.Args.AddRange(["--Automations:PollMilliseconds=50", "--Automations:BatchSize=7"]);
            o.Services = s => ledger.Register(s.AddSingleton<TimeProvider>(clock));
        }
        await using var s = await DispatchScenario.StartAsync(Configure, sandbox);
        await using var peer = await s.StartPeerAsync(Configure);
        const int Users = 60;
        var tokens = new Dictionary<string, string>();
        for (var n = 0; n < Users; n++)
        {
            var user = $"user-{n}";
            tokens[user] = sandbox.State.NewApnsDeviceToken();
            await s.Host.Get<DeviceRegistry>().RegisterAsync(s.App.Id, $"{user}-iphone", new InstallationRequest
            {
                Platform = "ios", PushToken = tokens[user], UserId = user, ApnsEnvironment = "production",
            });
        }
        using var doc = JsonDocument.Parse("""
            { "name": "Shared", "trigger": { "event": { "type": "custom", "name": "never" } },
              "steps": [ { "delay": { "seconds": 300 } }, { "points": { "add": 1, "reason": "shared" } }, { "tag": { "add": ["done"] } },
                         { "push": { "notification": { "alert": "Hello from both instances" } } } ] }
            """);
        var automation = await s.Host.Get<AutomationService>().CreateAsync(s.App.Id, doc.RootElement, new Actor("api:test"));
        var users = Enumerable.Range(0, Users).Select(n => $"user-{n}").ToList();
        // both instances are asked to start the same users: the unique run key and the open-run check keep it to one run each
        await Task.WhenAll(s.Host.Get<AutomationService>().RunForAsync(s.App.Id, automation.Id, users),
            peer.Get<AutomationService>().RunForAsync(s.App.Id, automation.Id, users));
        // every run reaches its delay before the clock moves (a run that reached it later would wait from the later time)
        var stats = s.Host.Get<AutomationStats>();
        var ready = DateTime.UtcNow.AddSeconds(120);
        while ((await stats.ForAsync(automation)).Steps["0"].Waiting < Users && DateTime.UtcNow < ready) await Task.Delay(100);
        Assert.Equal(Users, (await stats.ForAsync(automation)).Steps["0"].Waiting);
        clock.Advance(TimeSpan.FromSeconds(301));

        IEnumerable<SandboxMessage> Accepted() => sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Status is >= 200 and < 300);
        var until = DateTime.UtcNow.AddSeconds(180);
        while (Accepted().Count() < Users && DateTime.UtcNow < until) await Task.Delay(100);
        await Task.Delay(2000);

        await using (var check = await s.Host.Get<Database>().OpenAsync())
            output.WriteLine("runs by status: " + string.Join(", ", await check.QueryAsync<string>("SELECT status || ':' || position || ':' || COUNT(*) FROM automation_runs GROUP BY status, position")));
        output.WriteLine(s.Host.Logs.Problems(20));
        output.WriteLine(peer.Logs.Problems(20));
        var messages = Accepted().ToList();
        Assert.Equal(Users, messages.Count);
        Assert.Equal(Users, messages.Select(m => m.Target).Distinct().Count());
        Assert.All(users, u => Assert.Equal("Hello from both instances", AutomationKit.ShownOf(messages.Single(m => m.Target == tokens[u])).Body));
        Assert.Equal(Users, ledger.Calls);
        await using var connection = await s.Host.Get<Database>().OpenAsync();
        Assert.Equal(Users, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM automation_runs WHERE status = 3"));
        Assert.Equal(Users * 4L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM automation_step_log"));
        var ownersSeen = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM automation_runs WHERE lease_owner IS NOT NULL");
        output.WriteLine($"campaigns: {await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM campaigns WHERE origin = 5")}, leases left: {ownersSeen}");
    }
}
