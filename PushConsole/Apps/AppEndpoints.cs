using System.Security.Claims;
using PushConsole.Accounts;

namespace PushConsole.Apps;

/// <summary>What an app's own code may ask about its app: the client (device) and server (back-end) views.</summary>
public static class AppEndpoints
{
    public sealed record ClientAppInfo(string Name, string VapidPublicKey, string DefaultLanguage);

    public sealed record ServerAppInfo(string Name, string AppKey, string DefaultLanguage, string VapidPublicKey,
        string? FcmProjectId, string? ApnsBundleId, string? ApnsEnvironment, DateTime MasterSecretRotatedAt);

    public static WebApplication MapAppEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/app", async (ClaimsPrincipal caller, AppService apps, CancellationToken ct) =>
            {
                var a = await apps.GetAsync(caller.GetAppId(), ct);
                return TypedResults.Ok(new ClientAppInfo(a.Name, a.Vapid.PublicKey, a.DefaultLanguage));
            })
            .RequireAuthorization(Policies.ClientApi)
            .RequireRateLimiting(Devices.DevicesRegistration.ClientApiRateLimit)
            .WithTags("Client API")
            .WithSummary("The calling app's public settings (e.g. the VAPID public key a browser subscribes with).");

        app.MapGet("/v4/app", async (ClaimsPrincipal caller, AppService apps, CancellationToken ct) =>
            {
                var a = await apps.GetAsync(caller.GetAppId(), ct);
                return TypedResults.Ok(new ServerAppInfo(a.Name, a.AppKey, a.DefaultLanguage, a.Vapid.PublicKey,
                    a.Fcm?.ProjectId, a.Apns?.BundleId, a.Apns is { } apns ? PlatformNames.Of(apns.Environment) : null, a.MasterSecretRotatedAt));
            })
            .RequireAuthorization(Policies.ServerApi)
            .WithTags("Server API")
            .WithSummary("Which app these credentials belong to and which providers it is configured for (never a secret).");
        return app;
    }
}
