using Dapper;
using PushConsole.Apps;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Sending;
using PushConsole.Sending.Dispatch;

namespace PushConsole.Tests.Shared;

/// <summary>Platforms and APNs environments are enums in code and keep their stored and API spelling.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PlatformNamesTests(PostgresCluster postgres, ITestOutputHelper output)
{
    [Fact]
    public void Each_value_has_one_spelling_that_parses_back()
    {
        Assert.Equal(["android", "ios", "web"], PlatformNames.All.Select(PlatformNames.Of));
        Assert.All(PlatformNames.All, p => Assert.Equal(p, PlatformNames.ParsePlatform(PlatformNames.Of(p))));
        Assert.Equal(Platform.Ios, PlatformNames.ParsePlatform(" iOS "));
        Assert.Null(PlatformNames.ParsePlatform("ipados"));
        Assert.Equal(("production", "sandbox"), (PlatformNames.Of(ApnsEnvironment.Production), PlatformNames.Of(ApnsEnvironment.Sandbox)));
        Assert.Equal(ApnsEnvironment.Sandbox, PlatformNames.ParseApnsEnvironment("sandbox"));
        // the client API has always refused other spellings of the environment
        Assert.Null(PlatformNames.ParseApnsEnvironment("Sandbox"));
        // deliveries.environment holds the number: 0 for production and every other provider, 1 for the APNs sandbox
        Assert.Equal(((short)0, (short)1), ((short)ApnsEnvironment.Production, (short)ApnsEnvironment.Sandbox));
        Assert.Equal("iOS", PlatformNames.Describe("ios"));
        Assert.Throws<InvalidOperationException>(() => PlatformNames.StoredPlatform("windows"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_database_keeps_the_text_and_the_sender_reads_the_enums(bool onPostgres)
    {
        var connectionString = onPostgres ? await postgres.CreateDatabaseAsync() : null;
        await using var s = await DispatchScenario.StartAsync(o => o.PostgresConnectionString = connectionString);
        s.Host.Output = output;
        var registry = s.Host.Get<DeviceRegistry>();
        var sandboxToken = s.Sandbox.State.NewApnsDeviceToken(ApnsEnvironment.Sandbox);
        await registry.RegisterAsync(s.App.Id, "phone-sandbox", new InstallationRequest { Platform = "ios", PushToken = sandboxToken, ApnsEnvironment = "sandbox" });
        await registry.RegisterAsync(s.App.Id, "phone-default", new InstallationRequest { Platform = "ios", PushToken = s.Sandbox.State.NewApnsDeviceToken() });
        await registry.RegisterAsync(s.App.Id, "phone-android", new InstallationRequest { Platform = "Android", PushToken = $"fcm-{Guid.NewGuid():N}" });

        await using var connection = await s.Host.Get<Database>().OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<(long Id, string External, string Platform, string? Environment)>(
            "SELECT id, external_id, platform, apns_environment FROM installations ORDER BY external_id")).ToList();
        Assert.Equal([("phone-android", "android", null), ("phone-default", "ios", null), ("phone-sandbox", "ios", "sandbox")],
            stored.Select(r => (r.External, r.Platform, r.Environment)));
        Assert.Equal("production", await connection.ExecuteScalarAsync<string>("SELECT apns_environment FROM apps WHERE id = @id", new { id = s.App.Id }));

        // the sender's row read turns the text into enums
        var targets = await s.Host.Get<Targets>().LoadAsync(stored.Select(r => r.Id), CancellationToken.None);
        var byName = stored.ToDictionary(r => r.External, r => targets[r.Id]);
        Assert.Equal((Platform.Ios, ApnsEnvironment.Sandbox), (byName["phone-sandbox"].Platform, byName["phone-sandbox"].ApnsEnvironment));
        Assert.Equal((Platform.Ios, (ApnsEnvironment?)null), (byName["phone-default"].Platform, byName["phone-default"].ApnsEnvironment));
        Assert.Equal(Platform.Android, byName["phone-android"].Platform);
        Assert.Equal(ApnsEnvironment.Production, (await s.Host.Get<AppService>().GetAsync(s.App.Id)).Apns!.Environment);

        // a sandbox token only works on the APNs sandbox host: sent means the lane and the target carried the environment
        var campaign = await s.SendAsync(name: "Both hosts");
        await s.WaitForAsync(campaign.Id, CampaignStatus.Completed);
        var deliveries = (await connection.QueryAsync<(string External, int Environment, int Status)>("""
            SELECT i.external_id, d.environment, d.status FROM deliveries d JOIN installations i ON i.id = d.installation_id
            WHERE d.campaign_id = @id ORDER BY i.external_id
            """, new { id = campaign.Id })).ToList();
        Assert.Equal([("phone-android", 0), ("phone-default", 0), ("phone-sandbox", 1)], deliveries.Select(d => (d.External, d.Environment)));
        Assert.All(deliveries, d => Assert.Equal((int)DeliveryStatus.Sent, d.Status));
    }
}
