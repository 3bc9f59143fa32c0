using System.Text.Json;
using Dapper;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Tests.Sending.Dispatch;

/// <summary>The send worker's outcome writer outlives a storage outage: /health says so, and nothing is sent twice.</summary>
public sealed class OutcomeWriterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Outcome_writes_failing_for_a_while_turn_health_unhealthy_then_every_delivery_is_sent_once_and_the_campaign_completes()
    {
        await using var s = await DispatchScenario.StartAsync();
        s.Host.Output = output;
        await s.RegisterAsync(android: 5);
        var client = s.Host.CreateClient();
        Assert.Equal("Healthy", await HealthAsync(client));

        // a real storage failure: SQLite aborts every write of a "sent" outcome, longer than the old writer's 10 attempts (9 s)
        await using var connection = await s.Host.Get<Database>().OpenAsync();
        await connection.ExecuteAsync("""
            CREATE TRIGGER refuse_outcomes BEFORE UPDATE OF status ON deliveries WHEN OLD.status = 1 AND NEW.status = 2
            BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;
            """);
        var campaign = await s.SendAsync(name: "Outage");
        var failingSince = DateTime.UtcNow;
        var until = failingSince.AddSeconds(30);
        while (await HealthAsync(client) != "Unhealthy")
        {
            Assert.True(DateTime.UtcNow < until, "/health stayed healthy while outcomes could not be written");
            await Task.Delay(100);
        }
        var left = TimeSpan.FromSeconds(12) - (DateTime.UtcNow - failingSince);
        if (left > TimeSpan.Zero) await Task.Delay(left);
        Assert.Equal("Unhealthy", await HealthAsync(client));
        Assert.Contains(s.Host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal));

        // storage is back: the waiting outcomes are written, nothing is sent again, the campaign completes
        await connection.ExecuteAsync("DROP TRIGGER refuse_outcomes;");
        await s.WaitForAsync(campaign.Id, CampaignStatus.Completed, TimeSpan.FromSeconds(30));
        var sent = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE campaign_id = @id AND status = @sent",
            new { id = campaign.Id, sent = (int)DeliveryStatus.Sent });
        Assert.Equal(5, sent);
        var fcm = s.Sandbox.State.Fcm.Stats();
        // the lease (2 minutes) never ran out, so the outage forced no second request: exactly one per delivery
        Assert.Equal((5L, 5L, 0L), (fcm.Requests, fcm.UniqueDeliveryIds, fcm.Duplicates));
        Assert.Equal("Healthy", await HealthAsync(client));
    }

    private static async Task<string> HealthAsync(HttpClient client)
    {
        // an unhealthy report comes with 503; its body names each check all the same
        using var response = await client.GetAsync("health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("checks").GetProperty("dispatcher").GetProperty("status").GetString()!;
    }
}
