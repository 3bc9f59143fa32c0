using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.EventData;

/// <summary>Event data in bulk (API.md): attendee profiles by the thousand, the agenda's sessions and the event from the organizer's systems.</summary>
public static class EventDataRegistration
{
    public static WebApplicationBuilder AddEventData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserBatchService>();
        builder.Services.AddSingleton<SessionApi>();
        builder.Services.AddSingleton<AttendeeImport>();
        return builder;
    }

    public static WebApplication MapEventData(this WebApplication app)
    {
        var api = app.MapGroup("/v4").RequireAuthorization(Policies.ServerApi).WithTags("Event data");

        api.MapPost("/users/batch", async (UserBatchRequest body, ClaimsPrincipal caller, UserBatchService batch, CancellationToken ct) =>
                TypedResults.Ok(await batch.ImportAsync(caller.GetAppId(), body.Users, ct)))
            .WithSummary("Create or update up to 10,000 user profiles: {\"users\": [{\"userId\", \"email\", \"displayName\", \"language\", \"timeZone\", \"attributes\", \"tags\"}, …]}.")
            .WithDescription("Each row means what PUT /v4/users/{userId} means (absent or null fields stay, \"\" clears, attributes merge by name, " +
                             "tags replace) and is checked the same way. → {\"created\", \"updated\", \"errors\": [{\"index\", \"field\", \"detail\"}]}: " +
                             "a bad row is reported by its 0-based index and skipped whole; the others are stored together. More than 10,000 rows: 400.");

        api.MapGet("/sessions", async (ClaimsPrincipal caller, SessionApi sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.ListAsync(caller.GetAppId(), ct)))
            .WithSummary("The agenda's sessions, by start: {\"sessions\": [{\"id\", \"title\", \"track\", \"room\", \"starts_at\", \"ends_at\", \"speakers\", \"cancelled\"}]}.");
        api.MapPost("/sessions", async (SessionRequest body, bool? notify, ClaimsPrincipal caller, HttpContext http, SessionApi sessions, CancellationToken ct) =>
            {
                var (session, _) = await sessions.SaveAsync(caller.GetAppId(), null, body, notify ?? true, ApiActor(caller, http), ct);
                return TypedResults.Created($"/v4/sessions/{Uri.EscapeDataString(session.Id)}", session);
            })
            .WithSummary("Add a session → 201; id is generated when absent, an id in use is a 409.")
            .WithDescription("starts_at and ends_at are ISO 8601: with an offset an instant, without one the venue's wall-clock time. speakers is a list of names. " +
                             "With no event yet, one is created in UTC (set its zone with PUT /v4/event); the event's dates widen to the session's day.");
        api.MapGet("/sessions/{sessionId}", async (string sessionId, ClaimsPrincipal caller, SessionApi sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.GetAsync(caller.GetAppId(), sessionId, ct)))
            .WithSummary("One session by its id.");
        api.MapPut("/sessions/{sessionId}", async Task<IResult> (string sessionId, SessionRequest body, bool? notify, ClaimsPrincipal caller, HttpContext http,
                SessionApi sessions, CancellationToken ct) =>
            {
                var (session, created) = await sessions.SaveAsync(caller.GetAppId(), sessionId, body, notify ?? true, ApiActor(caller, http), ct);
                return created ? TypedResults.Created($"/v4/sessions/{Uri.EscapeDataString(session.Id)}", session) : TypedResults.Ok(session);
            })
            .WithSummary("Change a session (or add it under this id → 201); absent fields stay as they are.")
            .WithDescription("A new time or room, or cancelled true/false, is recorded and alerted to those who favourited or checked in, exactly as in " +
                             "the console (one alert per change, replacing a pending reminder); reminders follow the new time. ?notify=false records without alerting.");
        api.MapDelete("/sessions/{sessionId}", async (string sessionId, ClaimsPrincipal caller, HttpContext http, SessionApi sessions, CancellationToken ct) =>
            {
                await sessions.DeleteAsync(caller.GetAppId(), sessionId, ApiActor(caller, http), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a session nobody favourited or checked in to → 204; otherwise 409: cancel it (PUT cancelled: true) so they are told.");

        api.MapGet("/event", async (ClaimsPrincipal caller, SessionApi sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.GetEventAsync(caller.GetAppId(), ct)))
            .WithSummary("The event: {\"name\", \"time_zone\", \"quiet_time\", \"start_date\", \"end_date\"}; 404 before it exists.");
        api.MapPut("/event", async (EventRequest body, ClaimsPrincipal caller, HttpContext http, SessionApi sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.SaveEventAsync(caller.GetAppId(), body, ApiActor(caller, http), ct)))
            .WithSummary("Create or change the event; absent fields stay as they are.")
            .WithDescription("time_zone is an IANA id (sessions keep their instants when it changes); quiet_time holds non-urgent pushes to an attendee " +
                             "while a session they favourited runs. A new event needs a name; its dates default to today (start_date, end_date: yyyy-MM-dd, at most 60 days).");
        return app;
    }

    private static Actor ApiActor(ClaimsPrincipal caller, HttpContext http) =>
        new($"api:{caller.FindFirst(AppClaims.AppKey)?.Value}", http.Connection.RemoteIpAddress?.ToString());
}
