using PushConsole.Audit;
using PushConsole.Consent;
using PushConsole.Devices;
using PushConsole.Geofences;

namespace PushConsole.Demo;

/// <summary>
/// The venue's geofences (entrance, the halls linked to their agenda rooms, the shuttle stop), location consent from most
/// attendees, and yesterday's transitions at badge pick-up, so the geofences page, its stats and the segments have data.
/// </summary>
public static class DemoGeofences
{
    private const double Lat = 52.2297, Lon = 21.0122;

    private static readonly GeofenceRequest[] Fences =
    [
        new("venue", "Main entrance", Lat, Lon, 120, 60, 6 * 3600, null, null),
        new("hall-a", "Hall A (keynotes)", Lat + 0.0012, Lon + 0.0012, 40, 120, 3600, null, null, DemoAgenda.MainHall),
        .. DemoAgenda.Tracks.Select((t, n) => new GeofenceRequest($"room-{n + 1}", $"{t.Room} ({t.Name})", Lat + 0.0008 * (n + 1), Lon - 0.0012, 30, 120, 3600, null, null, t.Room)),
        new("shuttle", "Shuttle stop (airport line)", Lat - 0.0015, Lon + 0.0020, 60, 30, 6 * 3600, null, null),
    ];

    public static async Task SeedAsync(IServiceProvider services, long appId, IReadOnlyList<(string UserId, string Phone)> attendees, TimeProvider clock, CancellationToken ct)
    {
        var geofences = services.GetRequiredService<GeofenceService>();
        await geofences.ImportAsync(appId, Fences, Actor.Cli, ct);
        var preferences = services.GetRequiredService<PreferenceService>();
        var random = new Random(18);
        // three in four attendees allow location; the others never see a geofence
        var located = attendees.Where(_ => random.Next(4) > 0).ToList();
        await Parallel.ForEachAsync(located, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct },
            async (a, _) => await preferences.SetForUserAsync(appId, a.UserId, new PreferencesRequest { Location = true }));
        var yesterday = clock.GetUtcNow().UtcDateTime.Date.AddDays(-1);
        var events = new List<ClientEventRequest?>();
        foreach (var (_, phone) in located.Where(_ => random.Next(3) > 0))
        {
            // badge pick-up between 15:00 and 19:00 UTC: in at the entrance, out after 5–40 minutes, some on to the shuttle
            var arrived = yesterday.AddHours(15).AddMinutes(random.Next(240));
            var stay = random.Next(5 * 60, 40 * 60);
            events.Add(Transition(phone, ClientEventTypes.GeofenceEntered, "venue", arrived, null));
            if (stay > 60) events.Add(Transition(phone, ClientEventTypes.GeofenceDwelled, "venue", arrived.AddSeconds(60), 60));
            events.Add(Transition(phone, ClientEventTypes.GeofenceExited, "venue", arrived.AddSeconds(stay), stay));
            if (random.Next(3) == 0) events.Add(Transition(phone, ClientEventTypes.GeofenceEntered, "shuttle", arrived.AddSeconds(stay + 120), null));
            if (random.Next(4) == 0) events.Add(Transition(phone, ClientEventTypes.GeofenceEntered, "hall-a", arrived.AddMinutes(3), null));
        }
        var store = services.GetRequiredService<ClientEvents>();
        foreach (var chunk in events.Chunk(ClientEvents.MaxPerRequest)) await store.RecordAsync(appId, chunk, isArray: true);
    }

    private static ClientEventRequest Transition(string installation, string type, string geofence, DateTime at, int? dwell) =>
        new() { InstallationId = installation, Type = type, GeofenceId = geofence, At = new DateTimeOffset(at), DwellSeconds = dwell };
}
