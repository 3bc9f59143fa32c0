using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PushConsole.Game;

namespace PushConsole.Tests.Game;

public sealed class QrHuntTests
{
    private static object Hunt(string id, int codes = 2, int points = 50) => new
    {
        id, name = "Hall B hunt", kind = "qr", points, codes, badge = "Explorer", hints = new[] { "By the coffee machine" },
    };

    [Fact]
    public async Task Fifty_concurrent_scans_of_one_code_award_it_once()
    {
        await using var world = await GameWorld.StartAsync();
        await world.AttendeeAsync("ana");
        await world.ChallengeAsync(Hunt("hunt"));
        var code = (await world.Get<CodeSheet>().ListAsync(world.AppId, "hunt")).Codes[0].Code;

        using var start = new SemaphoreSlim(0);
        var scans = Enumerable.Range(0, 50).Select(async _ =>
        {
            await start.WaitAsync();
            return await world.Client.PostAsJsonAsync("api/v1/users/ana/game/scans", new { code });
        }).ToList();
        start.Release(50);
        var answers = await Task.WhenAll(scans);

        var texts = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        var ok = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.True(answers.All(a => a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict), string.Join("\n", texts.Distinct()));
        Assert.All(answers.Where(a => a != ok), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        using var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        Assert.Equal(50, body.RootElement.GetProperty("pointsAwarded").GetInt32());
        Assert.Equal(50, body.RootElement.GetProperty("total").GetInt64());
        var entry = Assert.Single(await world.LedgerAsync("ana"));
        Assert.Equal(50, entry.Points);
        Assert.Equal(50, (await world.GameOfAsync("ana")).Points);
    }

    [Fact]
    public async Task Forged_malformed_and_other_apps_codes_are_refused_and_award_nothing()
    {
        await using var world = await GameWorld.StartAsync();
        await world.AttendeeAsync("ana");
        var hunt = await world.ChallengeAsync(Hunt("hunt", codes: 3));
        var code = (await world.Get<CodeSheet>().ListAsync(world.AppId, "hunt")).Codes[0].Code;
        var other = await world.Get<PushConsole.Apps.AppService>().CreateAsync(new PushConsole.Apps.NewApp("Other event"), GameWorld.Organizer);
        await world.Get<ChallengeService>().CreateAsync(other.App.Id, JsonSerializer.SerializeToElement(Hunt("hunt")), GameWorld.Organizer);
        var othersCode = (await world.Get<CodeSheet>().ListAsync(other.App.Id, "hunt")).Codes[0].Code;
        var parts = code.Split('-', 4);

        string[] refused =
        [
            parts[0] + "-" + parts[1] + "-" + parts[2] + "-" + new string('A', parts[3].Length), // forged signature
            parts[0] + "-" + parts[1] + "-9-" + parts[3],                                          // another number, same signature
            "hello world", "PCQ1-x-1-abc", "",
            othersCode,
        ];
        foreach (var bad in refused)
        {
            var answer = await world.Client.PostAsJsonAsync("api/v1/users/ana/game/scans", new { code = bad });
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains("\"code\"", await answer.Content.ReadAsStringAsync());
        }
        Assert.Empty(await world.LedgerAsync("ana"));
        Assert.Equal(3, hunt.Codes);
    }

    [Fact]
    public async Task Finding_every_code_completes_the_hunt_with_its_badge_and_a_completion_push()
    {
        await using var world = await GameWorld.StartAsync("--Game:ScanCooldownSeconds=0");
        var ana = await world.AttendeeAsync("ana");
        await world.ChallengeAsync(Hunt("hunt", codes: 2, points: 30));
        var codes = (await world.Get<CodeSheet>().ListAsync(world.AppId, "hunt")).Codes;
        Assert.Equal("By the coffee machine", codes[0].Hint);

        foreach (var c in codes)
        {
            var scan = await world.Client.PostAsJsonAsync("api/v1/users/ana/game/scans", new { code = c.Code });
            Assert.True(scan.StatusCode == HttpStatusCode.OK, await scan.Content.ReadAsStringAsync());
        }
        var again = await world.Client.PostAsJsonAsync("api/v1/users/ana/game/scans", new { code = codes[1].Code });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var game = await world.GameOfAsync("ana");
        Assert.Equal(60, game.Points);
        Assert.Equal(1, game.Rank);
        Assert.Equal(["Explorer"], game.Badges);
        var progress = Assert.Single(game.Challenges);
        Assert.True(progress.Completed);
        Assert.Equal((2, 2), (progress.Progress, progress.Target));

        var campaign = await world.WaitForCampaignAsync(c => c.OriginRef == "game:hunt:completed:ana");
        Assert.Equal(["ana"], campaign.Audience.UserIds);
        await GameWorld.UntilAsync(() => Task.FromResult(world.MessagesTo(ana).Count > 0), "the completion push");
        var (title, body, _) = GameWorld.Shown(world.MessagesTo(ana).Last());
        Assert.Equal("Challenge complete: Hall B hunt", title);
        Assert.Contains("you are 1st with 60 points", body);
    }

    [Fact]
    public async Task The_cooldown_and_the_daily_cap_are_settings()
    {
        await using var world = await GameWorld.StartAsync("--Game:ScanCooldownSeconds=3600", "--Game:DailyPointCapPerChallenge=70");
        await world.AttendeeAsync("ana");
        await world.AttendeeAsync("ben");
        await world.ChallengeAsync(Hunt("hunt", codes: 3, points: 50));
        var codes = (await world.Get<CodeSheet>().ListAsync(world.AppId, "hunt")).Codes;

        Assert.Equal(HttpStatusCode.OK, (await world.Client.PostAsJsonAsync("api/v1/users/ana/game/scans", new { code = codes[0].Code })).StatusCode);
        var tooSoon = await world.Client.PostAsJsonAsync("api/v1/users/ana/game/scans", new { code = codes[1].Code });
        Assert.Equal(HttpStatusCode.Conflict, tooSoon.StatusCode);
        Assert.Contains("seconds apart", await tooSoon.Content.ReadAsStringAsync());
        Assert.Single(await world.LedgerAsync("ana"));

        await using var capped = await GameWorld.StartAsync("--Game:ScanCooldownSeconds=0", "--Game:DailyPointCapPerChallenge=70");
        await capped.AttendeeAsync("ben");
        await capped.ChallengeAsync(Hunt("hunt", codes: 3, points: 50));
        var cappedCodes = (await capped.Get<CodeSheet>().ListAsync(capped.AppId, "hunt")).Codes;
        var awarded = new List<int>();
        foreach (var c in cappedCodes)
        {
            var answer = await capped.Client.PostAsJsonAsync("api/v1/users/ben/game/scans", new { code = c.Code });
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            awarded.Add(json.RootElement.GetProperty("pointsAwarded").GetInt32());
        }
        Assert.Equal([50, 20, 0], awarded);
        Assert.Equal(70, (await capped.GameOfAsync("ben")).Points);
    }
}
