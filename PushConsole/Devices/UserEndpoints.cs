using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Devices;

/// <summary>Server API for users (Basic appKey:masterSecret): read and profile; GDPR export and erasure are in <c>Consent/PrivacyEndpoints</c>.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v4/users").RequireAuthorization(Policies.ServerApi).WithTags("Server API");

        api.MapGet("/{userId}", async (string userId, bool? reveal_tokens, ClaimsPrincipal caller, HttpContext http, UserProfiles users, CancellationToken ct) =>
                TypedResults.Ok(await users.ExportAsync(caller.GetAppId(), userId, reveal_tokens == true, ApiActor(caller, http), ct)))
            .WithSummary("A user's profile, consent, categories, attributes, tags and installations with their changelog.")
            .WithDescription("Tokens are masked (first 6 and last 4 characters) unless reveal_tokens=true; every reveal is written to the audit log.");

        api.MapPut("/{userId}", async (string userId, UserProfileRequest body, ClaimsPrincipal caller, HttpContext http, UserProfiles users, CancellationToken ct) =>
                TypedResults.Ok(await users.UpdateAsync(caller.GetAppId(), userId, body, ApiActor(caller, http), ct)))
            .WithSummary("Create or update a user's profile: email, displayName, language, timeZone, attributes, tags.")
            .WithDescription("Fields that are absent or null stay as they are; \"\" clears a text field. attributes are merged by name " +
                             "(a string, number or boolean sets one, null removes it) and are what segments filter on (role, company, …); " +
                             "tags replace the user's tags. Returns the user as GET does. Installations are registered by the app, not here.");

        return app;
    }

    private static Actor ApiActor(ClaimsPrincipal caller, HttpContext http) =>
        new($"api:{caller.FindFirst(AppClaims.AppKey)?.Value}", http.Connection.RemoteIpAddress?.ToString());
}
