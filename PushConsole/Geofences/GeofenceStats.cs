using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Geofences;

public sealed record GeofenceHour(
    [property: JsonPropertyName("hour")] DateTime Hour,
    [property: JsonPropertyName("entered")] int Entered,
    [property: JsonPropertyName("exited")] int Exited,
    [property: JsonPropertyName("dwelled")] int Dwelled);

/// <summary>Answer of <c>GET /v4/geofences/{id}/stats</c>: totals, transitions per UTC hour (hours with none left out) and the median stay.</summary>
public sealed record GeofenceStatsView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("entered")] int Entered,
    [property: JsonPropertyName("exited")] int Exited,
    [property: JsonPropertyName("dwelled")] int Dwelled,
    [property: JsonPropertyName("median_dwell_seconds")] double? MedianDwellSeconds,
    [property: JsonPropertyName("by_hour")] IReadOnlyList<GeofenceHour> ByHour);

/// <summary>Transitions of one geofence as stored in <c>client_events</c> (quiet repeats included: they happened).</summary>
public sealed class GeofenceStats(IDbContextFactory<AppDbContext> contexts, GeofenceService geofences)
{
    public async Task<GeofenceStatsView> ForAsync(long appId, string id, CancellationToken ct = default)
    {
        var geofence = await geofences.GetAsync(appId, id, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<ClientEvent>().AsNoTracking()
            .Where(e => e.AppId == appId && e.GeofenceId == geofence.ExternalId)
            .Select(e => new Row(e.Type, e.At, e.DwellSeconds)).ToListAsync(ct);
        var hours = rows.GroupBy(r => new DateTime(r.At.Year, r.At.Month, r.At.Day, r.At.Hour, 0, 0, DateTimeKind.Utc)).OrderBy(g => g.Key)
            .Select(g => new GeofenceHour(g.Key, Count(g, ClientEventTypes.GeofenceEntered), Count(g, ClientEventTypes.GeofenceExited), Count(g, ClientEventTypes.GeofenceDwelled)))
            .ToList();
        // the stay is what exits report (the whole visit); dwells only say "still here after N seconds"
        var stays = rows.Where(r => r.Type == ClientEventTypes.GeofenceExited && r.DwellSeconds is not null).Select(r => (double)r.DwellSeconds!.Value).Order().ToList();
        double? median = stays.Count == 0 ? null : stays.Count % 2 == 1 ? stays[stays.Count / 2] : (stays[stays.Count / 2 - 1] + stays[stays.Count / 2]) / 2;
        return new GeofenceStatsView(geofence.ExternalId, hours.Sum(h => h.Entered), hours.Sum(h => h.Exited), hours.Sum(h => h.Dwelled), median, hours);
    }

    private sealed record Row(string Type, DateTime At, int? DwellSeconds);

    private static int Count(IEnumerable<Row> rows, string type) => rows.Count(r => r.Type == type);
}
