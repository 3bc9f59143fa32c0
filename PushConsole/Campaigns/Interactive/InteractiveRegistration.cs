using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns.Interactive.Pages;
using PushConsole.Devices;

namespace PushConsole.Campaigns.Interactive;

public static class InteractiveRegistration
{
    /// <summary>Clicks, influenced opens and conversions (stamped on deliveries as events arrive), the engagement figures and the message centre.</summary>
    public static WebApplicationBuilder AddInteractive(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EngagementOptions>().BindConfiguration(EngagementOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IClientEventFilter, ClickFilter>();
        services.AddSingleton<IClientEventSink, EngagementSink>();
        services.AddSingleton<Inbox>();
        services.AddSingleton<IosCategories>();
        // right under the APNs card, before Sending's test push
        services.AddAppPanel<IosCategoriesCard>(order: -10);
        return builder;
    }

    /// <summary>The message centre of the client API (X-App-Key) and the app's iOS categories in the server API.</summary>
    public static WebApplication MapInteractive(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/users/{userId}/inbox")
            .RequireAuthorization(Policies.ClientApi)
            .RequireRateLimiting(DevicesRegistration.ClientApiRateLimit)
            .WithTags("Client API");

        api.MapGet("", async (string userId, string? installationId, ClaimsPrincipal caller, Inbox inbox, CancellationToken ct) =>
                TypedResults.Ok(await inbox.ListAsync(caller.GetAppId(), userId, installationId, ct)))
            .WithSummary("The user's message centre: visible pushes of the last 30 days (Engagement:InboxDays), newest first, one per campaign.")
            .WithDescription("Each item has deliveryId, title, body, url, actions, sentAt and read. Pushes the consent rules, caps or quiet hours " +
                             "kept off the device are listed too. installationId (optional) picks that device's copy and its read state.");

        api.MapPost("/{deliveryId}/read", async (string userId, string deliveryId, ClaimsPrincipal caller, Inbox inbox, CancellationToken ct) =>
            {
                await inbox.MarkReadAsync(caller.GetAppId(), userId, deliveryId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Marks an inbox item read; it counts as an open of that push.");

        var categories = app.MapGroup("/v4/app/ios_categories").RequireAuthorization(Policies.ServerApi).WithTags("Server API");
        categories.MapGet("", async (ClaimsPrincipal caller, IosCategories service, CancellationToken ct) =>
                TypedResults.Ok(new IosCategoryList(await service.ListAsync(caller.GetAppId(), ct))))
            .WithSummary("The iOS notification categories the app registers (id and buttons), as the console lists them.");
        categories.MapPut("", async (IosCategoriesRequest body, HttpContext http, ClaimsPrincipal caller, IosCategories service, CancellationToken ct) =>
                TypedResults.Ok(new IosCategoryList(await service.ReplaceAsync(caller.GetAppId(), body, Caller(caller, http), ct))))
            .ProducesValidationProblem()
            .WithSummary("Replaces the list: {\"categories\": [{\"id\": \"SESSION_INVITE\", \"actions\": [{\"id\": \"going\", \"title\": \"I'm going\"}]}]}.")
            .WithDescription("Ids are 1–64 letters, digits, '_', '-' or '.'; each has 1 to 3 buttons with ids [a-z0-9_-]{1,32} and titles up to 100 characters. " +
                             "A bad item is a 400 naming it and nothing changes. Compose suggests these for ios.category.");
        return app;
    }

    private static Actor Caller(ClaimsPrincipal caller, HttpContext http) =>
        new($"api:{caller.FindFirst(AppClaims.AppKey)?.Value}", http.Connection.RemoteIpAddress?.ToString());
}
