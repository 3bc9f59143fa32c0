using System.Globalization;
using Dapper;
using PushConsole.Api;
using PushConsole.Data;

namespace PushConsole.Geofences;

/// <summary>One geofence for the app to monitor (client API, camelCase).</summary>
public sealed record SyncedGeofence(string Id, string Name, double Latitude, double Longitude, double RadiusM, int DwellSeconds, double DistanceM);

/// <summary>
/// Answer of <c>GET /api/v1/installations/{id}/geofences</c>: <c>version</c> moves with every change of the app's geofences
/// (refresh when it differs from the last one); without location consent the list is empty and <c>locationConsent</c> false.
/// </summary>
public sealed record GeofenceSyncAnswer(IReadOnlyList<SyncedGeofence> Geofences, long Version, bool LocationConsent);

/// <summary>
/// The device's nearest active geofences. The coordinates are used for the sort and nothing else: they are not stored,
/// not logged and never echoed in an error message.
/// </summary>
public sealed class GeofenceSync(Database database, GeofenceIndex index, TimeProvider clock)
{
    private sealed class Subject
    {
        public long Installation { get; set; }
        public bool? Granted { get; set; }
        public long? Version { get; set; }
    }

    public async Task<GeofenceSyncAnswer> SyncAsync(long appId, string? installationId, string? lat, string? lon, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(installationId) || installationId.Length > Devices.InstallationConfiguration.MaxExternalId)
            errors.Add("installationId", "installationId is the id the app registered the installation with.");
        var latitude = Coordinate(errors, "lat", lat, 90);
        var longitude = Coordinate(errors, "lon", lon, 180);
        errors.ThrowIfAny();
        await using var connection = await database.OpenAsync(ct);
        // a logged-in user's own location consent decides; an anonymous device's is its own
        var subject = await connection.QuerySingleOrDefaultAsync<Subject>(new CommandDefinition(
            "SELECT i.id AS Installation, " +
            "CASE WHEN i.app_user_id IS NULL THEN (SELECT c.granted FROM location_consents c WHERE c.installation_id = i.id) " +
            "ELSE (SELECT c.granted FROM location_consents c WHERE c.app_user_id = i.app_user_id) END AS Granted, " +
            "(SELECT v.version FROM geofence_versions v WHERE v.app_id = i.app_id) AS Version " +
            "FROM installations i WHERE i.app_id = @appId AND i.external_id = @installationId",
            new { appId, installationId }, cancellationToken: ct))
            ?? throw new NotFoundException($"There is no installation \"{installationId}\"; register it with PUT /api/v1/installations/{{installationId}} first.");
        var version = subject.Version ?? 0;
        if (subject.Granted != true) return new GeofenceSyncAnswer([], version, false);
        var items = await index.GetAsync(appId, version, ct);
        var nearest = GeofenceIndex.Nearest(items, latitude, longitude, clock.GetUtcNow().UtcDateTime);
        return new GeofenceSyncAnswer(nearest.Select(n => new SyncedGeofence(n.Geofence.Id, n.Geofence.Name, n.Geofence.Latitude, n.Geofence.Longitude,
            n.Geofence.RadiusM, n.Geofence.DwellSeconds, Math.Round(n.DistanceM, 1))).ToList(), version, true);
    }

    /// <summary>Parses a coordinate; the message never repeats the value (coordinates are not logged anywhere).</summary>
    private static double Coordinate(FieldErrors errors, string field, string? text, double max)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value) && Math.Abs(value) <= max)
            return value;
        errors.Add(field, $"{field} is required: the device's {(field == "lat" ? "latitude" : "longitude")} in degrees from -{max} to {max} (a dot as decimal point).");
        return 0;
    }
}
