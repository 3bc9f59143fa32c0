using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using PushConsole.Accounts;
using PushConsole.Apps;

namespace PushConsole.Devices;

/// <summary>The client API (API.md): apps on devices register installations, log users in and out, report events (preferences: Consent).</summary>
public static class ClientApiEndpoints
{
    public static IEndpointRouteBuilder MapClientApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(Policies.ClientApi)
            .RequireRateLimiting(DevicesRegistration.ClientApiRateLimit)
            .WithTags("Client API");

        api.MapPut("/installations/{installationId}", async (string installationId, InstallationRequest body, ClaimsPrincipal caller, DeviceRegistry registry) =>
                TypedResults.Ok(await registry.RegisterAsync(caller.GetAppId(), installationId, body)))
            .WithSummary("Register or refresh an installation (idempotent).")
            .WithDescription("pushToken is required for android (FCM token) and ios (APNs hex token), webPush for web. " +
                             "userId: absent keeps the current user, null logs out. notificationsEnabled: false means background pushes only " +
                             "(android, ios) or unsubscribed (web). tags replace the installation's tags. Every change of token, user or " +
                             "permission is written to the installation's changelog.");

        api.MapPut("/installations/{installationId}/user", async (string installationId, InstallationUserRequest body, ClaimsPrincipal caller, DeviceRegistry registry) =>
                TypedResults.Ok(await registry.SetUserAsync(caller.GetAppId(), installationId, body.UserId)))
            .WithSummary("Login (userId) or logout (null) on that device: the installation and its token move to the new user.");

        api.MapDelete("/installations/{installationId}", async (string installationId, ClaimsPrincipal caller, DeviceRegistry registry) =>
            {
                await registry.UnregisterAsync(caller.GetAppId(), installationId);
                return TypedResults.NoContent();
            })
            .WithSummary("The app unregistered or was removed: the installation becomes uninstalled.");

        api.MapPost("/events", async (JsonElement body, ClaimsPrincipal caller, ClientEvents events, IOptions<JsonOptions> json) =>
            {
                var isArray = body.ValueKind == JsonValueKind.Array;
                IReadOnlyList<ClientEventRequest?> list;
                try
                {
                    list = isArray
                        ? body.Deserialize<List<ClientEventRequest?>>(json.Value.SerializerOptions)!
                        : body.ValueKind == JsonValueKind.Object
                            ? [body.Deserialize<ClientEventRequest>(json.Value.SerializerOptions)]
                            : throw new Api.BadInputException("body", "Send one event object or an array of them.");
                }
                catch (JsonException e)
                {
                    // same answer as a body that fails model binding: 400 naming the JSON path
                    throw new BadHttpRequestException("Wrong type in the body.", e);
                }
                return TypedResults.Accepted((string?)null, new { accepted = await events.RecordAsync(caller.GetAppId(), list, isArray) });
            })
            .Accepts<ClientEventRequest>("application/json")
            .WithSummary("Report one event or an array of events (session_start, notification_received/opened/dismissed, custom) → 202.");
        return app;
    }
}
