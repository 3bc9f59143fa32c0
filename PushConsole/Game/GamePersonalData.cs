using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Game;

/// <summary>
/// Points, scans and answers are personal data. Erasure deletes the user's ledger entries and total; progress, scans and
/// answers lose their user (anonymous), so challenge counts and quiz charts stay true.
/// </summary>
public sealed class GamePersonalData(IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "game";

    public sealed record AwardExport(string Reason, int Points, DateTime At);

    public sealed record GameExport(long Points, bool Leaderboard, IReadOnlyList<AwardExport> Awards, IReadOnlyList<string> CompletedChallenges);

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var player = await db.Set<GamePlayer>().AsNoTracking().FirstOrDefaultAsync(p => p.AppUserId == subject.AppUserId, ct);
        var awards = await db.Set<PointsEntry>().Where(p => p.AppUserId == subject.AppUserId).OrderBy(p => p.Id)
            .Select(p => new AwardExport(p.Reason, p.Points, p.At)).ToListAsync(ct);
        var completed = await (from p in db.Set<ChallengeProgress>()
                               where p.AppUserId == subject.AppUserId && p.CompletedAt != null
                               join c in db.Set<Challenge>() on p.ChallengeId equals c.Id
                               select c.ExternalId).ToListAsync(ct);
        return player is null && awards.Count == 0 ? null : new GameExport(player?.Points ?? 0, player?.Leaderboard ?? false, awards, completed);
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Set<PointsEntry>().Where(p => p.AppUserId == subject.AppUserId).ExecuteDeleteAsync(ct);
        await db.Set<GamePlayer>().Where(p => p.AppUserId == subject.AppUserId).ExecuteDeleteAsync(ct);
        await db.Set<ChallengeProgress>().Where(p => p.AppUserId == subject.AppUserId).ExecuteUpdateAsync(s => s.SetProperty(p => p.AppUserId, (long?)null), ct);
        await db.Set<QrScan>().Where(p => p.AppUserId == subject.AppUserId).ExecuteUpdateAsync(s => s.SetProperty(p => p.AppUserId, (long?)null), ct);
        await db.Set<QuizAnswer>().Where(p => p.AppUserId == subject.AppUserId).ExecuteUpdateAsync(s => s.SetProperty(p => p.AppUserId, (long?)null), ct);
        await tx.CommitAsync(ct);
    }
}
