using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Audit;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Geofences;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Geofences;

public sealed class GeofenceRetentionTests
{
    [Fact]
    public async Task Transitions_and_their_cooldown_marks_expire_with_the_other_events()
    {
        await using var host = await AppHost.StartAsync(o => o.Args.Add("--Retention:EventsDays=3"));
        using var kit = await DeviceKit.CreateAsync(host);
        foreach (var id in new[] { "venue", "shuttle" })
            await host.Get<GeofenceService>().CreateAsync(kit.AppId, new GeofenceRequest(id, id, 52.23, 21.01, 100, 0, 3600, null, null), Actor.System);
        await kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        (await kit.Client.PutAsJsonAsync("api/v1/users/ana/preferences", new { location = true })).EnsureSuccessStatusCode();
        foreach (var (geofence, daysAgo) in new[] { ("venue", 5), ("shuttle", 1) })
            (await kit.Client.PostAsJsonAsync("api/v1/events", new { installationId = "phone", type = "geofence_entered", geofenceId = geofence,
                at = DateTime.UtcNow.AddDays(-daysAgo).ToString("O") })).EnsureSuccessStatusCode();

        await host.Get<RetentionService>().PurgeAsync();

        await using var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(["shuttle"], await db.Set<ClientEvent>().Where(e => e.GeofenceId != null).Select(e => e.GeofenceId).ToListAsync());
        // the recent entry's cooldown mark stays (its cooldown may still run); the one older than the retention is gone
        var mark = Assert.Single(await db.Set<GeofenceTrigger>().ToListAsync());
        Assert.True(mark.At > DateTime.UtcNow.AddDays(-2));
    }
}
