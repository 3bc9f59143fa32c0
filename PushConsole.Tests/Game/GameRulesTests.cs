using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Game;
using PushConsole.Tests.Agenda;

namespace PushConsole.Tests.Game;

public sealed class GameRulesTests
{
    [Fact]
    public async Task An_events_challenge_counts_check_ins_per_user_and_completes_once_with_a_push()
    {
        await using var w = await AgendaWorld.StartAsync(new DateTimeOffset(2026, 3, 29, 6, 0, 0, TimeSpan.Zero));
        var ana = await w.AttendeeAsync("ana");
        await w.AttendeeAsync("ben");
        await w.S.Host.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Put, "api/v1/users/ana/preferences")
        {
            Headers = { { "X-App-Key", w.S.App.AppKey } }, Content = JsonContent.Create(new { consent = true }),
        });
        foreach (var n in new[] { 1, 2, 3 }) await w.SessionAsync($"s{n}", $"Session {n}", new DateTime(2026, 3, 29, 9 + n, 0, 0));
        await w.Get<ChallengeService>().CreateAsync(w.AppId, JsonSerializer.SerializeToElement(new
        {
            id = "three-talks", name = "Three talks", kind = "events", points = 50, badge = "Regular",
            events = new { @event = new { type = "session_checked_in" }, count = 2 },
        }), GameWorld.Organizer);

        await w.CheckInAsync("ana", "s1");
        await w.CheckInAsync("ben", "s1");
        Assert.Equal(0, (await w.Get<GameQueries>().ForUserAsync(w.AppId, "ana")).Points);
        await w.CheckInAsync("ana", "s1"); // the same check-in again is no new check-in
        Assert.Equal(1, (await w.Get<GameQueries>().ForUserAsync(w.AppId, "ana")).Challenges.Single().Progress);
        await w.CheckInAsync("ana", "s2");
        await w.CheckInAsync("ana", "s3");

        var game = await w.Get<GameQueries>().ForUserAsync(w.AppId, "ana");
        Assert.Equal(50, game.Points);
        Assert.Equal(["Regular"], game.Badges);
        Assert.True(game.Challenges.Single().Completed);
        Assert.Equal(0, (await w.Get<GameQueries>().ForUserAsync(w.AppId, "ben")).Points);
        await using (var db = await w.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
            Assert.Equal(1, await db.Set<PointsEntry>().CountAsync());

        await GameWorld.UntilAsync(() => Task.FromResult(w.MessagesTo(ana).Count == 1), "the completion push");
        var (title, body) = AgendaWorld.Shown(w.MessagesTo(ana)[0]);
        Assert.Equal("Challenge complete: Three talks", title);
        Assert.Equal("+50 points, badge \"Regular\", you are 1st with 50 points.", body);
    }

    [Fact]
    public async Task Custom_events_count_by_name_and_a_completion_is_published_to_the_sinks()
    {
        await using var world = await GameWorld.StartAsync();
        var ana = await world.AttendeeAsync("ana");
        await world.ChallengeAsync(new { id = "booths", name = "Visit booths", kind = "events", points = 10, events = new { @event = new { type = "custom", name = "booth_visit" }, count = 2 } });
        // a challenge that counts completions of others sees booths' challenge_completed
        await world.ChallengeAsync(new { id = "collector", name = "Collector", kind = "events", points = 5, events = new { @event = new { type = "challenge_completed" }, count = 1 } });

        foreach (var name in new[] { "booth_visit", "lunch", "booth_visit" })
            Assert.Equal(HttpStatusCode.Accepted, (await world.Client.PostAsJsonAsync("api/v1/events", new { installationId = ana.InstallationId, type = "custom", name })).StatusCode);

        var game = await world.GameOfAsync("ana");
        Assert.Equal(15, game.Points);
        Assert.All(game.Challenges, c => Assert.True(c.Completed));
        Assert.Equal(["challenge:1", "challenge:2"], (await world.LedgerAsync("ana")).Select(e => e.AwardKey).Order());
    }

    [Fact]
    public async Task Bad_challenges_are_a_400_naming_the_field_and_store_nothing()
    {
        await using var host = await AppHost.StartAsync();
        var app = await host.Get<AppService>().CreateAsync(new NewApp("Event app"), Actor.System);
        using var server = host.CreateClient();
        server.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.App.AppKey}:{app.MasterSecret}")));
        var options = Enumerable.Range(0, 11).Select(i => new { id = $"o{i}", title = $"Option {i}" }).ToArray();
        (object Body, string Field)[] cases =
        [
            (new { id = "q", name = "Q", kind = "events", points = 0, events = new { @event = new { type = "session_checked_in" }, count = 3 } }, "points"),
            (new { id = "q", name = "Q", kind = "events", events = new { @event = new { type = "session_checked_in" }, count = 3 } }, "points"),
            (new { id = "q", name = "Q", kind = "qr", points = 5, codes = 3, active_from = "2026-11-22 10:00:00", active_until = "2026-11-22 09:00:00" }, "active_until"),
            (new { id = "q", name = "Q", kind = "quiz", points = 5, quiz = new { question = "?", options, correct = "o1" } }, "quiz.options"),
            (new { id = "q", name = "Q", kind = "quiz", points = 5, quiz = new { question = "?", options = options[..2], correct = "x" } }, "quiz.correct"),
            (new { id = "q", name = "Q", kind = "quiz", points = 5, quiz = new { question = "?", options = options[..2], correct = "o1", to = new { tag = 5 } } }, "quiz.to.tag"),
            (new { id = "q", name = "Q", kind = "dance", points = 5 }, "kind"),
            (new { id = "Q Q", name = "Q", kind = "qr", points = 5, codes = 2 }, "id"),
            (new { id = "q", name = "Q", kind = "qr", points = 5, codes = 0 }, "codes"),
            (new { id = "q", name = "Q", kind = "events", points = 5, events = new { @event = new { type = "notification_dismissed" }, count = 1 } }, "events.event.type"),
        ];
        foreach (var (body, field) in cases)
        {
            var answer = await server.PostAsJsonAsync("v4/challenges", body);
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(text);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named in {text}");
        }
        await using (var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
            Assert.Equal(0, await db.Set<Challenge>().CountAsync());

        var created = await server.PostAsJsonAsync("v4/challenges", new { id = "hunt", name = "Hunt", kind = "qr", points = 5, codes = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await server.PostAsJsonAsync("v4/challenges", new { id = "hunt", name = "Hunt", kind = "qr", points = 5, codes = 2 })).StatusCode);
        var codes = await server.GetFromJsonAsync<JsonElement>("v4/challenges/hunt/codes");
        Assert.Equal(2, codes.GetProperty("codes").GetArrayLength());
        var sheet = await server.GetAsync("v4/challenges/hunt/codes.svg");
        Assert.Equal("image/svg+xml", sheet.Content.Headers.ContentType?.MediaType);
        var svg = await sheet.Content.ReadAsStringAsync();
        Assert.Equal(2, svg.Split("data-code=").Length - 1);
        Assert.Contains("Hunt", svg);
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync("v4/challenges/hunt", new { name = "Hunt 2", kind = "qr", points = 7, codes = 3 })).StatusCode);
        Assert.Equal(7, (await server.GetFromJsonAsync<JsonElement>("v4/challenges/hunt")).GetProperty("points").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync("v4/challenges/hunt")).StatusCode);
        var openApi = await host.CreateClient().GetFromJsonAsync<JsonElement>("openapi/v1.json");
        foreach (var path in new[] { "/v4/challenges", "/v4/challenges/{id}", "/v4/challenges/{id}/codes.svg", "/v4/challenges/{id}/launch",
                     "/api/v1/users/{userId}/game/scans", "/api/v1/users/{userId}/game/answers", "/api/v1/users/{userId}/game", "/api/v1/game/leaderboard" })
            Assert.True(openApi.GetProperty("paths").TryGetProperty(path, out _), path);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/challenges/hunt")).StatusCode);
    }

    [Fact]
    public async Task The_leaderboard_names_only_those_who_opted_in_and_counts_the_others()
    {
        await using var world = await GameWorld.StartAsync();
        await world.AttendeeAsync("ana", leaderboard: true, displayName: "Ana Kowalska");
        await world.AttendeeAsync("ben", displayName: "Ben Secret");
        await world.AttendeeAsync("cid", leaderboard: true, displayName: "Cid Named");
        var ledger = world.Get<IPointsLedger>();
        await ledger.AwardAsync(world.AppId, "ana", 30, "Survey", "survey:1");
        await ledger.AwardAsync(world.AppId, "ben", 50, "Survey", "survey:1");
        await ledger.AwardAsync(world.AppId, "cid", 30, "Survey", "survey:1");
        var repeat = await ledger.AwardAsync(world.AppId, "ben", 50, "Survey", "survey:1");
        Assert.Equal(new PointsAward(false, 50), repeat);

        var board = await world.Client.GetFromJsonAsync<JsonElement>("api/v1/game/leaderboard?limit=20");
        var entries = board.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("rank").GetInt64(), e.GetProperty("displayName").GetString(), e.GetProperty("points").GetInt64())).ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal((1L, 50L), (entries[0].Item1, entries[0].Item3));
        Assert.StartsWith("Attendee #", entries[0].Item2);
        Assert.Equal([(2L, "Ana Kowalska", 30L), (2L, "Cid Named", 30L)], entries.Skip(1).OrderBy(e => e.Item2));
        Assert.DoesNotContain("Ben Secret", board.GetRawText());
        Assert.Equal(3, board.GetProperty("players").GetInt64());
        Assert.Equal(2, board.GetProperty("named").GetInt64());
        var ben = await world.Client.GetFromJsonAsync<JsonElement>("api/v1/users/ben/game");
        Assert.Equal((50L, 1L), (ben.GetProperty("points").GetInt64(), ben.GetProperty("rank").GetInt64()));
        var today = await world.Client.GetFromJsonAsync<JsonElement>($"api/v1/game/leaderboard?limit=1&day={DateTime.UtcNow:yyyy-MM-dd}");
        Assert.Equal(50, Assert.Single(today.GetProperty("entries").EnumerateArray()).GetProperty("points").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Client.GetAsync("api/v1/game/leaderboard?limit=1000")).StatusCode);
    }

    [Fact]
    public async Task Erasure_removes_the_users_ledger_and_keeps_anonymous_totals()
    {
        await using var world = await GameWorld.StartAsync("--Game:ScanCooldownSeconds=0");
        await world.AttendeeAsync("ana", leaderboard: true, displayName: "Ana");
        await world.AttendeeAsync("ben");
        await world.ChallengeAsync(new { id = "hunt", name = "Hunt", kind = "qr", points = 10, codes = 1 });
        var code = (await world.Get<CodeSheet>().ListAsync(world.AppId, "hunt")).Codes[0].Code;
        foreach (var user in new[] { "ana", "ben" })
            Assert.Equal(HttpStatusCode.OK, (await world.Client.PostAsJsonAsync($"api/v1/users/{user}/game/scans", new { code })).StatusCode);
        await world.Get<IPointsLedger>().AwardAsync(world.AppId, "ana", 5, "Automation", "automation:1:run:1:step:0");

        await world.Get<UserDataService>().EraseAsync(world.AppId, "ana", GameWorld.Organizer, PushConsole.Devices.ChangeSources.ServerApi);

        await using var db = await world.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(["ben"], await db.Set<PointsEntry>().Join(db.Set<PushConsole.Devices.AppUser>(), p => p.AppUserId, u => u.Id, (p, u) => u.ExternalId).ToListAsync());
        Assert.Equal(1, await db.Set<GamePlayer>().CountAsync());
        var hunt = await world.Get<ChallengeService>().GetAsync(world.AppId, "hunt");
        Assert.Equal((2L, 2L), (hunt.Participants, hunt.Completions));
        var board = await world.Get<GameQueries>().LeaderboardAsync(world.AppId, 20, null);
        Assert.Equal(1, board.Players);
        Assert.DoesNotContain(board.Entries, e => e.DisplayName == "Ana");
    }
}
