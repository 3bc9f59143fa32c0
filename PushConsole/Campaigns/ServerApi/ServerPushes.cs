using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>The answer of <c>POST /v4/push</c>.</summary>
public sealed record PushAnswer(
    [property: JsonPropertyName("request_id")] string? RequestId,
    [property: JsonPropertyName("msg_id")] string MsgId);

/// <summary>
/// <c>POST /v4/push</c>: reads the push object, turns it into a "send now" campaign through <see cref="CampaignService"/>
/// (which validates and launches it) and answers its id. A request_id makes the call idempotent for 24 h.
/// </summary>
public sealed class ServerPushes(CampaignService campaigns, IdempotentRequests requests, IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public const string RequestOriginPrefix = "request:";

    public async Task<ApiAnswer> PushAsync(long appId, JsonElement body, Actor actor, CancellationToken ct)
    {
        var language = await DefaultLanguageAsync(contexts, appId, ct);
        var errors = new FieldErrors();
        var push = PushParser.Parse(body, "", language, errors);
        errors.ThrowIfAny();
        return await requests.RunAsync(appId, "push", push!.RequestId, async () =>
        {
            var campaign = await PushErrors.NamedAsync(push, () => campaigns.CreateAsync(new CampaignDraft
            {
                AppId = appId,
                Name = NameFor(push),
                Audience = push.Audience,
                Message = push.Message,
                Options = push.Options,
                ThrottlePerMinute = push.ThrottlePerMinute,
                PlanKey = push.PlanKey,
                Origin = CampaignOrigin.Api,
                // lets a replay find the campaign even if the first call died before storing its answer
                OriginRef = push.RequestId is null ? null : RequestOriginPrefix + push.RequestId,
            }, actor, ct));
            return Answer(push.RequestId, campaign.Id);
        }, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            var since = clock.GetUtcNow().UtcDateTime - IdempotentRequests.Window;
            var originRef = RequestOriginPrefix + push.RequestId;
            var made = await db.Set<Campaign>().Where(c => c.AppId == appId && c.Origin == CampaignOrigin.Api && c.OriginRef == originRef && c.CreatedAt >= since)
                .Select(c => (long?)c.Id).FirstOrDefaultAsync(token);
            return made is { } id ? Answer(push.RequestId, id) : null;
        }, ct);
    }

    private static string Answer(string? requestId, long campaignId) =>
        JsonSerializer.Serialize(new PushAnswer(requestId, campaignId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>How the campaigns list shows it: "API push: " and the start of its text.</summary>
    public static string NameFor(ParsedPush push)
    {
        var text = (push.Text ?? "").ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "API push" : $"API push: {(text.Length > 60 ? text[..60] + "…" : text)}";
    }

    public static async Task<string> DefaultLanguageAsync(IDbContextFactory<AppDbContext> contexts, long appId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<App>().Where(a => a.Id == appId).Select(a => a.DefaultLanguage).FirstOrDefaultAsync(ct) ?? "en";
    }
}
