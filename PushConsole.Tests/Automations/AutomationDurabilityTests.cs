using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Automations;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Game;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Automations;

/// <summary>Runs survive restarts and crashes, a trigger delivered twice starts one run, and nothing is stored on bad input.</summary>
public sealed class AutomationDurabilityTests
{
    private static readonly Actor Api = new("api:test");

    [Fact]
    public async Task The_same_event_delivered_twice_starts_one_run_while_a_new_one_starts_another()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada");
        var id = await k.CreateAsync("""
            { "name": "Each scan", "trigger": { "event": { "type": "custom", "name": "scan" } }, "reentry": { "cooldown_seconds": 0 },
              "steps": [ { "push": { "notification": { "alert": "Scanned {{event.properties.code}}" } } } ] }
            """);
        var at = k.Kit.Clock.GetUtcNow();
        await k.EventAsync("ada", "custom", "scan", new { code = "A1" }, at: at);
        await k.WaitForStatsAsync(id, s => s.Completed == 1);
        // the app retries the same report (same time, same properties): stored again, but it is the same trigger
        await k.EventAsync("ada", "custom", "scan", new { code = "A1" }, at: at);
        await k.SettleAsync();
        Assert.Equal(1, (await k.StatsAsync(id)).Entered);
        await k.EventAsync("ada", "custom", "scan", new { code = "B2" }, at: at.AddSeconds(1));
        await k.WaitForStatsAsync(id, s => s.Completed == 2);
        Assert.Equal(["Scanned A1", "Scanned B2"], (await k.WaitForShownAsync("ada", 2)).Select(s => s.Body));
        await k.SettleAsync();
        Assert.Equal(2, k.Shown("ada").Count);
    }

    [Fact]
    public async Task Bad_input_names_the_path_and_stores_nothing()
    {
        await using var k = await AutomationKit.StartAsync();
        var other = await k.Host.Get<AppService>().CreateAsync(new NewApp("Other app", null, null, null, null, null, null, null), Actor.System);
        var foreign = await k.Host.Get<PushConsole.Audience.SegmentService>().CreateAsync(other.App.Id, "Theirs", null, Actor.System);
        string Steps(string steps) => $$"""{ "name": "x", "trigger": { "event": { "type": "custom", "name": "go" } }, "steps": {{steps}} }""";
        string Nested(int depth) => depth == 0 ? """{ "delay": { "seconds": 1 } }"""
            : $$$"""{ "branch": { "if": {"version": 1, "root": {"match": "all", "rules": []}}, "then": [ {{{Nested(depth - 1)}}} ] } }""";
        var cases = new (string Body, string Field)[]
        {
            (Steps("""[ {"delay": {"seconds": 1}}, {"delay": {"seconds": 1}}, {"branch": {"if": {"version": 1, "root": {"match": "all", "rules": []}}, "then": [ {"push": {"notification": {}}} ]}} ]"""),
                "steps[2].then[0].push.notification.alert"),
            (Steps("""[ {"teleport": {}} ]"""), "steps[0]"),
            (Steps("""[ {"delay": {"seconds": 7776001}} ]"""), "steps[0].delay.seconds"),
            (Steps("""[ {"delay": {"seconds": -1}} ]"""), "steps[0].delay.seconds"),
            (Steps("""[ {"wait_for": {"event": {"type": "notification_opened"}, "timeout_seconds": 99999999}} ]"""), "steps[0].wait_for.timeout_seconds"),
            (Steps($"[ {Nested(6)} ]"), "steps[0].then[0].then[0].then[0].then[0].then[0].branch"),
            (Steps("[" + string.Join(",", Enumerable.Repeat("""{"delay": {"seconds": 1}}""", 51)) + "]"), "steps"),
            (Steps("""[ {"push": {"notification": {"alert": "Hi {{user.password}}"}}} ]"""), "steps[0].push.notification.alert"),
            (Steps("""[ {"push": {"notification": {"alert": "Hi {{user.display_name"}}} ]"""), "steps[0].push.notification.alert"),
            (Steps("""[ {"push": {"notification": {"alert": "Hi"}, "options": {"time_to_live": -5}}} ]"""), "steps[0].push.options.time_to_live"),
            (Steps($$$"""[ {"branch": {"if": {"version": 1, "root": {"match": "all", "rules": [{"field": "segment", "operator": "in", "value": ["{{{foreign.Id}}}"]}]}}, "then": []}} ]"""),
                "steps[0].branch.if.root.rules[0].value"),
            ($$"""{ "name": "x", "trigger": { "segment_entry": { "segment": "{{foreign.Id}}" } }, "steps": [] }""", "trigger.segment_entry.segment"),
            ("""{ "name": "x", "trigger": { "teleported": {} }, "steps": [] }""", "trigger"),
            ("""{ "name": "x", "trigger": { "event": { "type": "session_teleported" } }, "steps": [] }""", "trigger.event.type"),
            ("""{ "name": "x", "trigger": { "schedule": { "cron": "every day" } }, "steps": [] }""", "trigger.schedule.cron"),
            ("""{ "name": "x", "trigger": { "event": { "type": "custom", "name": "go" } }, "steps": [], "reentry": "sometimes" }""", "reentry"),
        };
        foreach (var (body, field) in cases)
        {
            var message = await PushConsole.Tests.Campaigns.ServerApi.ServerApiKit.ProblemAsync(await k.Kit.PostAsync("v4/automations", body), 400, field);
            Assert.False(string.IsNullOrWhiteSpace(message));
        }
        Assert.Equal(0, await k.CountAsync("SELECT COUNT(*) FROM automations"));
    }

    [Fact]
    public async Task A_stop_and_a_crash_mid_batch_both_resume_every_run_where_it_was_with_each_push_sent_once()
    {
        var data = TempFolder.Create("pushconsole-automation-restart");
        var clock = new FakeTimeProvider(AutomationKit.Start);
        await using var sandbox = await SandboxHost.StartAsync(clock: clock);
        var ledger = new TestLedger();
        try
        {
            long appId;
            var tokens = new Dictionary<string, string>();
            await using (var first = await DispatchScenario.StartAsync(o =>
                         {
                             o.DataDirectory = data;
                             o.Args.Add("--Automations:PollMilliseconds=100");
                             o.Services = s => ledger.Register(s.AddSingleton<TimeProvider>(clock));
                         }, sandbox))
            {
                appId = first.App.Id;
                foreach (var user in new[] { "ada", "bob" })
                {
                    tokens[user] = sandbox.State.NewApnsDeviceToken();
                    await first.Host.Get<DeviceRegistry>().RegisterAsync(appId, $"{user}-iphone", new InstallationRequest
                    {
                        Platform = "ios", PushToken = tokens[user], UserId = user, ApnsEnvironment = "production",
                    });
                }
                using var doc = JsonDocument.Parse("""
                    { "name": "Later", "trigger": { "event": { "type": "custom", "name": "arrived" } },
                      "steps": [ { "delay": { "seconds": 3600 } }, { "points": { "add": 5, "reason": "stayed" } },
                                 { "push": { "notification": { "alert": "An hour in: {{user.id}}" } } } ] }
                    """);
                var automation = await first.Host.Get<AutomationService>().CreateAsync(appId, doc.RootElement, Api);
                var events = first.Host.Get<ClientEvents>();
                foreach (var user in new[] { "ada", "bob" })
                    await events.RecordAsync(appId, [new ClientEventRequest { InstallationId = $"{user}-iphone", Type = "custom", Name = "arrived" }], false);
                var stats = first.Host.Get<AutomationStats>();
                var until = DateTime.UtcNow.AddSeconds(30);
                while ((await stats.ForAsync(automation)).Steps["0"].Waiting < 2 && DateTime.UtcNow < until) await Task.Delay(50);
                Assert.Equal(2, (await stats.ForAsync(automation)).Steps["0"].Waiting);
                await using var connection = await first.Host.Get<Database>().OpenAsync();
                // bob's run as a killed instance leaves it: claimed mid-batch, its points step done, the push not
                var bob = await connection.ExecuteScalarAsync<long>("SELECT id FROM automation_runs WHERE user_external_id = 'bob'");
                await connection.ExecuteAsync("UPDATE automation_runs SET status = 1, position = '1', resume_at = @now, lease_owner = 'dead', lease_until = @until WHERE id = @bob",
                    new { now = clock.GetUtcNow().UtcDateTime, until = clock.GetUtcNow().UtcDateTime.AddMinutes(5), bob });
                await first.Host.Get<IPointsLedger>().AwardAsync(appId, "bob", 5, "stayed", $"automation:{automation.Id}:run:{bob}:step:1");
                await connection.ExecuteAsync("INSERT INTO automation_step_log (run_id, path, automation_id, at) VALUES (@bob, '1', @a, @now)",
                    new { bob, a = automation.Id, now = clock.GetUtcNow().UtcDateTime });
            }

            clock.Advance(TimeSpan.FromSeconds(3601));
            await using var again = await AppHost.StartAsync(o =>
            {
                o.DataDirectory = data;
                o.Args.AddRange(sandbox.ProviderArgs());
                o.Args.AddRange(DispatchScenario.FastDispatch);
                o.Args.Add("--Automations:PollMilliseconds=100");
                o.Services = s => ledger.Register(s.AddSingleton<TimeProvider>(clock));
            });
            IReadOnlyList<SandboxMessage> To(string user) =>
                [.. sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Target == tokens[user] && m.Status is >= 200 and < 300)];
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((To("ada").Count < 1 || To("bob").Count < 1) && DateTime.UtcNow < deadline) await Task.Delay(50);
            await Task.Delay(1500);
            Assert.Equal("An hour in: ada", AutomationKit.ShownOf(Assert.Single(To("ada"))).Body);
            Assert.Equal("An hour in: bob", AutomationKit.ShownOf(Assert.Single(To("bob"))).Body);
            // bob's points step had run before the crash: it is not run again (one call for ada, the test's own for bob)
            Assert.Equal(2, ledger.Calls);
            Assert.Equal(2, ledger.Awards.Count);
        }
        finally { TempFolder.Delete(data); }
    }

    [Fact]
    public async Task A_delay_recorded_just_before_a_crash_resumes_at_its_original_time_after_a_restart()
    {
        var data = TempFolder.Create("pushconsole-automation-delay-crash");
        var clock = new FakeTimeProvider(AutomationKit.Start);
        await using var sandbox = await SandboxHost.StartAsync(clock: clock);
        try
        {
            var token = sandbox.State.NewApnsDeviceToken();
            long runId;
            await using (var first = await DispatchScenario.StartAsync(o =>
                         {
                             o.DataDirectory = data;
                             o.Args.Add("--Automations:PollMilliseconds=100");
                             o.Services = s => s.AddSingleton<TimeProvider>(clock);
                         }, sandbox))
            {
                await first.Host.Get<DeviceRegistry>().RegisterAsync(first.App.Id, "ada-iphone", new InstallationRequest
                {
                    Platform = "ios", PushToken = token, UserId = "ada", ApnsEnvironment = "production",
                });
                using var doc = JsonDocument.Parse("""
                    { "name": "An hour later", "trigger": { "event": { "type": "custom", "name": "arrived" } },
                      "steps": [ { "delay": { "seconds": 3600 } }, { "push": { "notification": { "alert": "An hour in" } } } ] }
                    """);
                var automation = await first.Host.Get<AutomationService>().CreateAsync(first.App.Id, doc.RootElement, Api);
                await first.Host.Get<ClientEvents>().RecordAsync(first.App.Id, [new ClientEventRequest { InstallationId = "ada-iphone", Type = "custom", Name = "arrived" }], false);
                var stats = first.Host.Get<AutomationStats>();
                var until = DateTime.UtcNow.AddSeconds(30);
                while ((await stats.ForAsync(automation)).Steps["0"].Waiting < 1 && DateTime.UtcNow < until) await Task.Delay(50);
                Assert.Equal(1, (await stats.ForAsync(automation)).Steps["0"].Waiting);
                // as a killed instance leaves it: the delay recorded at 08:00 (its step log row, written by the engine above), the run's
                // new place not yet written (still active at the delay, under the dead instance's lease)
                await using var connection = await first.Host.Get<Database>().OpenAsync();
                runId = await connection.ExecuteScalarAsync<long>("SELECT id FROM automation_runs");
                await connection.ExecuteAsync("UPDATE automation_runs SET status = 1, position = '0', resume_at = @now, lease_owner = 'dead', lease_until = @lease WHERE id = @runId",
                    new { now = clock.GetUtcNow().UtcDateTime, lease = clock.GetUtcNow().UtcDateTime.AddMinutes(5), runId });
            }

            // back ten minutes later: the dead lease has expired and fifty minutes of the delay are left, not an hour
            clock.Advance(TimeSpan.FromMinutes(10));
            await using var again = await AppHost.StartAsync(o =>
            {
                o.DataDirectory = data;
                o.Args.AddRange(sandbox.ProviderArgs());
                o.Args.AddRange(DispatchScenario.FastDispatch);
                o.Args.Add("--Automations:PollMilliseconds=100");
                o.Services = s => s.AddSingleton<TimeProvider>(clock);
            });
            await using (var connection = await again.Get<Database>().OpenAsync())
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                (long Status, string? Owner, DateTime ResumeAt) run;
                // waiting again once the new instance has written the run back (its lease released)
                while ((run = await connection.QuerySingleAsync<(long, string?, DateTime)>(
                           "SELECT status, lease_owner, resume_at FROM automation_runs WHERE id = @runId", new { runId })).Owner is not null || run.Status != 2)
                {
                    if (DateTime.UtcNow > deadline) Assert.Fail($"The run was not taken up again after the restart: {run}");
                    await Task.Delay(50);
                }
                Assert.Equal(AutomationKit.Start.UtcDateTime.AddHours(1), DateTime.SpecifyKind(run.ResumeAt, DateTimeKind.Utc));
            }
            IReadOnlyList<SandboxMessage> Shown() =>
                [.. sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Target == token && m.Status is >= 200 and < 300)];
            clock.Advance(TimeSpan.FromMinutes(50) + TimeSpan.FromSeconds(1));
            var pushed = DateTime.UtcNow.AddSeconds(30);
            while (Shown().Count < 1 && DateTime.UtcNow < pushed) await Task.Delay(50);
            Assert.Equal("An hour in", AutomationKit.ShownOf(Assert.Single(Shown())).Body);
        }
        finally { TempFolder.Delete(data); }
    }
}
