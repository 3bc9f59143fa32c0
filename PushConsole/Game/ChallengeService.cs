using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Game;

/// <summary><c>/v4/challenges</c> and the console's challenge pages: everything is checked before anything is stored.</summary>
public sealed class ChallengeService(IDbContextFactory<AppDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public async Task<ChallengeView> CreateAsync(long appId, JsonElement body, Actor actor, CancellationToken ct = default)
    {
        var input = await ParseAsync(appId, body, null, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Set<Challenge>().AnyAsync(c => c.AppId == appId && c.ExternalId == input.Id, ct))
            throw new ConflictException("id", $"There is already a challenge \"{input.Id}\"; change it with PUT /v4/challenges/{input.Id} or choose another id.");
        var now = clock.GetUtcNow().UtcDateTime;
        var challenge = new Challenge { AppId = appId, ExternalId = input.Id, Name = input.Name, CreatedBy = actor.Name, CreatedAt = now };
        Apply(challenge, input, now);
        db.Add(challenge);
        audit.Add(db, actor, "challenge.created", challenge.ExternalId, $"{ChallengeParser.Name(challenge.Kind)}, {challenge.Points} points");
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            if (await ExistsAsync(appId, input.Id, ct)) throw new ConflictException("id", $"There is already a challenge \"{input.Id}\".");
            throw;
        }
        return await GetAsync(appId, input.Id, ct);
    }

    public async Task<ChallengeView> UpdateAsync(long appId, string id, JsonElement body, Actor actor, CancellationToken ct = default)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("id", out var given) && given.ValueKind == JsonValueKind.String && given.GetString() != id)
            throw new BadInputException("id", $"The body's id \"{given.GetString()}\" is not the challenge's id \"{id}\"; ids cannot change.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var challenge = await FindAsync(db, appId, id, ct);
        var input = await ParseAsync(appId, body, id, ct);
        if (challenge.LaunchedAt is not null && (input.Kind != ChallengeKind.Quiz || JsonSerializer.Serialize(input.Quiz) != challenge.QuizJson))
            throw new ConflictException("quiz", "This quiz has been launched; its question and options can no longer change. Create a new quiz instead.");
        var now = clock.GetUtcNow().UtcDateTime;
        Apply(challenge, input, now);
        audit.Add(db, actor, "challenge.updated", challenge.ExternalId, $"{ChallengeParser.Name(challenge.Kind)}, {challenge.Points} points");
        await db.SaveChangesAsync(ct);
        return await GetAsync(appId, id, ct);
    }

    /// <summary>Removes the challenge with its progress, scans and answers; points already given stay in the ledger.</summary>
    public async Task DeleteAsync(long appId, string id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var challenge = await FindAsync(db, appId, id, ct);
        await db.Set<ChallengeProgress>().Where(p => p.ChallengeId == challenge.Id).ExecuteDeleteAsync(ct);
        await db.Set<QrScan>().Where(p => p.ChallengeId == challenge.Id).ExecuteDeleteAsync(ct);
        await db.Set<QuizAnswer>().Where(p => p.ChallengeId == challenge.Id).ExecuteDeleteAsync(ct);
        await db.Set<PointsEntry>().Where(p => p.ChallengeId == challenge.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.ChallengeId, (long?)null), ct);
        db.Remove(challenge);
        audit.Add(db, actor, "challenge.deleted", challenge.ExternalId);
        await db.SaveChangesAsync(ct);
    }

    public async Task<ChallengeView> GetAsync(long appId, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var challenge = await FindAsync(db, appId, id, ct);
        return (await ViewsAsync(db, [challenge], ct))[0];
    }

    public async Task<ChallengeList> ListAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var challenges = await db.Set<Challenge>().AsNoTracking().Where(c => c.AppId == appId).OrderByDescending(c => c.Id).ToListAsync(ct);
        return new ChallengeList(await ViewsAsync(db, challenges, ct));
    }

    /// <summary>Row ids by challenge id (the console's links).</summary>
    public async Task<Dictionary<string, long>> RowIdsAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Challenge>().Where(c => c.AppId == appId).ToDictionaryAsync(c => c.ExternalId, c => c.Id, ct);
    }

    /// <summary>A challenge by row id (the console's pages), null when gone.</summary>
    public async Task<Challenge?> ByRowAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Challenge>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
    }

    public static async Task<Challenge> FindAsync(AppDbContext db, long appId, string id, CancellationToken ct) =>
        await db.Set<Challenge>().FirstOrDefaultAsync(c => c.AppId == appId && c.ExternalId == id, ct)
        ?? throw new NotFoundException($"There is no challenge \"{id}\" in this app.");

    public static QuizSpec? Quiz(Challenge c) => c.QuizJson is null ? null : JsonSerializer.Deserialize<QuizSpec>(c.QuizJson);

    public static IReadOnlyList<string> Hints(Challenge c) => c.HintsJson is null ? [] : JsonSerializer.Deserialize<List<string>>(c.HintsJson) ?? [];

    public static string QuizStatus(Challenge c, DateTime now) => c.LaunchedAt is null ? "draft" : c.ClosesAt > now ? "open" : "closed";

    private async Task<ChallengeInput> ParseAsync(long appId, JsonElement body, string? id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var language = await db.Set<App>().Where(a => a.Id == appId).Select(a => a.DefaultLanguage).FirstAsync(ct);
        var errors = new FieldErrors();
        var input = ChallengeParser.Parse(body, language, errors, id);
        errors.ThrowIfAny();
        return input!;
    }

    private async Task<bool> ExistsAsync(long appId, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Challenge>().AnyAsync(c => c.AppId == appId && c.ExternalId == id, ct);
    }

    private static void Apply(Challenge c, ChallengeInput input, DateTime now)
    {
        c.Name = input.Name;
        c.Kind = input.Kind;
        c.Points = input.Points;
        c.ActiveFrom = input.ActiveFrom;
        c.ActiveUntil = input.ActiveUntil;
        c.Badge = input.Badge;
        c.EventType = input.EventType;
        c.EventName = input.EventName;
        c.EventSessionId = input.EventSessionId;
        c.EventGeofenceId = input.EventGeofenceId;
        c.EventCount = input.EventCount;
        c.CodeCount = input.Codes;
        c.HintsJson = input.Kind == ChallengeKind.Qr ? JsonSerializer.Serialize(input.Hints) : null;
        c.QuizJson = input.Quiz is null ? null : JsonSerializer.Serialize(input.Quiz);
        c.UpdatedAt = now;
    }

    private async Task<List<ChallengeView>> ViewsAsync(AppDbContext db, IReadOnlyList<Challenge> challenges, CancellationToken ct)
    {
        var ids = challenges.Select(c => c.Id).ToList();
        var progress = await db.Set<ChallengeProgress>().Where(p => ids.Contains(p.ChallengeId))
            .GroupBy(p => p.ChallengeId).Select(g => new { g.Key, Participants = g.LongCount(), Completions = g.LongCount(p => p.CompletedAt != null) })
            .ToDictionaryAsync(g => g.Key, ct);
        var answers = await db.Set<QuizAnswer>().Where(a => ids.Contains(a.ChallengeId))
            .GroupBy(a => new { a.ChallengeId, a.OptionId }).Select(g => new { g.Key.ChallengeId, g.Key.OptionId, Count = g.LongCount() }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return challenges.Select(c =>
        {
            var quiz = Quiz(c);
            var p = progress.GetValueOrDefault(c.Id);
            var answered = answers.Where(a => a.ChallengeId == c.Id).ToDictionary(a => a.OptionId, a => a.Count);
            return new ChallengeView(c.ExternalId, c.Name, ChallengeParser.Name(c.Kind), c.Points, c.ActiveFrom, c.ActiveUntil, c.Badge,
                c.Kind == ChallengeKind.Events ? new EventsView(new EventMatchView(c.EventType, c.EventName, c.EventSessionId, c.EventGeofenceId), c.EventCount) : null,
                c.Kind == ChallengeKind.Qr ? c.CodeCount : null,
                c.Kind == ChallengeKind.Qr ? Hints(c) : null,
                quiz is null ? null : new QuizView(quiz.Question, quiz.Options.Select(o => new QuizOptionView(o.Id, o.Title, answered.GetValueOrDefault(o.Id))).ToList(),
                    quiz.Correct, quiz.ClosesInSeconds, ChallengeParser.Node(quiz.To), ChallengeParser.Node(quiz.Push), QuizStatus(c, now), c.LaunchedAt, c.ClosesAt,
                    c.CampaignId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                c.Kind == ChallengeKind.Quiz ? answered.Values.Sum() : p?.Participants ?? 0, p?.Completions ?? 0, c.CreatedAt, c.UpdatedAt);
        }).ToList();
    }
}
