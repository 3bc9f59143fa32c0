using System.Text.Json;
using Npgsql;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Tests.Data;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(PostgresCluster postgres)
{
    [Fact]
    public async Task The_app_migrates_postgres_provisions_quartz_and_stores_apps_there()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using (var host = await AppHost.StartAsync(o => o.PostgresConnectionString = connectionString))
        {
            var created = await host.Get<AppService>().CreateAsync(new NewApp("On PostgreSQL"), Actor.System);
            using var client = host.CreateClient();
            var response = await client.GetAsync("health");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body); // the body names the check that failed
            Assert.Equal("Healthy", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
            // the SQLite file is not used at all
            Assert.False(File.Exists(host.DatabaseFile));
            Assert.Equal(created.App.Name, (await host.Get<AppService>().ListAsync()).Single().Name);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        Assert.Equal(1, await CountAsync("select count(*) from apps"));
        Assert.True(await CountAsync("select count(*) from information_schema.tables where table_name like 'qrtz_%'") >= 10);
        Assert.True(await CountAsync("select count(*) from data_protection_keys") >= 1);

        // a second start (another instance, or a restart) reads the same key ring and finds nothing to migrate
        await using var again = await AppHost.StartAsync(o => o.PostgresConnectionString = connectionString);
        var secrets = await again.Get<AppService>().GetProviderSecretsAsync((await again.Get<AppService>().ListAsync()).Single().Id);
        Assert.Equal(43, secrets.VapidPrivateKey.Length);
    }
}
