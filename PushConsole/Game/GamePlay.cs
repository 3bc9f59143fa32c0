using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Sending;

namespace PushConsole.Game;

public sealed record ScanRequest(string? Code);

public sealed record AnswerRequest(string? ChallengeId, string? OptionId);

public sealed record ScanAnswer(int PointsAwarded, long Total);

public sealed record QuizAnswerResult(bool Correct, int PointsAwarded, long Total);

/// <summary>
/// What attendees do through the client API (scans, answers) and what organisers do to a quiz (launch, close). Every check
/// comes before the first write; the writes run in one registry transaction with the ledger.
/// </summary>
public sealed class GamePlay(RegistryWriter writer, IDbContextFactory<AppDbContext> contexts, QrCodes codes, GameEngine engine, GameSignal signal,
    CampaignService campaigns, IOptions<GameOptions> options, AuditLog audit, TimeProvider clock)
{
    public async Task<ScanAnswer> ScanAsync(long appId, string? userId, ScanRequest? body, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var user = DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        if (string.IsNullOrWhiteSpace(body?.Code)) errors.Add("code", "code is the text of the scanned QR code.");
        errors.ThrowIfAny();
        var scanned = await codes.VerifyAsync(appId, body!.Code, ct);
        var (cooldown, cap) = (options.Value.ScanCooldownSeconds, options.Value.DailyPointCapPerChallenge);
        return await writer.RunAsync($"{appId}/{user}", async tx =>
        {
            var hunt = await GameEngine.ChallengeAsync(tx, appId, scanned.ChallengeId);
            if (hunt is null || hunt.Kind != ChallengeKind.Qr || scanned.Number > hunt.CodeCount)
                throw new BadInputException("code", "This code belongs to no hunt of this app (the hunt may have been deleted).");
            if (!hunt.IsActive(tx.Now)) throw new BadInputException("code", $"The hunt \"{hunt.Name}\" is not running now; codes count only while it is active.");
            var userKey = await RegistryStore.EnsureUserAsync(tx, appId, user!);
            if (await tx.ScalarAsync("SELECT 1 FROM game_scans WHERE challenge_id = @p0 AND app_user_id = @p1 AND code = @p2", hunt.Id, userKey, scanned.Number) is not null)
                throw new ConflictException("code", "This user has already scanned this code; each code counts once.");
            if (cooldown > 0 && (await tx.QueryAsync("SELECT MAX(at) FROM game_scans WHERE app_id = @p0 AND app_user_id = @p1", r => RegistryTx.ReadTime(r, 0), appId, userKey))
                    .FirstOrDefault() is { } last && last > tx.Now.AddSeconds(-cooldown))
                throw new ConflictException("code", $"Scans are at least {cooldown} seconds apart; try again in {Math.Ceiling((last.AddSeconds(cooldown) - tx.Now).TotalSeconds)} s.");
            var points = hunt.Points;
            if (cap > 0)
            {
                var today = Convert.ToInt64(await tx.ScalarAsync("SELECT COALESCE(SUM(points), 0) FROM game_points WHERE app_user_id = @p0 AND challenge_id = @p1 AND at >= @p2",
                    userKey, hunt.Id, tx.Now.Date));
                points = (int)Math.Clamp(cap - today, 0, points);
            }
            if (await tx.ExecuteAsync("INSERT INTO game_scans (app_id, challenge_id, app_user_id, code, at) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                                      "ON CONFLICT (challenge_id, app_user_id, code) DO NOTHING", appId, hunt.Id, userKey, scanned.Number, tx.Now) == 0)
                throw new ConflictException("code", "This user has already scanned this code; each code counts once.");
            var award = await PointsLedger.AwardAsync(tx, appId, userKey, points, $"Found code {scanned.Number} of \"{hunt.Name}\"", $"qr:{hunt.Id}:{scanned.Number}", hunt.Id);
            await engine.AdvanceAsync(tx, appId, hunt, userKey, user, 1, hunt.CodeCount, 0);
            return new ScanAnswer(award.Awarded ? points : 0, await PointsLedger.TotalAsync(tx, userKey));
        });
    }

    public async Task<QuizAnswerResult> AnswerAsync(long appId, string? userId, AnswerRequest? body, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var user = DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        if (string.IsNullOrWhiteSpace(body?.ChallengeId)) errors.Add("challengeId", "challengeId is the quiz's id (the push carries it in its data).");
        if (string.IsNullOrWhiteSpace(body?.OptionId)) errors.Add("optionId", "optionId is the id of the chosen option.");
        errors.ThrowIfAny();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var quiz = await db.Set<Challenge>().AsNoTracking().FirstOrDefaultAsync(c => c.AppId == appId && c.ExternalId == body!.ChallengeId && c.Kind == ChallengeKind.Quiz, ct)
                       ?? throw new BadInputException("challengeId", $"There is no quiz \"{body!.ChallengeId}\" in this app.");
            var now = clock.GetUtcNow().UtcDateTime;
            if (!quiz.IsOpenQuiz(now))
                throw new BadInputException("challengeId", quiz.LaunchedAt is null ? "This quiz has not been launched yet." : "This quiz is closed; answers after the close get no points.");
            var spec = ChallengeService.Quiz(quiz)!;
            if (spec.Options.All(o => o.Id != body!.OptionId))
                throw new BadInputException("optionId", $"The quiz has no option \"{body!.OptionId}\"; it has {string.Join(", ", spec.Options.Select(o => o.Id))}.");
        }
        return await writer.RunAsync($"{appId}/{user}", async tx =>
        {
            var quiz = (await tx.QuerySingleAsync($"SELECT {ChallengeRow.Columns} FROM game_challenges WHERE app_id = @p0 AND external_id = @p1", ChallengeRow.Read, appId, body!.ChallengeId))!;
            if (quiz.ClosesAt is not { } closes || tx.Now >= closes) throw new BadInputException("challengeId", "This quiz is closed; answers after the close get no points.");
            var userKey = await RegistryStore.EnsureUserAsync(tx, appId, user!);
            var before = await PointsLedger.TotalAsync(tx, userKey);
            var correct = await engine.AnswerAsync(tx, appId, quiz, JsonSerializer.Deserialize<QuizSpec>(quiz.QuizJson!)!, userKey, user, body.OptionId!, strict: true);
            var total = await PointsLedger.TotalAsync(tx, userKey);
            return new QuizAnswerResult(correct, (int)(total - before), total);
        });
    }

    /// <summary>Sends the quiz (one campaign, origin game, consent applies) and opens it for <c>closes_in_seconds</c>; once per quiz.</summary>
    public async Task<LaunchAnswer> LaunchAsync(long appId, string id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var quiz = await ChallengeService.FindAsync(db, appId, id, ct);
        if (quiz.Kind != ChallengeKind.Quiz) throw new BadInputException("id", $"\"{id}\" is a {ChallengeParser.Name(quiz.Kind)} challenge; only quizzes are launched.");
        if (quiz.LaunchedAt is not null) throw new ConflictException("id", "This quiz has already been launched; create a new quiz to ask again.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (!quiz.IsActive(now)) throw new BadInputException("active_from", "The quiz is outside its active window; change active_from / active_until first.");
        var spec = ChallengeService.Quiz(quiz)!;
        var language = await db.Set<App>().Where(a => a.Id == appId).Select(a => a.DefaultLanguage).FirstAsync(ct);
        var errors = new FieldErrors();
        var parsed = QuizPush.Parse(spec, quiz.Name, language, errors);
        errors.ThrowIfAny();
        // claimed before sending: a second launch racing this one gets a 409 and sends nothing
        quiz.LaunchedAt = now;
        quiz.ClosesAt = now.AddSeconds(spec.ClosesInSeconds);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { throw new ConflictException("id", "This quiz has already been launched."); }
        try
        {
            var campaign = await PushErrors.NamedAsync(parsed!, () => campaigns.CreateAsync(new CampaignDraft
            {
                AppId = appId, Name = Fit($"Quiz · {quiz.Name}"), Audience = parsed!.Audience, Message = QuizPush.Message(parsed, spec, quiz),
                Options = parsed.Options with { TtlSeconds = Math.Min(parsed.Options.TtlSeconds, spec.ClosesInSeconds), CollapseId = parsed.Options.CollapseId ?? $"game-quiz-{quiz.Id}" },
                ThrottlePerMinute = parsed.ThrottlePerMinute, PlanKey = parsed.PlanKey,
                Origin = CampaignOrigin.Game, OriginRef = Fit($"game:quiz:{quiz.ExternalId}"),
            }, actor, ct));
            quiz.CampaignId = campaign.Id;
            audit.Add(db, actor, "challenge.launched", quiz.ExternalId, $"campaign {campaign.Id}, closes {quiz.ClosesAt:u}");
            await db.SaveChangesAsync(CancellationToken.None);
            signal.Wake();
            return new LaunchAnswer(quiz.ExternalId, campaign.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), quiz.ClosesAt.Value);
        }
        catch
        {
            // nothing was sent: the quiz can be launched again
            quiz.LaunchedAt = null;
            quiz.ClosesAt = null;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Closes an open quiz now (the console's button); the answer push follows.</summary>
    public async Task CloseAsync(long appId, string id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var quiz = await ChallengeService.FindAsync(db, appId, id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!quiz.IsOpenQuiz(now)) throw new ConflictException("id", "Only an open quiz can be closed.");
        quiz.ClosesAt = now;
        audit.Add(db, actor, "challenge.closed", quiz.ExternalId);
        await db.SaveChangesAsync(ct);
        signal.Wake();
    }

    private static string Fit(string text) => text.Length > 200 ? text[..199] + "…" : text;
}
