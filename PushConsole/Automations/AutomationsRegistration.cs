using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Devices;

namespace PushConsole.Automations;

public sealed record RunRequest([property: JsonPropertyName("user_ids")] IReadOnlyList<string>? UserIds);

/// <summary>Automations: the engine, the event sink and <c>/v4/automations</c> (server API, Basic appKey:masterSecret).</summary>
public static class AutomationsRegistration
{
    public static WebApplicationBuilder AddAutomations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AutomationOptions>().BindConfiguration("Automations").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AutomationIndex>();
        services.AddSingleton<AutomationSignal>();
        services.AddSingleton<AutomationStarts>();
        services.AddSingleton<AutomationService>();
        services.AddSingleton<AutomationStats>();
        services.AddSingleton<AutomationPushes>();
        services.AddSingleton<AutomationRunner>();
        services.AddSingleton<AutomationTriggers>();
        services.AddSingleton<AutomationEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<AutomationEngine>());
        services.AddSingleton<IClientEventSink, AutomationEventSink>();
        services.AddSingleton<PushConsole.Audience.ISegmentUsage, AutomationSegmentUsage>();
        return builder;
    }

    public static WebApplication MapAutomations(this WebApplication app)
    {
        var api = app.MapGroup("/v4/automations").RequireAuthorization(Policies.ServerApi).WithTags("Automations");
        api.MapPost("", async (HttpContext http, ClaimsPrincipal caller, AutomationService service, CancellationToken ct) =>
            {
                using var body = await ServerApiJson.ReadAsync(http.Request, ct);
                var automation = await service.CreateAsync(caller.GetAppId(), body.RootElement, ServerApiRegistration.Caller(caller, http), ct);
                return TypedResults.Created($"/v4/automations/{automation.Id}", AutomationService.View(automation));
            })
            .ProducesValidationProblem()
            .WithSummary("Create an automation: trigger, audience, steps, reentry, exit_on. Bad input is a 400 naming the path (steps[2].then[0].push.notification.alert).");
        api.MapGet("", async (ClaimsPrincipal caller, AutomationService service, CancellationToken ct) =>
                TypedResults.Ok(new JsonObject { ["automations"] = new JsonArray([.. (await service.ListAsync(caller.GetAppId(), ct)).Select(a => (JsonNode)AutomationService.View(a))]) }))
            .WithSummary("The app's automations.");
        api.MapGet("/{id:long}", async (long id, ClaimsPrincipal caller, AutomationService service, CancellationToken ct) =>
                TypedResults.Ok(AutomationService.View(await service.GetAsync(caller.GetAppId(), id, ct))))
            .WithSummary("One automation as stored.");
        api.MapPut("/{id:long}", async (long id, HttpContext http, ClaimsPrincipal caller, AutomationService service, CancellationToken ct) =>
            {
                using var body = await ServerApiJson.ReadAsync(http.Request, ct);
                return TypedResults.Ok(AutomationService.View(await service.UpdateAsync(caller.GetAppId(), id, body.RootElement, ServerApiRegistration.Caller(caller, http), ct)));
            })
            .ProducesValidationProblem()
            .WithSummary("Replace an automation. Runs in flight go on at the same step path if it still exists, else they complete.");
        api.MapDelete("/{id:long}", async (long id, HttpContext http, ClaimsPrincipal caller, AutomationService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(caller.GetAppId(), id, ServerApiRegistration.Caller(caller, http), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete an automation and its runs.");
        api.MapPost("/{id:long}/run", async (long id, RunRequest body, ClaimsPrincipal caller, AutomationService service, CancellationToken ct) =>
                TypedResults.Ok(new JsonObject { ["started"] = await service.RunForAsync(caller.GetAppId(), id, body.UserIds, ct) }))
            .ProducesValidationProblem()
            .WithSummary("Start the automation for given users ({\"user_ids\": [\"ada\"]}); re-entry rules apply.");
        api.MapGet("/{id:long}/stats", async (long id, ClaimsPrincipal caller, AutomationService service, AutomationStats stats, CancellationToken ct) =>
                TypedResults.Ok(await stats.ForAsync(await service.GetAsync(caller.GetAppId(), id, ct), ct)))
            .WithSummary("entered, active, completed, exited, and per step path reached, waiting, sent, opened, clicked.");
        return app;
    }
}
