using Dapper;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.AbTest;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns.AbTest;

/// <summary>Picks that race (two organizers, the window's job) release an A/B test's held rest once, with one winner.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WinnerReleaseTests(PostgresCluster postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Racing_picks_release_the_held_rest_exactly_once(bool onPostgres)
    {
        var connectionString = onPostgres ? await postgres.CreateDatabaseAsync() : null;
        await using var s = await DispatchScenario.StartAsync(o => o.PostgresConnectionString = connectionString);
        s.Host.Output = output;
        await s.RegisterAsync(android: 0, ios: 120, web: 40);
        var campaign = await s.SendAsync(name: "Race", message: new CampaignMessage
        {
            DefaultLanguage = "en",
            Variants =
            [
                new CampaignVariant { Key = "A", Weight = 50, Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = "Keynote at 10:30" } } },
                new CampaignVariant { Key = "B", Weight = 50, Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = "Don't miss the keynote" } } },
            ],
            Winner = new WinnerRule { Mode = WinnerMode.Manual, TestPercent = 40, DefaultVariant = "A" },
        });
        await WaitForTestSentAsync(s, campaign.Id);
        await using var connection = await s.Host.Get<Database>().OpenAsync(CancellationToken.None);
        var held = (await connection.QueryAsync<long>("SELECT id FROM deliveries WHERE campaign_id = @id AND status = @awaiting",
            new { id = campaign.Id, awaiting = (int)DeliveryStatus.AwaitingWinner })).ToHashSet();
        Assert.NotEmpty(held);

        // four organizers pick at once, two of them each variant
        var service = s.Host.Get<AbTestService>();
        var picks = new[] { "A", "B", "A", "B" }.Select((variant, i) => Task.Run(async () =>
        {
            try
            {
                await service.PickAsync(campaign.Id, variant, new Actor($"organizer{i}@example.com"));
                return variant;
            }
            catch (ConflictException)
            {
                return null;
            }
        })).ToList();
        var won = (await Task.WhenAll(picks)).Where(v => v is not null).ToList();
        Assert.Single(won);

        var done = await DispatchScenario.WaitForAsync(s.Host, campaign.Id, CampaignStatus.Completed);
        Assert.Equal(won[0], done.Message.Winner!.ChosenVariant);
        var rows = (await connection.QueryAsync<(long Id, string Variant, int Status)>(
            "SELECT id, variant, status FROM deliveries WHERE campaign_id = @id", new { id = campaign.Id })).ToList();
        Assert.Equal(160, rows.Count);
        Assert.All(rows, r => Assert.Equal((int)DeliveryStatus.Sent, r.Status));
        // the released rest carries the recorded winner, and every delivery reached a provider once
        Assert.All(rows.Where(r => held.Contains(r.Id)), r => Assert.Equal(won[0], r.Variant));
        var stats = s.Sandbox.State.Providers.Select(p => p.Stats()).ToList();
        Assert.Equal(160, stats.Sum(p => p.UniqueDeliveryIds));
        Assert.Equal(0, stats.Sum(p => p.Duplicates));
        var (_, chosen) = await s.Host.Get<AuditLog>().SearchAsync("campaign.winner_chosen", 0, 10);
        Assert.Equal(1, chosen);
    }

    private static async Task WaitForTestSentAsync(DispatchScenario s, long campaignId)
    {
        var progress = s.Host.Get<DispatchProgress>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var campaign = await s.Host.Get<CampaignService>().GetAsync(campaignId);
            var counters = await progress.SnapshotAsync(campaignId);
            if (campaign.LaunchDone && counters.Pending + counters.InFlight == 0 && counters.AwaitingWinner > 0) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The test share of campaign {campaignId} was not sent: {counters}");
            await Task.Delay(100);
        }
    }
}
