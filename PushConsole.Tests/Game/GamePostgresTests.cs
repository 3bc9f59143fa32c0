using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Game;

namespace PushConsole.Tests.Game;

[Collection(PostgresCollection.Name)]
public sealed class GamePostgresTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Racing_awards_and_scans_through_two_instances_count_once_on_postgres()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var first = await AppHost.StartAsync(o => o.PostgresConnectionString = connectionString);
        await using var second = await AppHost.StartAsync(o => o.PostgresConnectionString = connectionString);
        var app = await first.Get<AppService>().CreateAsync(new NewApp("Event app"), Actor.System);
        await first.Get<ChallengeService>().CreateAsync(app.App.Id, JsonSerializer.SerializeToElement(new { id = "hunt", name = "Hunt", kind = "qr", points = 40, codes = 1 }), Actor.System);
        var code = (await first.Get<CodeSheet>().ListAsync(app.App.Id, "hunt")).Codes[0].Code;
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        foreach (var c in new[] { a, b }) c.DefaultRequestHeaders.Add("X-App-Key", app.App.AppKey);

        using var start = new SemaphoreSlim(0);
        var scans = Enumerable.Range(0, 50).Select(async i =>
        {
            await start.WaitAsync();
            return await (i % 2 == 0 ? a : b).PostAsJsonAsync("api/v1/users/ana/game/scans", new { code });
        }).ToList();
        var awards = Enumerable.Range(0, 50).Select(async i =>
        {
            await start.WaitAsync();
            return await (i % 2 == 0 ? first : second).Get<IPointsLedger>().AwardAsync(app.App.Id, "ana", 7, "Automation", "automation:1:run:1:step:0");
        }).ToList();
        start.Release(100);
        var answers = await Task.WhenAll(scans);
        var given = await Task.WhenAll(awards);

        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(49, answers.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Single(given, g => g.Awarded);
        await using var db = await first.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.Set<PointsEntry>().CountAsync());
        Assert.Equal(47, await db.Set<GamePlayer>().Select(p => p.Points).SingleAsync());
        var board = await first.Get<GameQueries>().LeaderboardAsync(app.App.Id, 20, DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.Equal(47, Assert.Single(board.Entries).Points);
    }
}
