using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Apps;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Tests.Agenda;

/// <summary>Favourites and check-ins through the client API (API.md), their bad inputs, and the personal data they are.</summary>
public sealed class AgendaApiTests(AgendaHostFixture f) : IClassFixture<AgendaHostFixture>
{
    private async Task<(HttpClient Client, long AppId, AgendaSession Session)> StartAsync()
    {
        var (app, _) = await f.NewEventAsync();
        var session = await f.Host.Get<SessionService>().CreateAsync(app.App.Id, new SessionForm
        {
            ExternalId = "ai-101", Title = "AI in practice", Start = new DateTime(2030, 6, 12, 10, 0, 0), End = new DateTime(2030, 6, 12, 11, 0, 0), Room = "B2",
        }, AgendaWorld.Organizer);
        var client = f.Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", app.App.AppKey);
        return (client, app.App.Id, session);
    }

    private async Task<List<string>> FavouritersAsync(long sessionId)
    {
        await using var db = await f.Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await (from fav in db.Set<SessionFavorite>() join u in db.Set<AppUser>() on fav.AppUserId equals u.Id
                      where fav.SessionId == sessionId orderby u.ExternalId select u.ExternalId).ToListAsync();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, (await response.Content.ReadFromJsonAsync<JsonElement>()).ToString());
    }

    [Fact]
    public async Task Favourites_are_put_and_deleted_idempotently_and_a_new_user_is_created_as_a_login_would()
    {
        var (client, appId, session) = await StartAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync("/api/v1/users/attendee-42/favorites/ai-101", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync("/api/v1/users/attendee-42/favorites/ai-101", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync("/api/v1/users/attendee-7/favorites/ai-101", null)).StatusCode);
        Assert.Equal(["attendee-42", "attendee-7"], await FavouritersAsync(session.Id));
        var row = Assert.Single(await f.Host.Get<AgendaQueries>().SessionsAsync(appId));
        Assert.Equal((2, 0), (row.Favorites, row.CheckIns));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/users/attendee-42/favorites/ai-101")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/users/attendee-42/favorites/ai-101")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/users/never-seen/favorites/ai-101")).StatusCode);
        Assert.Equal(["attendee-7"], await FavouritersAsync(session.Id));
        await using var db = await f.Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Set<AppUser>().AnyAsync(u => u.AppId == appId && u.ExternalId == "never-seen"));
    }

    [Fact]
    public async Task A_favourite_of_an_unknown_or_cancelled_session_is_refused_and_stores_nothing()
    {
        var (client, appId, session) = await StartAsync();
        var (other, _) = await f.NewEventAsync();
        await f.Host.Get<SessionService>().CreateAsync(other.App.Id, new SessionForm
        {
            ExternalId = "theirs", Title = "Another app's", Start = new DateTime(2030, 6, 12, 10, 0, 0), End = new DateTime(2030, 6, 12, 11, 0, 0),
        }, AgendaWorld.Organizer);

        await AssertProblemAsync(await client.PutAsync("/api/v1/users/attendee-42/favorites/no-such", null), HttpStatusCode.NotFound, "no-such");
        await AssertProblemAsync(await client.PutAsync("/api/v1/users/attendee-42/favorites/theirs", null), HttpStatusCode.NotFound, "theirs");
        await AssertProblemAsync(await client.DeleteAsync("/api/v1/users/attendee-42/favorites/no-such"), HttpStatusCode.NotFound, "no-such");
        await AssertProblemAsync(await client.PutAsync("/api/v1/users/attendee-42/checkins/no-such", null), HttpStatusCode.NotFound, "no-such");
        await AssertProblemAsync(await client.PutAsync($"/api/v1/users/{new string('u', 129)}/favorites/ai-101", null), HttpStatusCode.BadRequest, "userId");
        await f.Host.Get<SessionService>().CancelAsync(session.Id, notify: false, AgendaWorld.Organizer);
        await AssertProblemAsync(await client.PutAsync("/api/v1/users/attendee-42/favorites/ai-101", null), HttpStatusCode.Conflict, "cancelled");
        var anonymous = f.Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync("/api/v1/users/attendee-42/favorites/ai-101", null)).StatusCode);

        Assert.Empty(await FavouritersAsync(session.Id));
        await using var db = await f.Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Set<AppUser>().AnyAsync(u => u.AppId == appId));
    }

    [Fact]
    public async Task A_check_in_is_recorded_once_with_its_time_and_a_time_in_the_future_is_refused()
    {
        var (client, appId, session) = await StartAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);

        await AssertProblemAsync(await client.PutAsJsonAsync("/api/v1/users/ada/checkins/ai-101", new { at = DateTimeOffset.UtcNow.AddHours(2) }), HttpStatusCode.BadRequest, "at");
        await AssertProblemAsync(await client.PutAsync("/api/v1/users/ada/checkins/ai-101",
            new StringContent("{\"at\": 12}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "at");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/users/ada/checkins/ai-101", new { at })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync("/api/v1/users/ada/checkins/ai-101", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync("/api/v1/users/bob/checkins/ai-101", null)).StatusCode);

        await using var db = await f.Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var checkIns = await (from c in db.Set<SessionCheckIn>() join u in db.Set<AppUser>() on c.AppUserId equals u.Id
                              where c.SessionId == session.Id orderby u.ExternalId select new { u.ExternalId, c.At }).ToListAsync();
        Assert.Equal(["ada", "bob"], checkIns.Select(c => c.ExternalId));
        Assert.InRange(checkIns[0].At, at.UtcDateTime.AddMilliseconds(-1), at.UtcDateTime.AddMilliseconds(1));
        Assert.Equal((0, 2), Assert.Single(await f.Host.Get<AgendaQueries>().SessionsAsync(appId)) is var r ? (r.Favorites, r.CheckIns) : default);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/users/bob/checkins/ai-101")).StatusCode);
        Assert.Equal(1, Assert.Single(await f.Host.Get<AgendaQueries>().SessionsAsync(appId)).CheckIns);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_favourites_and_check_ins()
    {
        var document = await f.Host.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/users/{userId}/favorites/{sessionId}", document);
        Assert.Contains("/api/v1/users/{userId}/checkins/{sessionId}", document);
        Assert.Contains("a cancelled one a 409", document);
    }

    [Fact]
    public async Task Favourites_and_check_ins_are_exported_and_erased_as_personal_data()
    {
        var (client, appId, session) = await StartAsync();
        await client.PutAsync("/api/v1/users/ada/favorites/ai-101", null);
        await client.PutAsync("/api/v1/users/ada/checkins/ai-101", null);
        await client.PutAsync("/api/v1/users/bob/favorites/ai-101", null);
        await using var db = await f.Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var ada = await db.Set<AppUser>().FirstAsync(u => u.AppId == appId && u.ExternalId == "ada");
        var part = Assert.Single(f.Host.Services.GetServices<IPersonalData>(), p => p.Section == "agenda");
        var subject = new PersonalDataSubject(appId, ada.Id, "ada", []);

        var export = (AgendaPersonalData.AgendaExport)(await part.ExportAsync(subject, default))!;
        Assert.Equal(("ai-101", "AI in practice"), (Assert.Single(export.Favorites).SessionId, export.Favorites[0].Title));
        Assert.Equal("ai-101", Assert.Single(export.CheckIns).SessionId);

        await part.EraseAsync(subject, default);
        Assert.Null(await part.ExportAsync(subject, default));
        Assert.Equal(["bob"], await FavouritersAsync(session.Id));
    }

    [Fact]
    public async Task AgendaSql_selects_the_devices_of_those_who_favourited_a_session_or_a_track()
    {
        var (client, appId, session) = await StartAsync();
        var web = await f.Host.Get<SessionService>().CreateAsync(appId, new SessionForm
        {
            ExternalId = "web-1", Title = "Web", Track = "Web", Start = new DateTime(2030, 6, 12, 12, 0, 0), End = new DateTime(2030, 6, 12, 13, 0, 0),
        }, AgendaWorld.Organizer);
        var registry = f.Host.Get<DeviceRegistry>();
        foreach (var user in new[] { "ada", "bob", "eve" })
            await registry.RegisterAsync(appId, $"{user}-phone", new InstallationRequest { Platform = "ios", PushToken = PushConsole.Tests.Devices.DeviceKit.ApnsToken(user + appId), UserId = user });
        await client.PutAsync("/api/v1/users/ada/favorites/ai-101", null);
        await client.PutAsync("/api/v1/users/bob/favorites/web-1", null);
        await client.PutAsync("/api/v1/users/eve/checkins/web-1", null);

        async Task<List<string>> DevicesAsync(string where, object parameters)
        {
            await using var connection = await f.Host.Get<Database>().OpenAsync();
            return (await connection.QueryAsync<string>($"SELECT i.external_id FROM installations i LEFT JOIN app_users u ON u.id = i.app_user_id WHERE i.app_id = @app AND {where} ORDER BY 1",
                parameters)).ToList();
        }
        Assert.Equal(["ada-phone", "bob-phone"], await DevicesAsync(AgendaSql.SessionsByExternalId(SqlDialect.Sqlite, "@app", "@ids"), new { app = appId, ids = new[] { "ai-101", "web-1" } }));
        Assert.Equal(["bob-phone"], await DevicesAsync(AgendaSql.Track("@app", "@track"), new { app = appId, track = "Web" }));
        Assert.Equal(["eve-phone"], await DevicesAsync(AgendaSql.Track("@app", "@track", checkedIn: true), new { app = appId, track = "Web" }));
        Assert.Equal(["ada-phone", "eve-phone"], await DevicesAsync(PushConsole.Sending.Launch.AudienceSql.AttendeesOf(SqlDialect.Sqlite, "@fav", "@checked"), new { app = appId, fav = new[] { session.Id }, @checked = new[] { web.Id } }));
    }
}
