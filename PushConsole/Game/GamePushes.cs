using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;
using PushConsole.Sending.Providers;

namespace PushConsole.Game;

/// <summary>
/// Sends the game's pushes as normal campaigns (origin game, so consent, categories, quiet hours and caps apply): the
/// completion push to each user who completed a challenge ("+50 points, you are 12th"), and after a quiz closes one
/// "the answer was B" push to everyone who answered. Each is claimed in the database before its campaign is made, so it
/// goes once even with several instances. Woken by completions and launches; polls as a safety net.
/// </summary>
public sealed class GamePushes(IDbContextFactory<AppDbContext> contexts, Database database, CampaignService campaigns, GameSignal signal,
    TimeProvider clock, ILogger<GamePushes> logger) : BackgroundService
{
    public static readonly Actor Agent = new("game");
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogError(e, "The game's push worker failed a round; it tries again"); }
            try { await signal.WaitAsync(Poll, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One round: pending completion pushes, then quizzes closed and not yet answered.</summary>
    public async Task RunOnceAsync(CancellationToken ct = default)
    {
        await CompletionsAsync(ct);
        await RevealsAsync(ct);
    }

    private async Task CompletionsAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = await (from p in db.Set<ChallengeProgress>()
                             where p.CompletedAt != null && p.NotifiedAt == null && p.AppUserId != null
                             join c in db.Set<Challenge>() on p.ChallengeId equals c.Id
                             join u in db.Set<Devices.AppUser>() on p.AppUserId equals u.Id
                             orderby p.Id
                             select new { Progress = p.Id, c.AppId, Challenge = c, User = u.ExternalId, UserKey = u.Id }).Take(100).ToListAsync(ct);
        foreach (var item in pending)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (await db.Set<ChallengeProgress>().Where(p => p.Id == item.Progress && p.NotifiedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.NotifiedAt, now), ct) == 0) continue;
            var audience = new AudienceSpec { UserIds = [item.User] };
            if (await CountAsync(item.AppId, audience, ct) == 0) continue;
            var points = await db.Set<GamePlayer>().Where(p => p.AppUserId == item.UserKey).Select(p => p.Points).FirstOrDefaultAsync(ct);
            var rank = 1 + await db.Set<GamePlayer>().LongCountAsync(p => p.AppId == item.AppId && p.Points > points, ct);
            var c = item.Challenge;
            var gained = c.Kind == ChallengeKind.Qr ? $"all {c.CodeCount} codes found" : $"+{c.Points} points";
            var badge = c.Badge is null ? "" : $", badge \"{c.Badge}\"";
            await SendAsync(c, $"Challenge complete: {c.Name}", $"{gained}{badge}, you are {Ordinal(rank)} with {points} points.", audience,
                $"game:{c.ExternalId}:completed:{item.User}", $"{c.Name} · completed by {item.User}", new Dictionary<string, string>
                {
                    ["challengeId"] = c.ExternalId, ["game"] = "completed", ["points"] = points.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["rank"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }, ct);
        }
    }

    private async Task RevealsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var closed = await db.Set<Challenge>().Where(c => c.Kind == ChallengeKind.Quiz && c.LaunchedAt != null && c.ClosesAt <= now && c.RevealedAt == null)
            .OrderBy(c => c.Id).Take(20).ToListAsync(ct);
        foreach (var quiz in closed)
        {
            if (await db.Set<Challenge>().Where(c => c.Id == quiz.Id && c.RevealedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.RevealedAt, now), ct) == 0) continue;
            var users = await (from a in db.Set<QuizAnswer>()
                               where a.ChallengeId == quiz.Id
                               join u in db.Set<Devices.AppUser>() on a.AppUserId equals u.Id
                               select u.ExternalId).Take(10_000).ToListAsync(ct);
            var audience = new AudienceSpec { UserIds = users };
            if (users.Count == 0 || await CountAsync(quiz.AppId, audience, ct) == 0) continue;
            var spec = ChallengeService.Quiz(quiz)!;
            var right = spec.Options.First(o => o.Id == spec.Correct);
            var campaign = await SendAsync(quiz, $"Quiz closed: {quiz.Name}", $"The correct answer was {right.Title}.", audience, $"game:quiz:{quiz.ExternalId}:answer",
                $"{quiz.Name} · the answer", new Dictionary<string, string> { ["challengeId"] = quiz.ExternalId, ["game"] = "answer", ["correct"] = right.Id }, ct);
            if (campaign is not null)
                await db.Set<Challenge>().Where(c => c.Id == quiz.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RevealCampaignId, campaign), ct);
        }
    }

    private async Task<long?> SendAsync(Challenge challenge, string title, string body, AudienceSpec audience, string originRef, string name,
        Dictionary<string, string> data, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var language = await db.Set<Apps.App>().Where(a => a.Id == challenge.AppId).Select(a => a.DefaultLanguage).FirstAsync(ct);
        try
        {
            var campaign = await campaigns.CreateAsync(new CampaignDraft
            {
                AppId = challenge.AppId,
                Name = Fit($"Game · {name}"),
                Audience = audience,
                Message = new CampaignMessage
                {
                    DefaultLanguage = language,
                    Variants = [new CampaignVariant { Key = "A", Content = new Dictionary<string, LocalizedContent> { [language] = new() { Title = Fit(title), Body = body, Data = data } } }],
                },
                Options = new DeliveryOptions { CollapseId = $"game-{challenge.Id}", TtlSeconds = 3600 },
                Origin = CampaignOrigin.Game,
                OriginRef = Fit(originRef),
            }, Agent, ct);
            return campaign.Id;
        }
        catch (Api.BadInputException e)
        {
            logger.LogWarning("The game push {Ref} was not sent: {Errors}", originRef, string.Join("; ", e.Errors.SelectMany(x => x.Value)));
            return null;
        }
    }

    private async Task<long> CountAsync(long appId, AudienceSpec audience, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        var where = AudienceSql.Where(database, appId, audience, PushType.Alert, parameters);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {AudienceSql.From} WHERE {where}", parameters, cancellationToken: ct));
    }

    public static string Ordinal(long n) => (n % 100) is 11 or 12 or 13 ? $"{n}th" : (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" };

    private static string Fit(string text) => text.Length > 200 ? text[..199] + "…" : text;
}
