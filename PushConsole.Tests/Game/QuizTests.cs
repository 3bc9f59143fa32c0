using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Game;

namespace PushConsole.Tests.Game;

public sealed class QuizTests
{
    public static object Quiz(string id, params string[] users) => new
    {
        id, name = "Keynote quiz", kind = "quiz", points = 20, badge = "Sharp",
        quiz = new
        {
            question = "Which year did HTTP/2 become an RFC?",
            options = new[] { new { id = "a", title = "2012" }, new { id = "b", title = "2015" }, new { id = "c", title = "2019" } },
            correct = "b", closes_in_seconds = 600,
            to = users.Length == 0 ? (object)"all" : new { user_id = users },
        },
    };

    [Fact]
    public async Task A_quiz_goes_out_with_its_options_as_actions_a_click_answers_it_and_the_answer_push_follows_the_close()
    {
        await using var world = await GameWorld.StartAsync();
        var ana = await world.AttendeeAsync("ana");
        var ben = await world.AttendeeAsync("ben");
        var cid = await world.AttendeeAsync("cid");
        await world.ChallengeAsync(Quiz("keynote", "ana", "ben", "cid"));

        var early = await world.Client.PostAsJsonAsync("api/v1/users/ben/game/answers", new { challengeId = "keynote", optionId = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);

        var launch = await world.Get<GamePlay>().LaunchAsync(world.AppId, "keynote", GameWorld.Organizer);
        var campaign = await world.S.WaitForAsync(long.Parse(launch.MsgId), PushConsole.Sending.CampaignStatus.Completed);
        Assert.Equal(PushConsole.Sending.CampaignOrigin.Game, campaign.Origin);
        Assert.Equal(["a", "b", "c"], campaign.Message.Variants[0].Actions!.Select(a => a.Id));
        Assert.Equal(["2012", "2015", "2019"], campaign.Message.Variants[0].Actions!.Select(a => a.Title));
        var push = Assert.Single(world.MessagesTo(ana));
        var (title, body, data) = GameWorld.Shown(push);
        Assert.Equal(("Keynote quiz", "Which year did HTTP/2 become an RFC?"), (title, body));
        Assert.Equal("keynote", data.GetProperty("challengeId").GetString());
        Assert.Single(world.MessagesTo(ben));

        // ana taps "2015" on the push: the app reports the click with the option as actionId
        var click = await world.Client.PostAsJsonAsync("api/v1/events", new
        {
            installationId = ana.InstallationId, type = "notification_clicked", deliveryId = push.DeliveryId!.Value.ToString(), actionId = "b",
        });
        Assert.Equal(HttpStatusCode.Accepted, click.StatusCode);
        Assert.Equal(20, (await world.GameOfAsync("ana")).Points);
        Assert.Equal(["Sharp"], (await world.GameOfAsync("ana")).Badges);
        // a second tap counts nothing
        await world.Client.PostAsJsonAsync("api/v1/events", new
        {
            installationId = ana.InstallationId, type = "notification_clicked", deliveryId = push.DeliveryId!.Value.ToString(), actionId = "b",
        });
        Assert.Single(await world.LedgerAsync("ana"));

        // ben answers through the client API, wrongly; unknown options and quizzes are 400, a second answer 409
        var unknownOption = await world.Client.PostAsJsonAsync("api/v1/users/ben/game/answers", new { challengeId = "keynote", optionId = "z" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownOption.StatusCode);
        Assert.Contains("optionId", await unknownOption.Content.ReadAsStringAsync());
        var unknownQuiz = await world.Client.PostAsJsonAsync("api/v1/users/ben/game/answers", new { challengeId = "nope", optionId = "a" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownQuiz.StatusCode);
        var wrong = await world.Client.PostAsJsonAsync("api/v1/users/ben/game/answers", new { challengeId = "keynote", optionId = "a" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        using (var json = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()))
            Assert.False(json.RootElement.GetProperty("correct").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await world.Client.PostAsJsonAsync("api/v1/users/ben/game/answers", new { challengeId = "keynote", optionId = "b" })).StatusCode);
        Assert.Equal(0, (await world.GameOfAsync("ben")).Points);

        // the completion push reaches ana
        await world.WaitForCampaignAsync(c => c.OriginRef == "game:keynote:completed:ana");
        await GameWorld.UntilAsync(() => Task.FromResult(world.MessagesTo(ana).Count == 2), "ana's completion push");
        Assert.Contains("+20 points", GameWorld.Shown(world.MessagesTo(ana)[1]).Body);

        var view = await world.Get<ChallengeService>().GetAsync(world.AppId, "keynote");
        Assert.Equal([("a", 1L), ("b", 1L), ("c", 0L)], view.Quiz!.Options.Select(o => (o.Id, o.Answers)));
        Assert.Equal("open", view.Quiz.Status);

        // after the close: no more answers, and those who answered learn the right one
        await world.Get<GamePlay>().CloseAsync(world.AppId, "keynote", GameWorld.Organizer);
        var late = await world.Client.PostAsJsonAsync("api/v1/users/cid/game/answers", new { challengeId = "keynote", optionId = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        var reveal = await world.WaitForCampaignAsync(c => c.OriginRef == "game:quiz:keynote:answer");
        Assert.Equal(["ana", "ben"], reveal.Audience.UserIds!.Order());
        await GameWorld.UntilAsync(() => Task.FromResult(world.MessagesTo(ben).Count == 2), "ben's answer push");
        Assert.Equal("The correct answer was 2015.", GameWorld.Shown(world.MessagesTo(ben)[1]).Body);
        Assert.Single(world.MessagesTo(cid));
        Assert.Equal(0, (await world.GameOfAsync("cid")).Points);
    }
}
