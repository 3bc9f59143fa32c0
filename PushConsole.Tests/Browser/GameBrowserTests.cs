using System.Net.Http.Json;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Game;
using PushConsole.Tests.Game;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class GameBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private GameWorld _w = default!;

    public async Task InitializeAsync()
    {
        _w = await GameWorld.StartAsync();
        _w.S.Host.Output = output;
    }

    public async Task DisposeAsync() => await _w.DisposeAsync();

    [Fact]
    public async Task An_organizer_launches_a_quiz_and_watches_the_answer_chart_move_as_answers_arrive()
    {
        foreach (var user in new[] { "ana", "ben", "cid" }) await _w.AttendeeAsync(user);
        await _w.ChallengeAsync(QuizTests.Quiz("keynote"));
        var row = (await _w.Get<ChallengeService>().RowIdsAsync(_w.AppId))["keynote"];
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_w.S.Host, await _w.S.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_w.S.Host, $"game/challenges/{row}");
        await Assertions.Expect(page.Locator("[data-test=quiz-status]")).ToHaveTextAsync("draft");

        await page.ClickAsync("[data-test=launch-quiz]");
        await Assertions.Expect(page.Locator("[data-test=quiz-status]")).ToHaveTextAsync("open", new() { Timeout = 30_000 });
        var launched = (await _w.Get<ChallengeService>().GetAsync(_w.AppId, "keynote")).Quiz!;
        Assert.NotNull(launched.MsgId);

        // the chart's bars carry their counts as labels: they move as attendees answer through the client API
        var labels = page.Locator("#chart-answers .apexcharts-datalabel");
        await Assertions.Expect(labels).ToHaveTextAsync(["0", "0", "0"], new() { Timeout = 15_000 });
        await Answer("ana", "b");
        await Assertions.Expect(labels).ToHaveTextAsync(["0", "1", "0"], new() { Timeout = 15_000 });
        await Answer("ben", "b");
        await Answer("cid", "a");
        await Assertions.Expect(labels).ToHaveTextAsync(["1", "2", "0"], new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-test=answers-b]")).ToHaveTextAsync("2");

        await page.ClickAsync("[data-test=close-quiz]");
        await Assertions.Expect(page.Locator("[data-test=quiz-status]")).ToHaveTextAsync("closed", new() { Timeout = 15_000 });
        await _w.WaitForCampaignAsync(c => c.OriginRef == "game:quiz:keynote:answer");
    }

    private async Task Answer(string user, string option)
    {
        var answer = await _w.Client.PostAsJsonAsync($"api/v1/users/{user}/game/answers", new { challengeId = "keynote", optionId = option });
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }
}
