using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>The client API's preferences (API.md): consent and notification categories, of a user or of an anonymous installation.</summary>
public static class PreferenceEndpoints
{
    public static IEndpointRouteBuilder MapPreferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(Policies.ClientApi)
            .RequireRateLimiting(DevicesRegistration.ClientApiRateLimit)
            .WithTags("Client API");

        api.MapPut("/users/{userId}/preferences", async (string userId, PreferencesRequest body, ClaimsPrincipal caller, PreferenceService preferences) =>
                TypedResults.Ok(await preferences.SetForUserAsync(caller.GetAppId(), userId, body)))
            .WithSummary("The user's consent and notification categories; each change is logged on the user's installations.")
            .WithDescription("consent: true (granted) or false (withdrawn); non-transactional pushes need it. categories: keys the app defines " +
                             "in the console (an unknown key is a 400 naming it); absent ones keep their value or the category's default. " +
                             "Answers with consent, consentState (granted/denied/unknown) and every defined category's effective value.");

        api.MapPut("/installations/{installationId}/preferences", async (string installationId, PreferencesRequest body, ClaimsPrincipal caller, PreferenceService preferences) =>
                TypedResults.Ok(await preferences.SetForInstallationAsync(caller.GetAppId(), installationId, body)))
            .WithSummary("Consent and categories of an anonymous installation (no user logged in); a logged-in user's own preferences win.");
        return app;
    }
}
