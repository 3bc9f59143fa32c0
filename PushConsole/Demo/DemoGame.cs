using System.Text.Json;
using PushConsole.Audit;
using PushConsole.Consent;
using PushConsole.Devices;
using PushConsole.Game;

namespace PushConsole.Demo;

/// <summary>
/// The demo's game: a check-in challenge, an expo-hall QR hunt with hints, a live flash quiz (launched, open for 30 minutes, a few
/// answers already in) and a leaderboard where about half the players opted in to show their name.
/// </summary>
public sealed class DemoGame(ChallengeService challenges, GamePlay play, IPointsLedger ledger, PreferenceService preferences, ILogger<DemoGame> logger)
{
    private static readonly Actor Organizer = new("organizers@devsummit.example");

    public async Task SeedAsync(DemoEvent seeded, CancellationToken ct)
    {
        var appId = seeded.App.Id;
        await challenges.CreateAsync(appId, JsonSerializer.SerializeToElement(new
        {
            id = "three-talks", name = "Check in to three talks", kind = "events", points = 100, badge = "Regular",
            events = new { @event = new { type = ClientEventTypes.SessionCheckedIn }, count = 3 },
        }), Organizer, ct);
        await challenges.CreateAsync(appId, JsonSerializer.SerializeToElement(new
        {
            id = "expo-hunt", name = "Expo hall treasure hunt", kind = "qr", points = 25, codes = 6, badge = "Explorer",
            hints = new[] { "Under the big clock at the entrance", "Next to the coffee bar", "Sponsor booth 12", "Behind the speaker lounge door", "At the AI track stage", "By the cloakroom" },
        }), Organizer, ct);
        await challenges.CreateAsync(appId, JsonSerializer.SerializeToElement(new
        {
            id = "keynote-quiz", name = "Keynote quiz", kind = "quiz", points = 50, badge = "Sharp",
            quiz = new
            {
                question = "Which protocol does PushConsole speak to FCM and APNs?",
                options = new[] { new { id = "a", title = "HTTP/1.1" }, new { id = "b", title = "HTTP/2" }, new { id = "c", title = "WebSocket" } },
                correct = "b", closes_in_seconds = 1800,
            },
        }), Organizer, ct);
        await play.LaunchAsync(appId, "keynote-quiz", Organizer, ct);

        // the first players: points from a survey, every other one shows their name; a dozen answered the quiz already
        for (var n = 1; n <= 24; n++)
        {
            var user = $"attendee-{n:D4}";
            await ledger.AwardAsync(appId, user, 10 * ((n * 7) % 13 + 1), "Answered the day 1 survey", "demo:survey:day1", ct);
            if (n % 2 == 1) await preferences.SetForUserAsync(appId, user, new PreferencesRequest { Leaderboard = true });
            if (n <= 12) await play.AnswerAsync(appId, user, new AnswerRequest("keynote-quiz", n % 4 == 0 ? "a" : n % 5 == 0 ? "c" : "b"), ct);
        }
        logger.LogInformation("Demo game seeded: 3 challenges, a live quiz and a leaderboard of 24 players");
    }
}
