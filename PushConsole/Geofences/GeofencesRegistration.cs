using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Devices;
using PushConsole.Geofences.Pages;

namespace PushConsole.Geofences;

public static class GeofencesRegistration
{
    /// <summary>Geofences, their sync index, location consent, transition vetting and their personal data.</summary>
    public static WebApplicationBuilder AddGeofences(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GeofenceOptions>().BindConfiguration(GeofenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GeofenceIndex>();
        services.AddSingleton<GeofenceService>();
        services.AddSingleton<GeofenceSync>();
        services.AddSingleton<GeofenceStats>();
        services.AddSingleton<LocationConsentService>();
        services.AddSingleton<IClientEventFilter, GeofenceTransitions>();
        services.AddSingleton<IPersonalData, GeofencePersonalData>();
        services.AddLookupPanel<LocationConsentPanel>(LookupSlot.User, order: 5);
        services.AddLookupPanel<DeviceLocationConsentPanel>(LookupSlot.Actions, order: 20);
        return builder;
    }

    /// <summary>Server API <c>/v4/geofences</c> and the client sync (API.md "Geofences").</summary>
    public static WebApplication MapGeofences(this WebApplication app)
    {
        var api = app.MapGroup("/v4/geofences").RequireAuthorization(Policies.ServerApi).WithTags("Server API");
        api.MapPost("", async (GeofenceRequest body, HttpContext http, ClaimsPrincipal caller, GeofenceService service, CancellationToken ct) =>
            {
                var row = await service.CreateAsync(caller.GetAppId(), body, Caller(caller, http), ct);
                return TypedResults.Created($"/v4/geofences/{Uri.EscapeDataString(row.ExternalId)}", GeofenceView.Of(row));
            })
            .ProducesValidationProblem()
            .WithSummary("Create a geofence: id, name, latitude, longitude, radius_m (20–10,000), dwell_seconds, cooldown_seconds, active_from, active_until, room.")
            .WithDescription("room links the geofence to an agenda room: transitions then carry the session running there (or next), for {{session.title}}. " +
                             "A duplicate id is a 400 naming id. Every change moves the version devices see in their sync.");
        api.MapGet("", async (ClaimsPrincipal caller, GeofenceService service, CancellationToken ct) =>
                TypedResults.Ok(new GeofenceList((await service.ListAsync(caller.GetAppId(), ct)).Select(GeofenceView.Of).ToList())))
            .WithSummary("The app's geofences by name.");
        api.MapGet("/{id}", async (string id, ClaimsPrincipal caller, GeofenceService service, CancellationToken ct) =>
                TypedResults.Ok(GeofenceView.Of(await service.GetAsync(caller.GetAppId(), id, ct))))
            .WithSummary("One geofence.");
        api.MapPut("/{id}", async (string id, GeofenceRequest body, HttpContext http, ClaimsPrincipal caller, GeofenceService service, CancellationToken ct) =>
                TypedResults.Ok(GeofenceView.Of(await service.UpdateAsync(caller.GetAppId(), id, body, Caller(caller, http), ct))))
            .ProducesValidationProblem()
            .WithSummary("Replace a geofence's fields (absent optional ones become empty); the id cannot change.");
        api.MapDelete("/{id}", async (string id, HttpContext http, ClaimsPrincipal caller, GeofenceService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(caller.GetAppId(), id, Caller(caller, http), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a geofence; its transitions stay in the event history.");
        api.MapGet("/{id}/stats", async (string id, ClaimsPrincipal caller, GeofenceStats stats, CancellationToken ct) =>
                TypedResults.Ok(await stats.ForAsync(caller.GetAppId(), id, ct)))
            .WithSummary("Transitions of a geofence: entered, exited, dwelled in total and per UTC hour, and the median stay (from exits' dwellSeconds).");

        app.MapGet("/api/v1/installations/{installationId}/geofences",
                async (string installationId, string? lat, string? lon, ClaimsPrincipal caller, GeofenceSync sync, CancellationToken ct) =>
                    TypedResults.Ok(await sync.SyncAsync(caller.GetAppId(), installationId, lat, lon, ct)))
            .RequireAuthorization(Policies.ClientApi)
            .RequireRateLimiting(DevicesRegistration.ClientApiRateLimit)
            .WithTags("Client API")
            .WithSummary("The at most 20 active geofences nearest to lat/lon, nearest first, with the set's version.")
            .WithDescription("Monitor these and sync again when you have moved far or version differs from the last answer. Needs location consent " +
                             "(PUT /api/v1/users/{userId}/preferences {\"location\": true}); without it the list is empty and locationConsent false. " +
                             "lat and lon are used to sort and are neither stored nor logged.");
        return app;
    }

    private static Actor Caller(ClaimsPrincipal caller, HttpContext http) =>
        new($"api:{caller.FindFirst(AppClaims.AppKey)?.Value}", http.Connection.RemoteIpAddress?.ToString());
}
