namespace PushConsole.Game;

/// <summary>
/// Gives points: what automations' <c>points</c> step and the game's challenges call. Each award has a reason and a key
/// unique per app and user (e.g. <c>automation:12:run:345:step:2.then.0</c>), so a retry or a race never counts twice.
/// </summary>
public interface IPointsLedger
{
    Task<PointsAward> AwardAsync(long appId, string userId, int points, string reason, string awardKey, CancellationToken ct = default);
}

/// <summary><see cref="Awarded"/> is false when the key had already been used (nothing changed); <see cref="Total"/> is the user's total after it.</summary>
public sealed record PointsAward(bool Awarded, long Total);
