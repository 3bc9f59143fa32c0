using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>Server API for GDPR requests (Basic appKey:masterSecret): export everything held about a user, erase it.</summary>
public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v4/users").RequireAuthorization(Policies.ServerApi).WithTags("Server API");

        api.MapGet("/{userId}/export", async (string userId, ClaimsPrincipal caller, HttpContext http, UserDataService data, CancellationToken ct) =>
                TypedResults.Ok(await data.ExportAsync(caller.GetAppId(), userId, ApiActor(caller, http), ct)))
            .WithSummary("Everything held about a user (GDPR access request), as JSON.")
            .WithDescription("Sections: profile (with consent and categories), installations (tokens unmasked, device details, preferences, " +
                             "the full changelog), events, deliveries, opt_outs, audit, and those of other features. The export is audited.");

        api.MapDelete("/{userId}", async (string userId, ClaimsPrincipal caller, HttpContext http, UserDataService data, CancellationToken ct) =>
            {
                await data.EraseAsync(caller.GetAppId(), userId, ApiActor(caller, http), ChangeSources.ServerApi, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Erase a user on request (GDPR): their personal data is removed from every table.")
            .WithDescription("The profile, consent, categories, attributes and tags are deleted; their installations lose id, token, device details, " +
                             "tags, preferences and events, become uninstalled and keep one 'erased' changelog entry; deliveries and opt-outs stay " +
                             "only as anonymous counts; their id is scrubbed from other devices' changelogs, campaign audiences and the audit log.");
        return app;
    }

    private static Actor ApiActor(ClaimsPrincipal caller, HttpContext http) =>
        new($"api:{caller.FindFirst(AppClaims.AppKey)?.Value}", http.Connection.RemoteIpAddress?.ToString());
}
