using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PushConsole.Agenda;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Tests.Agenda;

namespace PushConsole.Tests.EventData;

/// <summary>/v4/sessions and /v4/event: the agenda from the organizer's tool, with the console's rules.</summary>
public sealed class SessionApiTests : IAsyncLifetime
{
    private AppHost _host = default!;

    public async Task InitializeAsync() => _host = await AppHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpClient Server, long AppId)> NewAppAsync()
    {
        var created = await _host.Get<AppService>().CreateAsync(new NewApp($"Summit {Guid.NewGuid():N}"), Actor.System);
        return (Server(_host, created.App.AppKey, created.MasterSecret), created.App.Id);
    }

    internal static HttpClient Server(AppHost host, string appKey, string masterSecret)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{appKey}:{masterSecret}")));
        return client;
    }

    private static async Task<string?> FirstErrorFieldAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().First().Name;
    }

    [Fact]
    public async Task A_session_before_any_event_creates_the_event_in_UTC_and_the_agenda_lists_it()
    {
        var (server, appId) = await NewAppAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/event")).StatusCode);

        var created = await server.PostAsJsonAsync("v4/sessions", new
        {
            id = "ai-101", title = "AI in practice", track = "ai", room = "Hall A", starts_at = "2030-06-11T09:30:00+02:00", ends_at = "2030-06-11T08:15:00Z",
            speakers = new[] { "Ada Lovelace", "Alan Turing" },
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v4/sessions/ai-101", created.Headers.Location?.OriginalString);
        var session = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("2030-06-11T07:30:00Z", "2030-06-11T08:15:00Z"), (session.GetProperty("starts_at").GetString(), session.GetProperty("ends_at").GetString()));
        Assert.Equal(["Ada Lovelace", "Alan Turing"], session.GetProperty("speakers").EnumerateArray().Select(s => s.GetString()));
        var agendaEvent = await server.GetFromJsonAsync<JsonElement>("v4/event");
        Assert.Equal(("UTC", "2030-06-11", "2030-06-11"), (agendaEvent.GetProperty("time_zone").GetString(), agendaEvent.GetProperty("start_date").GetString(),
            agendaEvent.GetProperty("end_date").GetString()));
        // the console's agenda shows what the API stored
        var row = Assert.Single(await _host.Get<AgendaQueries>().SessionsAsync(appId));
        Assert.Equal(("ai-101", "Ada Lovelace; Alan Turing", new DateTime(2030, 6, 11, 7, 30, 0)), (row.ExternalId, row.Speakers, row.StartsAt));

        // the venue's zone set later: the session keeps its instant; a time without offset is then Paris time, and the dates widen to take it
        var zone = await server.PutAsJsonAsync("v4/event", new { time_zone = "Europe/Paris", quiet_time = true });
        Assert.Equal(HttpStatusCode.OK, zone.StatusCode);
        var second = await server.PutAsJsonAsync("v4/sessions/web-201", new { title = "Web at scale", starts_at = "2030-06-12T14:00", ends_at = "2030-06-12T14:45" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("2030-06-12T12:00:00Z", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("starts_at").GetString());
        var list = await server.GetFromJsonAsync<JsonElement>("v4/sessions");
        Assert.Equal(["ai-101", "web-201"], list.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal("2030-06-11T07:30:00Z", list.GetProperty("sessions")[0].GetProperty("starts_at").GetString());
        var widened = await server.GetFromJsonAsync<JsonElement>("v4/event");
        Assert.Equal(("Europe/Paris", true, "2030-06-12"), (widened.GetProperty("time_zone").GetString(), widened.GetProperty("quiet_time").GetBoolean(),
            widened.GetProperty("end_date").GetString()));

        Assert.Equal(HttpStatusCode.Conflict, (await server.PostAsJsonAsync("v4/sessions", new { id = "ai-101", title = "Again", starts_at = "2030-06-11T10:00",
            ends_at = "2030-06-11T11:00" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync("v4/sessions/web-201")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/sessions/web-201")).StatusCode);
    }

    [Fact]
    public async Task Bad_sessions_and_events_are_400s_naming_the_field_and_store_nothing()
    {
        var (server, appId) = await NewAppAsync();

        Assert.Equal("ends_at", await FirstErrorFieldAsync(await server.PostAsJsonAsync("v4/sessions",
            new { id = "late", title = "Backwards", starts_at = "2030-06-11T10:00:00Z", ends_at = "2030-06-11T09:00:00Z" })));
        Assert.Equal("title", await FirstErrorFieldAsync(await server.PostAsJsonAsync("v4/sessions",
            new { id = "untitled", starts_at = "2030-06-11T10:00:00Z", ends_at = "2030-06-11T11:00:00Z" })));
        Assert.Equal("starts_at", await FirstErrorFieldAsync(await server.PostAsJsonAsync("v4/sessions",
            new { id = "when", title = "Sometime", starts_at = "next tuesday", ends_at = "2030-06-11T11:00:00Z" })));
        Assert.Equal("speakers[1]", await FirstErrorFieldAsync(await server.PostAsJsonAsync("v4/sessions",
            new { id = "who", title = "Panel", starts_at = "2030-06-11T10:00:00Z", ends_at = "2030-06-11T11:00:00Z", speakers = new[] { "Ada", "" } })));
        // no session, and no event created for a session that was refused
        Assert.Empty((await server.GetFromJsonAsync<JsonElement>("v4/sessions")).GetProperty("sessions").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/event")).StatusCode);

        Assert.Equal("time_zone", await FirstErrorFieldAsync(await server.PutAsJsonAsync("v4/event", new { name = "Summit", time_zone = "Mars/Olympus_Mons" })));
        Assert.Equal("name", await FirstErrorFieldAsync(await server.PutAsJsonAsync("v4/event", new { time_zone = "Europe/Paris" })));
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/event")).StatusCode);

        // a change that makes a stored session end before it starts leaves it as it was
        (await server.PostAsJsonAsync("v4/sessions", new { id = "ok", title = "Fine", starts_at = "2030-06-11T10:00:00Z", ends_at = "2030-06-11T11:00:00Z" }))
            .EnsureSuccessStatusCode();
        Assert.Equal("ends_at", await FirstErrorFieldAsync(await server.PutAsJsonAsync("v4/sessions/ok", new { starts_at = "2030-06-11T12:00:00Z" })));
        Assert.Equal("id", await FirstErrorFieldAsync(await server.PutAsJsonAsync("v4/sessions/ok", new { id = "renamed" })));
        var stored = Assert.Single(await _host.Get<AgendaQueries>().SessionsAsync(appId));
        Assert.Equal(new DateTime(2030, 6, 11, 10, 0, 0), stored.StartsAt);
    }
}

/// <summary>A session moved or cancelled through the API alerts its favouriters exactly as the console does (same service, sandbox).</summary>
public sealed class SessionApiAlertTests
{
    // Friday 12 June 2026, 07:00 in Paris (UTC+2)
    private static readonly DateTimeOffset Morning = new(2026, 6, 12, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_session_moved_through_the_API_alerts_its_favouriters_and_moves_its_reminder()
    {
        await using var w = await AgendaWorld.StartAsync(Morning);
        var ada = await w.AttendeeAsync("ada", timeZone: "Europe/Paris");
        var eve = await w.AttendeeAsync("eve", timeZone: "Europe/Paris");
        var keynote = await w.SessionAsync("keynote", "Keynote", new DateTime(2026, 6, 12, 10, 0, 0));
        await w.RuleAsync(15);
        await w.FavoriteAsync("ada", "keynote");
        var secret = await w.Get<AppService>().RotateMasterSecretAsync(w.AppId, Actor.System);
        using var server = SessionApiTests.Server(w.S.Host, w.S.App.AppKey, secret);

        var moved = await server.PutAsJsonAsync("v4/sessions/keynote", new { starts_at = "2026-06-12T11:00:00+02:00", ends_at = "2026-06-12T11:45:00+02:00" });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("2026-06-12T09:00:00Z", (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("starts_at").GetString());
        var alert = await w.WaitForAgendaCampaignAsync();
        Assert.Equal("Time change · Keynote", alert.Name);
        Assert.Equal(("Time change: Keynote", "Now 11:00 AM–11:45 AM (was 10:00 AM), Hall A."), AgendaWorld.Shown(Assert.Single(w.MessagesTo(ada))));
        Assert.Empty(w.MessagesTo(eve));
        Assert.Equal(new DateTime(2026, 6, 12, 8, 45, 0), Assert.Single(await w.Get<AgendaQueries>().PlannedAsync(keynote.Id)).FiresAt);
        Assert.Equal("api:" + w.S.App.AppKey, Assert.Single(await w.Get<AgendaQueries>().ChangesAsync(keynote.Id)).By);

        // cancelled through the API: the same cancellation alert, and the reminder is gone
        var cancelled = await server.PutAsJsonAsync("v4/sessions/keynote", new { cancelled = true });
        Assert.True((await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cancelled").GetBoolean());
        await w.WaitForAgendaCampaignAsync(2);
        Assert.Equal("Cancelled: Keynote", AgendaWorld.Shown(w.MessagesTo(ada)[^1]).Title);
        Assert.Empty(await w.Get<AgendaQueries>().PlannedAsync(keynote.Id));
        // a session someone favourited is cancelled, not deleted
        Assert.Equal(HttpStatusCode.Conflict, (await server.DeleteAsync("v4/sessions/keynote")).StatusCode);
    }
}
