using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns.BestTime;
using Quartz;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns;

public static class CampaignsRegistration
{
    public static WebApplicationBuilder AddCampaigns(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<CampaignDraftValidator>();
        services.AddSingleton<CampaignService>();
        services.AddSingleton<CampaignControl>();
        services.AddSingleton<ISendingFeedback>(sp => sp.GetRequiredService<CampaignControl>());
        services.AddSingleton<Audience.ISegmentUsage, CampaignSegmentUsage>();
        services.AddSingleton<CampaignQueries>();
        services.AddSingleton<Pages.CampaignSearch>();
        services.AddBestTime();
        return builder;
    }

    public sealed record ThrottleRequest(int? ThrottlePerMinute);

    /// <summary>Server API controls of a sending campaign (msg_id = campaign id).</summary>
    public static WebApplication MapCampaigns(this WebApplication app)
    {
        var group = app.MapGroup("/v4/messages/{msgId:long}").RequireAuthorization(Policies.ServerApi).WithTags("Server API");
        group.MapGet("", async (long msgId, ClaimsPrincipal caller, CampaignService campaigns, PlanService plans, DeliveryStatistics statistics, CancellationToken ct) =>
        {
            var campaign = await campaigns.GetAsync(msgId, caller.GetAppId(), ct);
            var planKey = campaign.PlanId is { } planId ? (await plans.FindAsync(planId, ct))?.PlanKey : null;
            return TypedResults.Ok(new ServerApi.MessageView(campaign, planKey, await statistics.ForCampaignAsync(campaign.Id, ct)));
        }).WithSummary("A message's status and counters (targets, sent, failed, invalid_token, received, opened…), by platform, provider and A/B variant.");
        group.MapPost("/pause", async (long msgId, ClaimsPrincipal caller, CampaignControl control, CancellationToken ct) =>
        {
            await control.PauseAsync(msgId, caller.GetAppId(), Caller(caller), "paused through the server API", ct);
            return TypedResults.NoContent();
        }).WithSummary("Pause a sending message: pending deliveries are held within one batch.");
        group.MapPost("/resume", async (long msgId, ClaimsPrincipal caller, CampaignControl control, CancellationToken ct) =>
        {
            await control.ResumeAsync(msgId, caller.GetAppId(), Caller(caller), ct);
            return TypedResults.NoContent();
        }).WithSummary("Resume a paused message.");
        group.MapPost("/cancel", async (long msgId, ClaimsPrincipal caller, CampaignControl control, CancellationToken ct) =>
        {
            await control.CancelAsync(msgId, caller.GetAppId(), Caller(caller), ct);
            return TypedResults.NoContent();
        }).WithSummary("Cancel a scheduled or sending message: nothing more is sent.");
        group.MapPut("/throttle", async (long msgId, ThrottleRequest body, ClaimsPrincipal caller, CampaignControl control, CancellationToken ct) =>
        {
            await control.SetThrottleAsync(msgId, caller.GetAppId(), body.ThrottlePerMinute, Caller(caller), ct);
            return TypedResults.NoContent();
        }).WithSummary("Set (or with null remove) a message's throttle in messages per minute.");
        return app;
    }

    private static Actor Caller(ClaimsPrincipal caller) => new($"api:{caller.Identity?.Name}");
}
