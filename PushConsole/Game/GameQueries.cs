using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Game;

public sealed record ChallengeProgressView(string Id, string Name, string Kind, int Points, string? Badge, int Progress, int Target, bool Completed,
    DateTime? CompletedAt, DateTime? ActiveFrom, DateTime? ActiveUntil, string? Answer, DateTime? ClosesAt);

public sealed record UserGameView(string UserId, long Points, long? Rank, long Players, IReadOnlyList<string> Badges, IReadOnlyList<ChallengeProgressView> Challenges);

public sealed record LeaderboardEntry(long Rank, string DisplayName, long Points, bool Named);

public sealed record Leaderboard(IReadOnlyList<LeaderboardEntry> Entries, long Players, long Named, string? Day);

/// <summary>Totals, ranks and leaderboards from the ledger's maintained totals (<c>game_players</c>); a day's board sums that day's ledger.</summary>
public sealed class GameQueries(Database database, IDbContextFactory<AppDbContext> contexts)
{
    public const int MaxLimit = 100;

    /// <summary>A user's points, rank (1 + those with more; ties share), badges and every challenge with their progress.</summary>
    public async Task<UserGameView> ForUserAsync(long appId, string? userId, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var user = DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var userKey = await db.Set<AppUser>().Where(u => u.AppId == appId && u.ExternalId == user).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct);
        var points = userKey is null ? 0 : await db.Set<GamePlayer>().Where(p => p.AppUserId == userKey).Select(p => p.Points).FirstOrDefaultAsync(ct);
        var players = await db.Set<GamePlayer>().LongCountAsync(p => p.AppId == appId && p.Points > 0, ct);
        long? rank = points > 0 ? 1 + await db.Set<GamePlayer>().LongCountAsync(p => p.AppId == appId && p.Points > points, ct) : null;
        var challenges = await db.Set<Challenge>().AsNoTracking().Where(c => c.AppId == appId).OrderBy(c => c.Id).ToListAsync(ct);
        var progress = userKey is null ? [] : await db.Set<ChallengeProgress>().AsNoTracking().Where(p => p.AppUserId == userKey).ToListAsync(ct);
        var answers = userKey is null ? [] : await db.Set<QuizAnswer>().AsNoTracking().Where(a => a.AppUserId == userKey).ToListAsync(ct);
        var views = challenges
            .Where(c => c.Kind != ChallengeKind.Quiz || c.LaunchedAt is not null)
            .Select(c =>
            {
                var p = progress.FirstOrDefault(x => x.ChallengeId == c.Id);
                var target = c.Kind switch { ChallengeKind.Events => c.EventCount, ChallengeKind.Qr => c.CodeCount, _ => 1 };
                return new ChallengeProgressView(c.ExternalId, c.Name, ChallengeParser.Name(c.Kind), c.Points, c.Badge, Math.Min(p?.Count ?? 0, target), target,
                    p?.CompletedAt is not null, p?.CompletedAt, c.ActiveFrom, c.ActiveUntil, answers.FirstOrDefault(a => a.ChallengeId == c.Id)?.OptionId,
                    c.Kind == ChallengeKind.Quiz ? c.ClosesAt : null);
            }).ToList();
        var badges = challenges.Where(c => c.Badge is not null && progress.Any(p => p.ChallengeId == c.Id && p.CompletedAt is not null)).Select(c => c.Badge!).Distinct().ToList();
        return new UserGameView(user!, points, rank, players, badges, views);
    }

    /// <summary>
    /// The top <paramref name="limit"/> (overall, or of one UTC day when <paramref name="day"/> is given). Only players whose preferences say
    /// <c>"leaderboard": true</c> are named; the others appear as "Attendee #id" and are counted.
    /// </summary>
    public async Task<Leaderboard> LeaderboardAsync(long appId, int limit, DateOnly? day, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxLimit) throw new BadInputException("limit", $"limit is between 1 and {MaxLimit}.");
        await using var connection = await database.OpenAsync(ct);
        var totals = day is null
            ? "SELECT app_user_id, points, updated_at AS reached FROM game_players WHERE app_id = @app AND points > 0"
            : "SELECT app_user_id, SUM(points) AS points, MAX(at) AS reached FROM game_points WHERE app_id = @app AND at >= @from AND at < @until GROUP BY app_user_id HAVING SUM(points) > 0";
        var from = day?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var parameters = new { app = appId, from, until = from?.AddDays(1), limit };
        var rows = (await connection.QueryAsync<(long UserKey, long Points, string? Name, bool Shown)>(new CommandDefinition(
            $"SELECT t.app_user_id, t.points, u.display_name, COALESCE(g.leaderboard, FALSE) FROM ({totals}) t " +
            "JOIN app_users u ON u.id = t.app_user_id LEFT JOIN game_players g ON g.app_user_id = t.app_user_id " +
            "ORDER BY t.points DESC, t.reached, t.app_user_id LIMIT @limit", parameters, cancellationToken: ct))).ToList();
        var counts = await connection.QuerySingleAsync<(long Players, long Named)>(new CommandDefinition(
            $"SELECT COUNT(*), COALESCE(SUM(CASE WHEN g.leaderboard THEN 1 ELSE 0 END), 0) FROM ({totals}) t LEFT JOIN game_players g ON g.app_user_id = t.app_user_id",
            parameters, cancellationToken: ct));
        var entries = new List<LeaderboardEntry>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (userKey, points, name, shown) = rows[i];
            var rank = i > 0 && rows[i - 1].Points == points ? entries[i - 1].Rank : i + 1;
            entries.Add(new LeaderboardEntry(rank, shown ? name ?? Anonymous(userKey) : Anonymous(userKey), points, shown));
        }
        return new Leaderboard(entries, counts.Players, counts.Named, day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string Anonymous(long userKey) => $"Attendee #{userKey}";

    /// <summary>Answers per option of a quiz (the live chart).</summary>
    public async Task<Dictionary<string, long>> AnswersAsync(long quizId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<QuizAnswer>().Where(a => a.ChallengeId == quizId).GroupBy(a => a.OptionId)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }
}
