using System.Net;
using Bunit;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Geofences;
using PushConsole.Tests.Devices;
using Microsoft.Extensions.DependencyInjection;

namespace PushConsole.Tests.Geofences;

public sealed class GeofenceApiTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private DeviceKit _kit = default!;
    private HttpClient _server = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync(o => o.Services = s => s.AddSingleton<IClientEventSink, RecordingSink>());
        _kit = await DeviceKit.CreateAsync(_host);
        _server = _kit.ServerClient();
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    private static object Fence(string id, double lat, double lon, double radius = 100, int cooldown = 0, string? room = null,
        string? from = null, string? until = null) =>
        new { id, name = $"Fence {id}", latitude = lat, longitude = lon, radius_m = radius, dwell_seconds = 60, cooldown_seconds = cooldown,
              active_from = from, active_until = until, room };

    private async Task CreateAsync(object body)
    {
        var response = await _server.PostAsJsonAsync("v4/geofences", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> SyncAsync(string installation, string lat, string lon)
    {
        var response = await _kit.Client.GetAsync($"api/v1/installations/{installation}/geofences?lat={lat}&lon={lon}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task SetLocationAsync(string user, bool granted)
    {
        var response = await _kit.Client.PutAsJsonAsync($"api/v1/users/{user}/preferences", new { location = granted });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(granted, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("location").GetBoolean());
    }

    private Task<HttpResponseMessage> ReportAsync(object body) => _kit.Client.PostAsJsonAsync("api/v1/events", body);

    [Fact]
    public async Task Crud_round_trips_in_snake_case_and_another_apps_geofences_are_404()
    {
        await CreateAsync(new { id = "venue", name = "Main entrance", latitude = 52.2297, longitude = 21.0122, radius_m = 150, dwell_seconds = 120,
            cooldown_seconds = 21600, active_from = (string?)null, active_until = (string?)null });
        var got = await _server.GetFromJsonAsync<JsonElement>("v4/geofences/venue");
        Assert.Equal(("Main entrance", 52.2297, 150.0, 21600), (got.GetProperty("name").GetString(), got.GetProperty("latitude").GetDouble(),
            got.GetProperty("radius_m").GetDouble(), got.GetProperty("cooldown_seconds").GetInt32()));
        var put = await _server.PutAsJsonAsync("v4/geofences/venue", new { name = "North entrance", latitude = 52.23, longitude = 21.01, radius_m = 80 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var list = await _server.GetFromJsonAsync<JsonElement>("v4/geofences");
        Assert.Equal("North entrance", list.GetProperty("geofences")[0].GetProperty("name").GetString());
        Assert.Equal(0, list.GetProperty("geofences")[0].GetProperty("cooldown_seconds").GetInt32());

        using var other = await DeviceKit.CreateAsync(_host, "Other app");
        using var otherServer = other.ServerClient();
        Assert.Equal(HttpStatusCode.NotFound, (await otherServer.GetAsync("v4/geofences/venue")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherServer.DeleteAsync("v4/geofences/venue")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherServer.GetAsync("v4/geofences/venue/stats")).StatusCode);
        Assert.Equal(0, (await otherServer.GetFromJsonAsync<JsonElement>("v4/geofences")).GetProperty("geofences").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await _server.DeleteAsync("v4/geofences/venue")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.GetAsync("v4/geofences/venue")).StatusCode);
    }

    [Theory]
    [InlineData("""{"id":"a","name":"A","latitude":90.5,"longitude":0,"radius_m":100}""", "latitude")]
    [InlineData("""{"id":"a","name":"A","latitude":-91,"longitude":0,"radius_m":100}""", "latitude")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":180.1,"radius_m":100}""", "longitude")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":-181,"radius_m":100}""", "longitude")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":0,"radius_m":19}""", "radius_m")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":0,"radius_m":10001}""", "radius_m")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":0}""", "radius_m")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":0,"radius_m":100,"dwell_seconds":-1}""", "dwell_seconds")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":0,"radius_m":100,"cooldown_seconds":-5}""", "cooldown_seconds")]
    [InlineData("""{"id":"a","name":"A","latitude":0,"longitude":0,"radius_m":100,"active_from":"2026-11-23T00:00:00Z","active_until":"2026-11-22T00:00:00Z"}""", "active_until")]
    [InlineData("""{"id":"a b","name":"A","latitude":0,"longitude":0,"radius_m":100}""", "id")]
    [InlineData("""{"id":"a","latitude":0,"longitude":0,"radius_m":100}""", "name")]
    [InlineData("""{"id":"dup","name":"A","latitude":0,"longitude":0,"radius_m":100}""", "id")]
    [InlineData("""{"id":"a","name":"A","latitude":"north","longitude":0,"radius_m":100}""", "latitude")]
    public async Task Bad_input_is_a_400_naming_the_field_and_stores_nothing(string json, string field)
    {
        await CreateAsync(Fence("dup", 1, 1));
        var response = await _server.PostAsync("v4/geofences", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.TrimStart('$', '.') == field), text);
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(["dup"], await db.Set<Geofence>().Select(g => g.ExternalId).ToListAsync());
    }

    [Fact]
    public async Task The_sync_lists_the_nearest_twenty_active_of_thirty_around_a_point_only_with_location_consent()
    {
        // 30 geofences on a spiral around the venue: fence k is about 100·(k+1) m away
        const double lat0 = 52.2297, lon0 = 21.0122;
        for (var k = 0; k < 30; k++)
        {
            var angle = k * 2.4;
            var metres = 100.0 * (k + 1);
            await CreateAsync(Fence($"f{k:00}", lat0 + metres * Math.Cos(angle) / 111_195, lon0 + metres * Math.Sin(angle) / (111_195 * Math.Cos(lat0 * Math.PI / 180))));
        }
        // the nearest of all is not active yet, another has ended: neither is listed
        await CreateAsync(Fence("soon", lat0, lon0, from: DateTime.UtcNow.AddDays(1).ToString("O")));
        await CreateAsync(Fence("over", lat0, lon0, until: DateTime.UtcNow.AddDays(-1).ToString("O")));
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");

        var before = await SyncAsync("phone", "52.2297", "21.0122");
        Assert.Equal(0, before.GetProperty("geofences").GetArrayLength());
        Assert.False(before.GetProperty("locationConsent").GetBoolean());

        await SetLocationAsync("ana", true);
        var answer = await SyncAsync("phone", "52.2297", "21.0122");
        var listed = answer.GetProperty("geofences").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(k => $"f{k:00}"), listed.Select(g => g.GetProperty("id").GetString()));
        Assert.InRange(listed[0].GetProperty("distanceM").GetDouble(), 99, 101);
        Assert.InRange(listed[19].GetProperty("distanceM").GetDouble(), 1995, 2005);
        Assert.Equal(100, listed[0].GetProperty("radiusM").GetDouble());

        // a change moves the version and shows up in the next sync (the index is refreshed)
        var version = answer.GetProperty("version").GetInt64();
        await CreateAsync(Fence("closest", lat0 + 0.0001, lon0));
        var after = await SyncAsync("phone", "52.2297", "21.0122");
        Assert.True(after.GetProperty("version").GetInt64() > version);
        Assert.Equal("closest", after.GetProperty("geofences")[0].GetProperty("id").GetString());
        Assert.Equal(20, after.GetProperty("geofences").GetArrayLength());

        // withdrawn: empty again
        await SetLocationAsync("ana", false);
        Assert.Equal(0, (await SyncAsync("phone", "52.2297", "21.0122")).GetProperty("geofences").GetArrayLength());
    }

    [Fact]
    public async Task Sync_coordinates_are_checked_and_never_stored_or_logged()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        await SetLocationAsync("ana", true);
        var bad = await _kit.Client.GetAsync("api/v1/installations/phone/geofences?lat=95.123457&lon=21.0122");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var text = await bad.Content.ReadAsStringAsync();
        Assert.Contains("\"lat\"", text);
        Assert.DoesNotContain("95.123457", text);
        Assert.Equal(HttpStatusCode.NotFound, (await _kit.Client.GetAsync("api/v1/installations/nobody/geofences?lat=1&lon=2")).StatusCode);
        await SyncAsync("phone", "48.858371", "2.294481");
        foreach (var coordinate in new[] { "48.858371", "2.294481", "95.123457" }) Assert.DoesNotContain(coordinate, _host.Logs.All);
    }

    [Fact]
    public async Task Transitions_need_a_known_geofence_location_consent_and_repeats_within_the_cooldown_are_stored_quiet()
    {
        var sink = _host.Get<IEnumerable<IClientEventSink>>().OfType<RecordingSink>().Single();
        await CreateAsync(Fence("hall-b", 52.23, 21.01, cooldown: 3600, room: "Hall B"));
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");

        var unknown = await ReportAsync(new[] { new { installationId = "phone", type = "geofence_entered", geofenceId = "hall-b" },
                                                new { installationId = "phone", type = "geofence_entered", geofenceId = "nowhere" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("[1].geofenceId", await unknown.Content.ReadAsStringAsync());

        // no location consent: accepted, but dropped
        Assert.Equal(HttpStatusCode.Accepted, (await ReportAsync(new { installationId = "phone", type = "geofence_entered", geofenceId = "hall-b" })).StatusCode);
        Assert.Empty(await TransitionsAsync());
        Assert.Empty(sink.Seen);

        await SetLocationAsync("ana", true);
        var t0 = DateTime.UtcNow.AddHours(-5);
        foreach (var (minutes, type) in new[] { (0, "geofence_entered"), (20, "geofence_exited"), (30, "geofence_entered"), (90, "geofence_entered") })
            Assert.Equal(HttpStatusCode.Accepted, (await ReportAsync(new { installationId = "phone", type, geofenceId = "hall-b",
                at = t0.AddMinutes(minutes).ToString("O"), dwellSeconds = type == "geofence_exited" ? 1200 : (int?)null })).StatusCode);
        Assert.Equal(4, (await TransitionsAsync()).Count);
        // the re-entry after 30 min is inside the hour's cooldown; the one after 90 min is not; the exit is another kind
        Assert.Equal([false, false, true, false], sink.Seen.Select(e => e.Quiet));
        Assert.Equal(1200, sink.Seen[1].DwellSeconds);

        var stats = await _server.GetFromJsonAsync<JsonElement>("v4/geofences/hall-b/stats");
        Assert.Equal((3, 1, 1200.0), (stats.GetProperty("entered").GetInt32(), stats.GetProperty("exited").GetInt32(), stats.GetProperty("median_dwell_seconds").GetDouble()));
        Assert.Equal(4, stats.GetProperty("by_hour").EnumerateArray().Sum(h => h.GetProperty("entered").GetInt32() + h.GetProperty("exited").GetInt32()));
    }

    [Fact]
    public async Task A_transition_carries_the_session_running_or_next_in_the_geofences_room()
    {
        var sink = _host.Get<IEnumerable<IClientEventSink>>().OfType<RecordingSink>().Single();
        await using (var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var ev = new PushConsole.Agenda.AgendaEvent { AppId = _kit.AppId, Name = "Conf", TimeZone = "UTC" };
            db.Add(ev);
            await db.SaveChangesAsync();
            var now = DateTime.UtcNow;
            db.AddRange(
                Session(ev, "past", "Old talk", "Hall B", now.AddHours(-3), now.AddHours(-2)),
                Session(ev, "next", "Keynote", "Hall B", now.AddHours(1), now.AddHours(2)),
                Session(ev, "later", "Closing", "Hall B", now.AddHours(3), now.AddHours(4)),
                Session(ev, "other", "Elsewhere", "Hall C", now.AddMinutes(10), now.AddHours(1)));
            await db.SaveChangesAsync();
        }
        await CreateAsync(Fence("hall-b", 52.23, 21.01, room: "Hall B"));
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        await SetLocationAsync("ana", true);
        await ReportAsync(new { installationId = "phone", type = "geofence_entered", geofenceId = "hall-b" });
        Assert.Equal("next", Assert.Single(sink.Seen).SessionId);
    }

    private PushConsole.Agenda.AgendaSession Session(PushConsole.Agenda.AgendaEvent ev, string id, string title, string room, DateTime starts, DateTime ends) =>
        new() { EventId = ev.Id, AppId = _kit.AppId, ExternalId = id, Title = title, Room = room, StartsAt = starts, EndsAt = ends, CreatedAt = starts, UpdatedAt = starts };

    [Fact]
    public async Task Transitions_and_location_consent_are_exported_and_erased_with_the_user()
    {
        await CreateAsync(Fence("venue", 52.23, 21.01));
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        await _kit.RegisterAndroidAsync("other", DeviceKit.FcmToken("o"), "bob");
        await SetLocationAsync("ana", true);
        await SetLocationAsync("bob", true);
        foreach (var device in new[] { "phone", "other" })
            await ReportAsync(new { installationId = device, type = "geofence_exited", geofenceId = "venue", dwellSeconds = 300 });

        var data = _host.Get<UserDataService>();
        var export = JsonSerializer.SerializeToElement(await data.ExportAsync(_kit.AppId, "ana", Actor.System), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var part = export.GetProperty("geofences");
        Assert.True(part.GetProperty("locationConsent").GetProperty("granted").GetBoolean());
        var transition = Assert.Single(part.GetProperty("transitions").EnumerateArray());
        Assert.Equal(("venue", "Fence venue", 300), (transition.GetProperty("geofenceId").GetString(), transition.GetProperty("geofenceName").GetString(),
            transition.GetProperty("dwellSeconds").GetInt32()));

        await data.EraseAsync(_kit.AppId, "ana", Actor.System, ChangeSources.ServerApi);
        var left = await TransitionsAsync();
        Assert.Equal([(await _kit.InstallationAsync("other"))!.Id], left.Select(e => e.InstallationId));
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Set<LocationConsent>().CountAsync());
    }

    [Fact]
    public async Task Location_consent_is_changed_from_the_console_with_a_changelog_entry_and_an_anonymous_device_gives_its_own()
    {
        await CreateAsync(Fence("venue", 52.23, 21.01));
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        await _kit.RegisterAndroidAsync("kiosk", DeviceKit.FcmToken("k"));
        var consents = _host.Get<LocationConsentService>();

        await consents.SetForUserAsync(_kit.AppId, "ana", true, new Actor("organizer@example.com"));
        Assert.Equal(1, (await SyncAsync("phone", "52.23", "21.01")).GetProperty("geofences").GetArrayLength());
        var phone = (await _kit.InstallationAsync("phone"))!;
        Assert.True((await consents.ForUserAsync(phone.AppUserId!.Value)).Granted);
        await using (var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var entry = await db.Set<TokenChange>().Where(c => c.InstallationId == phone.Id && c.Details!.Contains("location consent granted")).SingleAsync();
            Assert.Contains("organizer@example.com", entry.Details);
        }

        // a device nobody is logged in on: its own location consent
        Assert.Equal(0, (await SyncAsync("kiosk", "52.23", "21.01")).GetProperty("geofences").GetArrayLength());
        var own = await _kit.Client.PutAsJsonAsync("api/v1/installations/kiosk/preferences", new { location = true });
        Assert.True(own.IsSuccessStatusCode, await own.Content.ReadAsStringAsync());
        Assert.Equal(1, (await SyncAsync("kiosk", "52.23", "21.01")).GetProperty("geofences").GetArrayLength());
        // the user's choice, not the device's, once someone logs in
        await _kit.Client.PutAsJsonAsync("api/v1/installations/kiosk/user", new { userId = "bob" });
        Assert.Equal(0, (await SyncAsync("kiosk", "52.23", "21.01")).GetProperty("geofences").GetArrayLength());
    }

    [Fact]
    public async Task The_lookup_panel_shows_location_consent_and_an_organizer_grants_it()
    {
        await CreateAsync(Fence("venue", 52.23, 21.01));
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        var key = (await _kit.InstallationAsync("phone"))!.AppUserId!.Value;
        var user = new LookupUser(key, _kit.AppId, "Event app", "ana", null, null, null, null, null, ConsentState.Unknown, null, null, DateTime.UtcNow, [], [], []);
        await using var ctx = ComponentContext.Create();
        ctx.UseHostServices(_host, "organizer@example.com", typeof(LocationConsentService));
        ctx.AddMudProviders();
        var panel = ctx.Render<PushConsole.Geofences.Pages.LocationConsentPanel>(p => p.Add(c => c.User, user));
        panel.WaitForAssertion(() => Assert.Equal("not given", panel.Find(".location-state").TextContent.Trim()));

        await panel.Find("button.toggle-location").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.Equal("granted", panel.Find(".location-state").TextContent.Trim()));
        Assert.Equal(1, (await SyncAsync("phone", "52.23", "21.01")).GetProperty("geofences").GetArrayLength());
    }

    [Fact]
    public async Task A_csv_list_is_imported_all_or_nothing_and_a_bad_row_is_named()
    {
        var service = _host.Get<GeofenceService>();
        const string good = "id,name,latitude,longitude,radius_m,dwell_seconds,cooldown_seconds,room\n" +
                            "venue,Main entrance,52.2297,21.0122,150,120,21600,\n" +
                            "hall-b,\"Hall B, level 1\",52.2301,21.0131,40,60,3600,Hall B\n";
        Assert.Equal(2, await service.ImportAsync(_kit.AppId, GeofenceCsv.Parse(good), Actor.System));
        var hall = await service.GetAsync(_kit.AppId, "hall-b");
        Assert.Equal(("Hall B, level 1", 40.0, "Hall B"), (hall.Name, hall.RadiusM, hall.Room));

        var bad = good.Replace("hall-b,", "hall-c,").Replace(",40,", ",5,") + "shuttle,Shuttle,north,21,60,,,\n";
        var parse = Assert.Throws<BadInputException>(() => GeofenceCsv.Parse(bad));
        Assert.Contains("[2].latitude", parse.Errors.Keys);
        var import = await Assert.ThrowsAsync<BadInputException>(() => service.ImportAsync(_kit.AppId, GeofenceCsv.Parse(bad.Split("shuttle")[0]), Actor.System));
        Assert.Equal(["[1].radius_m"], import.Errors.Keys);
        Assert.Equal(["hall-b", "venue"], (await service.ListAsync(_kit.AppId)).Select(g => g.ExternalId).Order());
    }

    private async Task<List<ClientEvent>> TransitionsAsync()
    {
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<ClientEvent>().Where(e => e.GeofenceId != null).OrderBy(e => e.Id).ToListAsync();
    }
}

/// <summary>Keeps what the sinks were handed: the test's view of what automations would see (Quiet, SessionId).</summary>
public sealed class RecordingSink : IClientEventSink
{
    public List<StoredClientEvent> Seen { get; } = [];

    public Task OnStoredAsync(RegistryTx tx, long appId, IReadOnlyList<StoredClientEvent> events)
    {
        lock (Seen) Seen.AddRange(events.Where(e => e.GeofenceId is not null));
        return Task.CompletedTask;
    }
}
