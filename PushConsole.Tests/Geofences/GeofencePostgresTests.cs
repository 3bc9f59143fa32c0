using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PushConsole.Audit;
using PushConsole.Devices;
using PushConsole.Geofences;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Geofences;

[Collection(PostgresCollection.Name)]
public sealed class GeofencePostgresTests(PostgresCluster postgres)
{
    [Fact]
    public async Task On_PostgreSQL_a_change_on_one_server_reaches_the_sync_of_another_and_transitions_are_vetted()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var first = await AppHost.StartAsync(o => { o.PostgresConnectionString = connectionString; });
        await using var second = await AppHost.StartAsync(o =>
        {
            o.PostgresConnectionString = connectionString;
            o.Services = s => s.AddSingleton<IClientEventSink, RecordingSink>();
        });
        using var kit = await DeviceKit.CreateAsync(first);
        var geofences = first.Get<GeofenceService>();
        await geofences.CreateAsync(kit.AppId, new GeofenceRequest("far", "Far", 52.30, 21.01, 100, 0, 3600, null, null), Actor.System);
        await kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        (await kit.Client.PutAsJsonAsync("api/v1/users/ana/preferences", new { location = true })).EnsureSuccessStatusCode();

        using var other = second.CreateClient();
        other.DefaultRequestHeaders.Add("X-App-Key", kit.App.App.AppKey);
        async Task<List<string>> SyncAsync() => [.. (await other.GetFromJsonAsync<JsonElement>("api/v1/installations/phone/geofences?lat=52.2297&lon=21.0122"))
            .GetProperty("geofences").EnumerateArray().Select(g => g.GetProperty("id").GetString()!)];
        Assert.Equal(["far"], await SyncAsync());
        // the second server cached the set; a change made through the first moves the version it reads
        await geofences.CreateAsync(kit.AppId, new GeofenceRequest("near", "Near", 52.2298, 21.0122, 100, 0, 3600, null, null), Actor.System);
        Assert.Equal(["near", "far"], await SyncAsync());

        var sink = second.Get<IEnumerable<IClientEventSink>>().OfType<RecordingSink>().Single();
        var t0 = DateTime.UtcNow.AddHours(-3);
        foreach (var minutes in new[] { 0, 10, 70 })
            (await other.PostAsJsonAsync("api/v1/events", new { installationId = "phone", type = "geofence_entered", geofenceId = "near", at = t0.AddMinutes(minutes).ToString("O") }))
                .EnsureSuccessStatusCode();
        Assert.Equal([false, true, false], sink.Seen.Select(e => e.Quiet));
        var unknown = await other.PostAsJsonAsync("api/v1/events", new { installationId = "phone", type = "geofence_exited", geofenceId = "gone" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(3, (await first.Get<GeofenceStats>().ForAsync(kit.AppId, "near")).Entered);
    }
}
