using System.Text.Json;
using PushConsole.Devices;

namespace PushConsole.Game;

/// <summary>
/// The game's view of what attendees do, in the transaction that stores it: a tap on a quiz push's option is an answer,
/// and events matching an active events challenge count toward it. Quiet events and events without a user count for nothing.
/// One query for the app's active events challenges per batch, one for the quizzes behind clicked deliveries.
/// </summary>
public sealed class GameEventSink(GameEngine engine) : IClientEventSink
{
    public async Task OnStoredAsync(RegistryTx tx, long appId, IReadOnlyList<StoredClientEvent> events)
    {
        var relevant = events.Where(e => !e.Quiet && e.UserId is not null).ToList();
        if (relevant.Count == 0) return;
        await AnswersAsync(tx, appId, relevant.Where(e => e is { Type: ClientEventTypes.NotificationClicked, ActionId: not null, DeliveryId: not null, InstallationId: not null }).ToList());
        var challenges = await tx.QueryAsync(
            $"SELECT {ChallengeRow.Columns} FROM game_challenges WHERE app_id = @p0 AND kind = @p1", ChallengeRow.Read, appId, (int)ChallengeKind.Events);
        if (challenges.Count == 0) return;
        foreach (var e in relevant)
            foreach (var challenge in challenges)
                if (challenge.IsActive(e.At) && challenge.IsActive(tx.Now) && challenge.Matches(e)
                    && !(e.Type == ClientEventTypes.ChallengeCompleted && e.Name == challenge.ExternalId))
                    await engine.AdvanceAsync(tx, appId, challenge, e.UserId!.Value, e.UserExternalId, 1, challenge.EventCount, challenge.Points);
    }

    /// <summary>A click on a quiz push's button answers the quiz (the delivery must be to the clicking installation); after the close it counts for nothing.</summary>
    private async Task AnswersAsync(RegistryTx tx, long appId, List<StoredClientEvent> clicks)
    {
        if (clicks.Count == 0) return;
        var placeholders = string.Join(", ", clicks.Select((_, i) => $"@p{i + 1}"));
        var args = new object?[clicks.Count + 1];
        args[0] = appId;
        for (var i = 0; i < clicks.Count; i++) args[i + 1] = clicks[i].DeliveryId;
        var quizzes = await tx.QueryAsync(
            $"SELECT d.id, d.installation_id, c.id FROM deliveries d JOIN game_challenges c ON c.campaign_id = d.campaign_id " +
            $"WHERE c.app_id = @p0 AND d.id IN ({placeholders})", r => (Delivery: r.GetInt64(0), Installation: r.GetInt64(1), Quiz: r.GetInt64(2)), args);
        foreach (var click in clicks)
        {
            var found = quizzes.FirstOrDefault(q => q.Delivery == click.DeliveryId && q.Installation == click.InstallationId);
            if (found == default || await GameEngine.ChallengeAsync(tx, appId, found.Quiz) is not { QuizJson: { } json } quiz) continue;
            var spec = JsonSerializer.Deserialize<QuizSpec>(json)!;
            if (quiz.ClosesAt is not { } closes || tx.Now >= closes || spec.Options.All(o => o.Id != click.ActionId)) continue;
            await engine.AnswerAsync(tx, appId, quiz, spec, click.UserId!.Value, click.UserExternalId, click.ActionId!, strict: false);
        }
    }
}
