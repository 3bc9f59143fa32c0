using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Campaigns;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Agenda;

/// <summary>Body of a check-in: when it happened (absent = now).</summary>
public sealed record CheckInRequest(DateTimeOffset? At);

public static class AgendaRegistration
{
    /// <summary>Event, sessions, import, reminder rules, change alerts, surveys, quiet time, favourites and check-ins.</summary>
    public static WebApplicationBuilder AddAgenda(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AgendaService>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<AgendaImport>();
        services.AddSingleton<AgendaScheduler>();
        services.AddSingleton<AgendaPushes>();
        services.AddSingleton<AgendaQueries>();
        services.AddSingleton<AttendanceService>();
        services.AddTransient<AgendaPushJob>();
        services.AddSingleton<ILaunchRule, AgendaQuietTime>();
        services.AddSingleton<IPersonalData, AgendaPersonalData>();
        return builder;
    }

    /// <summary>Client API: favourites and check-ins (API.md), with the app key.</summary>
    public static WebApplication MapAgenda(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/users/{userId}")
            .RequireAuthorization(Policies.ClientApi)
            .RequireRateLimiting(DevicesRegistration.ClientApiRateLimit)
            .WithTags("Client API");

        api.MapPut("/favorites/{sessionId}", async (string userId, string sessionId, ClaimsPrincipal caller, AttendanceService attendance) =>
            {
                await attendance.FavoriteAsync(caller.GetAppId(), userId, sessionId);
                return TypedResults.NoContent();
            })
            .WithSummary("Favourite an agenda session (idempotent) → 204.")
            .WithDescription("sessionId is the session's stable id (the CSV id or iCalendar UID it was imported with). An unknown session is a 404, " +
                             "a cancelled one a 409. A userId the app has not used yet is created, as a login would. Those who favourite a session get " +
                             "its reminders and its change alerts.");
        api.MapDelete("/favorites/{sessionId}", async (string userId, string sessionId, ClaimsPrincipal caller, AttendanceService attendance) =>
            {
                await attendance.UnfavoriteAsync(caller.GetAppId(), userId, sessionId);
                return TypedResults.NoContent();
            })
            .WithSummary("Remove a favourite (idempotent) → 204; an unknown session is a 404.");
        api.MapPut("/checkins/{sessionId}", async (string userId, string sessionId, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] CheckInRequest? body,
                ClaimsPrincipal caller, AttendanceService attendance) =>
            {
                await attendance.CheckInAsync(caller.GetAppId(), userId, sessionId, body?.At);
                return TypedResults.NoContent();
            })
            .WithSummary("Check the user in to a session (idempotent; the first check-in's time is kept) → 204.")
            .WithDescription("Optional body {\"at\": \"2026-06-12T09:31:00Z\"} (default now; not in the future, at most 30 days ago). An unknown session " +
                             "is a 404, a cancelled one a 409; an unknown userId is created. Checked-in attendees get change alerts and the post-session survey.");
        api.MapDelete("/checkins/{sessionId}", async (string userId, string sessionId, ClaimsPrincipal caller, AttendanceService attendance) =>
            {
                await attendance.UndoCheckInAsync(caller.GetAppId(), userId, sessionId);
                return TypedResults.NoContent();
            })
            .WithSummary("Undo a check-in (idempotent) → 204; an unknown session is a 404.");
        return app;
    }
}
