using System.Data.Common;
using PushConsole.Api;
using PushConsole.Devices;

namespace PushConsole.Game;

/// <summary>What the engine needs of a challenge, read inside the registry transaction.</summary>
public sealed record ChallengeRow(long Id, string ExternalId, string Name, ChallengeKind Kind, int Points, DateTime? ActiveFrom, DateTime? ActiveUntil,
    string? EventType, string? EventName, string? EventSessionId, string? EventGeofenceId, int EventCount, int CodeCount,
    DateTime? LaunchedAt, DateTime? ClosesAt, string? QuizJson)
{
    public const string Columns = "id, external_id, name, kind, points, active_from, active_until, event_type, event_name, event_session_id, event_geofence_id, " +
                                  "event_count, code_count, launched_at, closes_at, quiz_json";

    public static ChallengeRow Read(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), (ChallengeKind)r.GetInt32(3), r.GetInt32(4),
        RegistryTx.ReadTime(r, 5), RegistryTx.ReadTime(r, 6), RegistryTx.ReadString(r, 7), RegistryTx.ReadString(r, 8), RegistryTx.ReadString(r, 9),
        RegistryTx.ReadString(r, 10), r.GetInt32(11), r.GetInt32(12), RegistryTx.ReadTime(r, 13), RegistryTx.ReadTime(r, 14), RegistryTx.ReadString(r, 15));

    public bool IsActive(DateTime now) => (ActiveFrom is null || ActiveFrom <= now) && (ActiveUntil is null || now < ActiveUntil);

    public bool Matches(StoredClientEvent e) =>
        e.Type == EventType && (EventName is null || e.Name == EventName) && (EventSessionId is null || e.SessionId == EventSessionId)
        && (EventGeofenceId is null || e.GeofenceId == EventGeofenceId);
}

/// <summary>
/// Progress, completion and answers, inside the registry writer's transaction (the same one that stores the event, scan or
/// answer): a completion awards its points, marks the progress row for the completion push and publishes
/// <c>challenge_completed</c> to the client-event sinks, all or nothing.
/// </summary>
public sealed class GameEngine(IServiceProvider services, GameSignal signal)
{
    // resolved late: the game's own sink is one of them (a challenge may count completions of others)
    private IEnumerable<IClientEventSink>? _sinks;

    public static async Task<ChallengeRow?> ChallengeAsync(RegistryTx tx, long appId, long id) =>
        await tx.QuerySingleAsync($"SELECT {ChallengeRow.Columns} FROM game_challenges WHERE id = @p0 AND app_id = @p1", ChallengeRow.Read, id, appId);

    /// <summary>Adds <paramref name="by"/> to the user's count; completes at <paramref name="target"/>. Returns the count.</summary>
    public async Task<int> AdvanceAsync(RegistryTx tx, long appId, ChallengeRow challenge, long userKey, string? user, int by, int target, int completionPoints)
    {
        await tx.ExecuteAsync(
            "INSERT INTO game_progress (app_id, challenge_id, app_user_id, count, updated_at) VALUES (@p0, @p1, @p2, @p3, @p4) " +
            "ON CONFLICT (challenge_id, app_user_id) DO UPDATE SET count = game_progress.count + excluded.count, updated_at = excluded.updated_at",
            appId, challenge.Id, userKey, by, tx.Now);
        var count = Convert.ToInt32(await tx.ScalarAsync("SELECT count FROM game_progress WHERE challenge_id = @p0 AND app_user_id = @p1", challenge.Id, userKey));
        if (count >= target) await CompleteAsync(tx, appId, challenge, userKey, user, completionPoints);
        return count;
    }

    /// <summary>Once per user and challenge: points (when any), the mark for the completion push, and <c>challenge_completed</c>.</summary>
    public async Task CompleteAsync(RegistryTx tx, long appId, ChallengeRow challenge, long userKey, string? user, int points)
    {
        var first = await tx.ExecuteAsync("UPDATE game_progress SET completed_at = @p2, updated_at = @p2 WHERE challenge_id = @p0 AND app_user_id = @p1 AND completed_at IS NULL",
            challenge.Id, userKey, tx.Now);
        if (first == 0) return;
        if (points > 0) await PointsLedger.AwardAsync(tx, appId, userKey, points, $"Completed \"{Clip(challenge.Name)}\"", $"challenge:{challenge.Id}", challenge.Id);
        user ??= await tx.ScalarAsync("SELECT external_id FROM app_users WHERE id = @p0", userKey) as string;
        IReadOnlyList<StoredClientEvent> completed = [new StoredClientEvent(null, userKey, ClientEventTypes.ChallengeCompleted, tx.Now) { UserExternalId = user, Name = challenge.ExternalId }];
        foreach (var sink in _sinks ??= services.GetServices<IClientEventSink>()) await sink.OnStoredAsync(tx, appId, completed);
        signal.Wake();
    }

    /// <summary>
    /// A quiz answer: the first per user counts; a right one completes the quiz with its points. <paramref name="strict"/> (the API)
    /// refuses a second answer with 409; a click that repeats is ignored.
    /// </summary>
    public async Task<bool> AnswerAsync(RegistryTx tx, long appId, ChallengeRow quiz, QuizSpec spec, long userKey, string? user, string optionId, bool strict)
    {
        var correct = optionId == spec.Correct;
        var added = await tx.ExecuteAsync(
            "INSERT INTO game_answers (app_id, challenge_id, app_user_id, option_id, correct, at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5) " +
            "ON CONFLICT (challenge_id, app_user_id) DO NOTHING", appId, quiz.Id, userKey, optionId, correct, tx.Now);
        if (added == 0)
        {
            if (strict) throw new ConflictException("optionId", "This user has already answered this quiz; only the first answer counts.");
            return false;
        }
        signal.Answered(quiz.Id);
        if (correct) await AdvanceAsync(tx, appId, quiz, userKey, user, 1, 1, quiz.Points);
        return correct;
    }

    private static string Clip(string text) => text.Length > 150 ? text[..150] + "…" : text;
}
