using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Game;

/// <summary>Challenges, the points ledger, QR hunts, flash quizzes and the leaderboard (API.md "Game").</summary>
public static class GameRegistration
{
    public static WebApplicationBuilder AddGame(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GameOptions>().BindConfiguration(GameOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPointsLedger, PointsLedger>();
        services.AddSingleton<GameSignal>();
        services.AddSingleton<GameEngine>();
        services.AddSingleton<IClientEventSink, GameEventSink>();
        services.AddSingleton<ChallengeService>();
        services.AddSingleton<QrCodes>();
        services.AddSingleton<CodeSheet>();
        services.AddSingleton<GamePlay>();
        services.AddSingleton<GameQueries>();
        services.AddSingleton<GamePushes>();
        services.AddHostedService(sp => sp.GetRequiredService<GamePushes>());
        services.AddSingleton<IPersonalData, GamePersonalData>();
        return builder;
    }

    public static WebApplication MapGame(this WebApplication app)
    {
        var server = app.MapGroup("/v4/challenges").RequireAuthorization(Policies.ServerApi).WithTags("Server API");
        server.MapPost("", async (HttpContext http, ClaimsPrincipal caller, ChallengeService service, CancellationToken ct) =>
            {
                using var body = await ServerApiJson.ReadAsync(http.Request, ct);
                var view = await service.CreateAsync(caller.GetAppId(), body.RootElement, ServerApiRegistration.Caller(caller, http), ct);
                return TypedResults.Created($"/v4/challenges/{view.Id}", view);
            })
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a challenge: kind events (count an event), qr (printable signed codes) or quiz (pushed with its options as buttons) → 201.")
            .WithDescription("points ≥ 1; active_until after active_from; a quiz has 2 to 10 options and correct names one. Bad input is a 400 naming the field; nothing is stored.");
        server.MapGet("", async (ClaimsPrincipal caller, ChallengeService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(caller.GetAppId(), ct)))
            .WithSummary("The app's challenges, newest first, with participants and completions.");
        server.MapGet("/{id}", async (string id, ClaimsPrincipal caller, ChallengeService service, CancellationToken ct) => TypedResults.Ok(await service.GetAsync(caller.GetAppId(), id, ct)))
            .WithSummary("A challenge; a quiz shows its status and answers per option.");
        server.MapPut("/{id}", async (string id, HttpContext http, ClaimsPrincipal caller, ChallengeService service, CancellationToken ct) =>
            {
                using var body = await ServerApiJson.ReadAsync(http.Request, ct);
                return TypedResults.Ok(await service.UpdateAsync(caller.GetAppId(), id, body.RootElement, ServerApiRegistration.Caller(caller, http), ct));
            })
            .ProducesValidationProblem()
            .WithSummary("Replace a challenge (same body as POST); a launched quiz keeps its question and options (409).");
        server.MapDelete("/{id}", async (string id, HttpContext http, ClaimsPrincipal caller, ChallengeService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(caller.GetAppId(), id, ServerApiRegistration.Caller(caller, http), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a challenge with its progress; points already given stay in the ledger.");
        server.MapGet("/{id}/codes", async (string id, ClaimsPrincipal caller, CodeSheet sheet, CancellationToken ct) => TypedResults.Ok(await sheet.ListAsync(caller.GetAppId(), id, ct)))
            .WithSummary("A qr hunt's codes (opaque signed strings) with their hints, and the printable sheet's address.");
        server.MapGet("/{id}/codes.svg", async (string id, ClaimsPrincipal caller, CodeSheet sheet, CancellationToken ct) =>
                TypedResults.Text(await sheet.SvgAsync(caller.GetAppId(), id, ct), "image/svg+xml"))
            .WithSummary("The printable A4 sheet (SVG): each code's QR image, the hunt's name and its hint.");
        server.MapPost("/{id}/launch", async (string id, HttpContext http, ClaimsPrincipal caller, GamePlay play, CancellationToken ct) =>
                TypedResults.Ok(await play.LaunchAsync(caller.GetAppId(), id, ServerApiRegistration.Caller(caller, http), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Send a quiz now (a campaign, origin game) and open it for closes_in_seconds → {challenge_id, msg_id, closes_at}; once per quiz.");

        var client = app.MapGroup("/api/v1").RequireAuthorization(Policies.ClientApi).RequireRateLimiting(DevicesRegistration.ClientApiRateLimit).WithTags("Client API");
        client.MapPost("/users/{userId}/game/scans", async (string userId, [FromBody] ScanRequest? body, ClaimsPrincipal caller, GamePlay play, CancellationToken ct) =>
                TypedResults.Ok(await play.ScanAsync(caller.GetAppId(), userId, body, ct)))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A scanned hunt code → {pointsAwarded, total}; the same code again 409, a malformed, forged or other app's code 400.");
        client.MapPost("/users/{userId}/game/answers", async (string userId, [FromBody] AnswerRequest? body, ClaimsPrincipal caller, GamePlay play, CancellationToken ct) =>
                TypedResults.Ok(await play.AnswerAsync(caller.GetAppId(), userId, body, ct)))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Answer an open quiz → {correct, pointsAwarded, total}; closed or unknown quiz or option 400, a second answer 409.");
        client.MapGet("/users/{userId}/game", async (string userId, ClaimsPrincipal caller, GameQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.ForUserAsync(caller.GetAppId(), userId, ct)))
            .WithSummary("The user's points, rank, badges and every challenge with their progress.");
        client.MapGet("/game/leaderboard", async (int? limit, DateOnly? day, ClaimsPrincipal caller, GameQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.LeaderboardAsync(caller.GetAppId(), limit ?? 20, day, ct)))
            .WithSummary("The top players (overall, or ?day=yyyy-MM-dd): rank, display name (only with \"leaderboard\": true in preferences, others \"Attendee #n\"), points.");

        // the console's printable sheet: cookie sign-in, organizer or admin
        app.MapGet("/console-api/challenges/{id:long}/codes.svg", async (long id, IDbContextFactory<AppDbContext> contexts, CodeSheet sheet, CancellationToken ct) =>
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                var hunt = await db.Set<Challenge>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new Api.NotFoundException($"There is no challenge {id}.");
                return TypedResults.Text(await sheet.SvgAsync(hunt.AppId, hunt.ExternalId, ct), "image/svg+xml");
            })
            .RequireAuthorization(Policies.Organizer).ExcludeFromDescription();
        return app;
    }
}
