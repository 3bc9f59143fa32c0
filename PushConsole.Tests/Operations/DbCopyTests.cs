using PushConsole.Sending;
using PushConsole.Sending.Launch;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Demo;
using PushConsole.Sandbox;
using PushConsole.Tests.Cli;

namespace PushConsole.Tests.Operations;

/// <summary><c>db copy</c> as a process: a demo-seeded SQLite install moves to PostgreSQL and the app serves from there.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DbCopyTests(PostgresCluster postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Copy_of_a_demo_install_has_equal_counts_and_the_app_serves_from_postgres_with_credentials_that_decrypt()
    {
        var data = TempFolder.Create("pushconsole-dbcopy");
        var target = await postgres.CreateDatabaseAsync();
        await using var sandbox = await SandboxHost.StartAsync();
        try
        {
            long appId;
            AppProviderSecrets original;
            await using (var host = await AppHost.StartAsync(o =>
                         {
                             o.DataDirectory = data;
                             o.Args.AddRange(sandbox.ProviderArgs());
                             o.Args.AddRange(DispatchScenario.FastDispatch);
                         }))
            {
                var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(host.Services, sandbox);
                var seeded = await seeder.SeedAsync(new DemoSettings(40, "demo@example.com", "demo-password"), CancellationToken.None);
                await seeder.SeedCampaignsAsync(seeded, CancellationToken.None);
                await host.Get<CampaignLauncher>().WhenIdleAsync();
                appId = seeded.App.Id;
                original = await host.Get<AppService>().GetProviderSecretsAsync(appId);
            }
            SqliteConnection.ClearAllPools();

            var (code, stdout, error) = await PushConsoleProcess.RunAsync(data, "db", "copy", "--to", target);
            output.WriteLine(stdout);
            Assert.True(code == 0, error + stdout);
            Assert.Contains("every count matches", stdout);
            Assert.Contains("Database__Provider=Postgres", stdout);
            // the settings name the database but never echo a password
            var withPassword = new NpgsqlConnectionStringBuilder(target) { Password = "s3cret-pa55" }.ToString();
            Assert.DoesNotContain("s3cret-pa55", PushConsole.Operations.PostgresCopy.Settings(withPassword));
            Assert.Contains(new NpgsqlConnectionStringBuilder(target).Database!, stdout);
            (code, _, error) = await PushConsoleProcess.RunAsync(data, "db", "copy", "--to", target);
            Assert.Equal(2, code);
            Assert.Contains("not empty", error);

            // the test counts for itself, table by table
            await using (var sqlite = new SqliteConnection($"Data Source={Path.Combine(data, "pushconsole.db")};Pooling=False"))
            await using (var pg = new NpgsqlConnection(target))
            {
                var tables = (await sqlite.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\'")).ToList();
                Assert.Contains("qrtz_triggers", tables, StringComparer.OrdinalIgnoreCase);
                var nonEmpty = 0;
                foreach (var table in tables.Where(t => t != "data_protection_keys"))
                {
                    var expected = await sqlite.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table}\"");
                    Assert.True(expected == await pg.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table.ToLowerInvariant()}\""), $"{table}: counts differ");
                    if (expected > 0) nonEmpty++;
                }
                Assert.True(nonEmpty >= 15, $"only {nonEmpty} tables had rows: the demo seeded less than expected");
                Assert.Equal(Directory.GetFiles(Path.Combine(data, "keys"), "*.xml").Length, await pg.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"));
            }

            await using (var host = await AppHost.StartAsync(o =>
                         {
                             o.PostgresConnectionString = target;
                             o.Args.AddRange(sandbox.ProviderArgs());
                             o.Args.AddRange(DispatchScenario.FastDispatch);
                         }))
            {
                var secrets = await host.Get<AppService>().GetProviderSecretsAsync(appId);
                Assert.Equal(original.FcmServiceAccountJson, secrets.FcmServiceAccountJson);
                Assert.Equal(original.ApnsKeyP8, secrets.ApnsKeyP8);
                // new rows continue after the copied ids, and the push goes out through the decrypted credentials
                var rules = PushConsole.Consent.SettingsForm.From(await host.Get<PushConsole.Consent.ConsentCatalog>().GetFreshAsync(appId));
                rules.QuietHoursEnabled = false; // the demo's attendees have time zones; the test runs at any hour
                await host.Get<PushConsole.Consent.ConsentAdmin>().SaveSettingsAsync(appId, rules, Actor.System);
                var accepted = sandbox.State.Providers.Sum(p => p.Accepted);
                var campaign = await host.Get<CampaignService>().CreateAsync(new CampaignDraft
                {
                    AppId = appId, Name = "First push from PostgreSQL", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(),
                }, Actor.System);
                await DispatchScenario.WaitForAsync(host, campaign.Id, CampaignStatus.Completed, TimeSpan.FromMinutes(2));
                Assert.True(sandbox.State.Providers.Sum(p => p.Accepted) > accepted);
                // the outbox gauge's count runs on PostgreSQL too
                using var client = host.CreateClient();
                Assert.Contains("pushconsole_outbox_deliveries{", await client.GetStringAsync("metrics"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempFolder.Delete(data);
        }
    }
}

/// <summary>SQLite's storage classes into PostgreSQL's column types, as <c>db copy</c> writes them.</summary>
public sealed class SqliteValuesTests
{
    [Fact]
    public void Integers_become_booleans_and_ef_text_becomes_utc_timestamps_and_dates()
    {
        var type = PushConsole.Operations.SqliteValues.TypeOf("boolean", "t", "c");
        Assert.Equal(true, PushConsole.Operations.SqliteValues.Convert(1L, type, "t", "c"));
        Assert.Equal(false, PushConsole.Operations.SqliteValues.Convert(0L, type, "t", "c"));
        var at = (DateTime)PushConsole.Operations.SqliteValues.Convert("2026-12-04 13:58:38.1234567",
            PushConsole.Operations.SqliteValues.TypeOf("timestamp with time zone", "t", "c"), "t", "c");
        Assert.Equal(DateTimeKind.Utc, at.Kind);
        Assert.Equal(new DateTime(2026, 12, 4, 13, 58, 38, DateTimeKind.Utc).AddTicks(1234567), at);
        var offset = (DateTime)PushConsole.Operations.SqliteValues.Convert("2026-12-04 15:00:00+02:00",
            PushConsole.Operations.SqliteValues.TypeOf("timestamp with time zone", "t", "c"), "t", "c");
        Assert.Equal(new DateTime(2026, 12, 4, 13, 0, 0, DateTimeKind.Utc), offset);
        Assert.Equal(new DateOnly(2026, 12, 5), PushConsole.Operations.SqliteValues.Convert("2026-12-05", PushConsole.Operations.SqliteValues.TypeOf("date", "t", "c"), "t", "c"));
        Assert.Equal((short)3, PushConsole.Operations.SqliteValues.Convert(3L, PushConsole.Operations.SqliteValues.TypeOf("smallint", "t", "c"), "t", "c"));
        var error = Assert.Throws<InvalidOperationException>(() =>
            PushConsole.Operations.SqliteValues.Convert("not a time", PushConsole.Operations.SqliteValues.TypeOf("timestamp with time zone", "t", "c"), "apps", "created_at"));
        Assert.Contains("apps.created_at", error.Message);
        Assert.Contains("tsvector", Assert.Throws<InvalidOperationException>(() => PushConsole.Operations.SqliteValues.TypeOf("tsvector", "t", "c")).Message);
    }
}
