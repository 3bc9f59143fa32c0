using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PushConsole.Accounts;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>The EngageLab-shaped server API for back-ends (Basic appKey:masterSecret): push, schedules, push plans and their statistics.</summary>
public static class ServerApiRegistration
{
    public const string ReplayHeader = "X-Request-Replayed";

    public static WebApplicationBuilder AddServerApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IdempotentRequests>();
        services.AddSingleton<ServerPushes>();
        services.AddSingleton<ServerSchedules>();
        services.AddSingleton<PlanService>();
        services.AddSingleton<DeliveryStatistics>();
        return builder;
    }

    public static WebApplication MapServerApi(this WebApplication app)
    {
        var api = app.MapGroup("/v4").RequireAuthorization(Policies.ServerApi).WithTags("Server API");

        api.MapPost("/push", async (HttpContext http, ClaimsPrincipal caller, ServerPushes pushes, CancellationToken ct) =>
            {
                using var body = await ServerApiJson.ReadAsync(http.Request, ct);
                return Answer(http, await pushes.PushAsync(caller.GetAppId(), body.RootElement, Caller(caller, http), ct));
            })
            .Accepts<PushObjectSchema>("application/json").Produces<PushAnswer>().ProducesValidationProblem()
            .WithSummary("Send a push now: {\"request_id\", \"msg_id\"}; msg_id is the message (campaign) id.")
            .WithDescription("Bad input is a 400 naming the field by its path (to.registration_id, body.options.time_to_live…) and sends nothing. " +
                             $"A request_id seen within 24 h returns the first answer (header {ReplayHeader}: true) and sends nothing.");

        var schedules = api.MapGroup("/schedules");
        schedules.MapPost("", async (HttpContext http, ClaimsPrincipal caller, ServerSchedules service, CancellationToken ct) =>
            {
                using var body = await ServerApiJson.ReadAsync(http.Request, ct);
                return Answer(http, await service.CreateAsync(caller.GetAppId(), body.RootElement, Caller(caller, http), ct));
            })
            .Accepts<ScheduleSchema>("application/json").Produces<ScheduleAnswer>().ProducesValidationProblem()
            .WithSummary("Schedule a push: trigger.single (zone_type 1 UTC, 2 each recipient's wall time) or trigger.intelligent (best hour, backup_time).");
        schedules.MapGet("", async (int? page, int? page_size, ClaimsPrincipal caller, ServerSchedules service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(caller.GetAppId(), page ?? 1, page_size ?? 50, ct)))
            .WithSummary("The app's schedules, newest first.");
        schedules.MapGet("/{schedule_id}", async (string schedule_id, ClaimsPrincipal caller, ServerSchedules service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(caller.GetAppId(), schedule_id, ct)))
            .WithSummary("A schedule as sent, with its message id and status.");
        schedules.MapPut("/{schedule_id}", async (string schedule_id, HttpContext http, ClaimsPrincipal caller, ServerSchedules service, CancellationToken ct) =>
            {
                using var body = await ServerApiJson.ReadAsync(http.Request, ct);
                return TypedResults.Ok(await service.UpdateAsync(caller.GetAppId(), schedule_id, body.RootElement, Caller(caller, http), ct));
            })
            .Accepts<ScheduleSchema>("application/json").ProducesValidationProblem()
            .WithSummary("Change a schedule before it fires (the parts given replace the stored ones); 409 once it has fired.");
        schedules.MapDelete("/{schedule_id}", async (string schedule_id, HttpContext http, ClaimsPrincipal caller, ServerSchedules service, CancellationToken ct) =>
            {
                await service.DeleteAsync(caller.GetAppId(), schedule_id, Caller(caller, http), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Cancel a schedule before it fires; 409 once it has fired (then use POST /v4/messages/{msg_id}/cancel).");

        var plans = api.MapGroup("/push_plan");
        plans.MapPost("", async (PlanRequest body, HttpContext http, ClaimsPrincipal caller, PlanService service, CancellationToken ct) =>
            {
                var plan = await service.CreateAsync(caller.GetAppId(), body.PlanId, body.PlanDescription, Caller(caller, http), ct);
                return TypedResults.Ok(new PlanView(plan.PlanKey, plan.Description, plan.CreatedAt));
            })
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a push plan; messages name it in options.plan_id. A duplicate plan_id is a 409.");
        plans.MapGet("", async (ClaimsPrincipal caller, PlanService service, CancellationToken ct) =>
                TypedResults.Ok(new PlanList((await service.ListAsync(caller.GetAppId(), ct))
                    .Select(p => new PlanView(p.PlanKey, p.Description, p.CreatedAt, p.Campaigns)).ToList())))
            .WithSummary("The app's push plans, newest first, with how many messages each has.");
        plans.MapGet("/stats", async (string? plan_ids, ClaimsPrincipal caller, PlanService service, DeliveryStatistics statistics, CancellationToken ct) =>
            {
                var keys = (plan_ids ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
                if (keys.Count == 0) throw new BadInputException("plan_ids", "List the plans, e.g. ?plan_ids=promo_year_end_2025,spring_2026.");
                if (keys.Count > 100) throw new BadInputException("plan_ids", "Ask for at most 100 plans at a time.");
                var found = await service.ByKeysAsync(caller.GetAppId(), keys, ct);
                var stats = await statistics.ForPlansAsync(found.Select(p => p.Id).ToList(), ct);
                return TypedResults.Ok(new PlanStatsList(found.Select(p => new PlanStatsView(stats[p.Id], p.PlanKey)).ToList()));
            })
            .ProducesValidationProblem()
            .WithSummary("Statistics per plan: targets, sent, failed, invalid_token, received, opened, by_platform, by_provider, by_message_type.");
        return app;
    }

    /// <summary>The stored JSON answer (the first one, for a replayed request_id).</summary>
    private static ContentHttpResult Answer(HttpContext http, ApiAnswer answer)
    {
        if (answer.Replayed) http.Response.Headers[ReplayHeader] = "true";
        return TypedResults.Text(answer.Json, "application/json");
    }

    public static Actor Caller(ClaimsPrincipal caller, HttpContext http) =>
        new($"api:{caller.FindFirst(AppClaims.AppKey)?.Value}", http.Connection.RemoteIpAddress?.ToString());
}
