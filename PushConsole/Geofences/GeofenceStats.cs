using System.Text.Json.Serialization;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Automations;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Geofences;

public sealed record GeofenceHour(
    [property: JsonPropertyName("hour")] DateTime Hour,
    [property: JsonPropertyName("entered")] int Entered,
    [property: JsonPropertyName("exited")] int Exited,
    [property: JsonPropertyName("dwelled")] int Dwelled);

/// <summary>
/// Answer of <c>GET /v4/geofences/{id}/stats</c>: totals, transitions per UTC hour (hours with none left out), the median stay, and the
/// pushes triggered (deliveries sent by automations whose trigger is a transition of this geofence).
/// </summary>
public sealed record GeofenceStatsView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("entered")] int Entered,
    [property: JsonPropertyName("exited")] int Exited,
    [property: JsonPropertyName("dwelled")] int Dwelled,
    [property: JsonPropertyName("median_dwell_seconds")] double? MedianDwellSeconds,
    [property: JsonPropertyName("pushes_triggered")] long PushesTriggered,
    [property: JsonPropertyName("by_hour")] IReadOnlyList<GeofenceHour> ByHour);

/// <summary>Transitions of one geofence as stored in <c>client_events</c> (quiet repeats included: they happened).</summary>
public sealed class GeofenceStats(IDbContextFactory<AppDbContext> contexts, Database database, GeofenceService geofences)
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
        var pushes = await PushesTriggeredAsync(db, appId, geofence.ExternalId, ct);
        return new GeofenceStatsView(geofence.ExternalId, hours.Sum(h => h.Entered), hours.Sum(h => h.Exited), hours.Sum(h => h.Dwelled), median, pushes, hours);
    }

    /// <summary>Deliveries sent by the campaigns of automations triggered by this geofence's transitions (an automation on any geofence is not counted).</summary>
    private async Task<long> PushesTriggeredAsync(AppDbContext db, long appId, string geofenceId, CancellationToken ct)
    {
        var candidates = await db.Set<Automation>().AsNoTracking().Where(a => a.AppId == appId && a.TriggerKind == "event")
            .Select(a => new { a.Id, a.Definition }).ToListAsync(ct);
        // the trigger lives in the stored definition, so it is read as the engine reads it
        var ids = candidates.Where(a => AutomationParser.Read(a.Definition, "en").Trigger.Event is { } e
                                        && GeofenceTransitions.IsTransition(e.Type) && e.GeofenceId == geofenceId)
            .Select(a => a.Id).ToList();
        if (ids.Count == 0) return 0;
        await using var connection = await database.OpenAsync(ct);
        long total = 0;
        foreach (var id in ids)
            total += await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM campaigns c JOIN deliveries d ON d.campaign_id = c.id " +
                "WHERE c.app_id = @app AND c.origin = 5 AND c.origin_ref LIKE @like AND d.status = 2",
                new { app = appId, like = $"automation:{id}:step:%" });
        return total;
    }

    private sealed record Row(string Type, DateTime At, int? DwellSeconds);

    private static int Count(IEnumerable<Row> rows, string type) => rows.Count(r => r.Type == type);
}
