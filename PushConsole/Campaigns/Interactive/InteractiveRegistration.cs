using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
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
        return builder;
    }

    /// <summary>The message centre of the client API (X-App-Key).</summary>
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
        return app;
    }
}
