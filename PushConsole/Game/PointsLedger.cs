using PushConsole.Api;
using PushConsole.Devices;

namespace PushConsole.Game;

/// <summary>
/// The points ledger. An award is one row unique per (app, user, key), inserted with ON CONFLICT DO NOTHING, and the
/// player's total moves in the same transaction only when the row went in: a retry or two racing requests count once.
/// Runs on the registry writer, so awards from client events (sinks) and from the API share its batches.
/// </summary>
public sealed class PointsLedger(RegistryWriter writer) : IPointsLedger
{
    public const int MaxPoints = 100_000;

    public async Task<PointsAward> AwardAsync(long appId, string userId, int points, string reason, string awardKey, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var user = DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        Check(errors, points, reason, awardKey);
        errors.ThrowIfAny();
        return await writer.RunAsync($"{appId}/{user}", async tx =>
        {
            var userKey = await RegistryStore.EnsureUserAsync(tx, appId, user!);
            return await AwardAsync(tx, appId, userKey, points, reason, awardKey, null);
        }).WaitAsync(ct);
    }

    public static void Check(FieldErrors errors, int points, string? reason, string? awardKey)
    {
        if (points is < 0 or > MaxPoints) errors.Add("points", $"points is between 0 and {MaxPoints}.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200) errors.Add("reason", "reason says why (1 to 200 characters).");
        if (string.IsNullOrWhiteSpace(awardKey) || awardKey.Length > 200) errors.Add("awardKey", "awardKey names the award uniquely per user (1 to 200 characters).");
    }

    /// <summary>The award inside a registry transaction (sinks, scans, answers): the ledger row, then the total when the row is new.</summary>
    public static async Task<PointsAward> AwardAsync(RegistryTx tx, long appId, long userKey, int points, string reason, string awardKey, long? challengeId)
    {
        var added = await tx.ExecuteAsync(
            "INSERT INTO game_points (app_id, app_user_id, award_key, reason, points, challenge_id, at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6) " +
            "ON CONFLICT (app_id, app_user_id, award_key) DO NOTHING", appId, userKey, awardKey, reason, points, challengeId, tx.Now);
        if (added > 0)
            await tx.ExecuteAsync(
                "INSERT INTO game_players (app_user_id, app_id, points, leaderboard, updated_at) VALUES (@p0, @p1, @p2, FALSE, @p3) " +
                "ON CONFLICT (app_user_id) DO UPDATE SET points = game_players.points + excluded.points, updated_at = excluded.updated_at",
                userKey, appId, (long)points, tx.Now);
        return new PointsAward(added > 0, await TotalAsync(tx, userKey));
    }

    public static async Task<long> TotalAsync(RegistryTx tx, long userKey) =>
        await tx.ScalarAsync("SELECT points FROM game_players WHERE app_user_id = @p0", userKey) is { } total ? Convert.ToInt64(total) : 0;

    /// <summary>The leaderboard choice from the user's preferences (<c>"leaderboard": true|false</c>).</summary>
    public static Task SetLeaderboardAsync(RegistryTx tx, long appId, long userKey, bool shown) =>
        tx.ExecuteAsync(
            "INSERT INTO game_players (app_user_id, app_id, points, leaderboard, updated_at) VALUES (@p0, @p1, 0, @p2, @p3) " +
            "ON CONFLICT (app_user_id) DO UPDATE SET leaderboard = excluded.leaderboard", userKey, appId, shown, tx.Now);
}
