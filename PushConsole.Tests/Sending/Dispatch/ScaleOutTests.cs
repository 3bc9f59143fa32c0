using Dapper;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Tests.Sending.Dispatch;

[Collection(PostgresCollection.Name)]
public sealed class ScaleOutTests(PostgresCluster postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_instances_on_one_postgres_split_a_campaign_without_duplicates()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var s = await DispatchScenario.StartAsync(o => o.PostgresConnectionString = connectionString);
        await using var peer = await s.StartPeerAsync(o => o.PostgresConnectionString = connectionString);
        await s.RegisterAsync(android: 35_000, ios: 13_000, web: 2_000);
        s.Sandbox.State.Fcm.Latency = s.Sandbox.State.Apns.Latency = TimeSpan.FromMilliseconds(2);

        var campaign = await s.SendAsync(name: "Shared");
        await s.WaitForAsync(campaign.Id, CampaignStatus.Completed, TimeSpan.FromMinutes(4));

        var stats = s.Sandbox.State.Providers.Select(p => p.Stats()).ToList();
        Assert.Equal(50_000, stats.Sum(x => x.UniqueDeliveryIds));
        Assert.Equal(0, stats.Sum(x => x.Duplicates));
        var mine = s.Host.Get<DispatchWorker>().RequestsStarted;
        var theirs = peer.Get<DispatchWorker>().RequestsStarted;
        output.WriteLine($"instance A sent {mine}, instance B sent {theirs}");
        Assert.True(mine > 1000 && theirs > 1000, $"both instances should work: {mine} and {theirs}");
        Assert.Equal(50_000, mine + theirs);
        await using var connection = await s.Host.Get<Database>().OpenAsync();
        Assert.Equal(50_000L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE campaign_id = @id AND status = @sent",
            new { id = campaign.Id, sent = (int)DeliveryStatus.Sent }));
    }
}
