using System.Collections.Concurrent;
using Dapper;
using PushConsole.Data;

namespace PushConsole.Geofences;

/// <summary>One geofence as the sync hands it out, with its centre in radians for the distance sums.</summary>
public sealed record IndexedGeofence(string Id, string Name, double Latitude, double Longitude, double RadiusM, int DwellSeconds,
    DateTime? ActiveFrom, DateTime? ActiveUntil)
{
    public double LatRad { get; } = Latitude * Math.PI / 180;
    public double LonRad { get; } = Longitude * Math.PI / 180;
    public double CosLat { get; } = Math.Cos(Latitude * Math.PI / 180);

    public bool IsActiveAt(DateTime utc) => (ActiveFrom is null || ActiveFrom <= utc) && (ActiveUntil is null || utc < ActiveUntil);
}

/// <summary>
/// Each app's geofences in memory, keyed by the app's set version: a sync compares the stored version (read with the
/// consent in one query) and reloads only when it moved, so a change on any server reaches every server's next sync.
/// </summary>
public sealed class GeofenceIndex(Database database)
{
    public const int MaxListed = 20;
    public const double EarthRadiusM = 6_371_008.8;

    private sealed record Snapshot(long Version, IndexedGeofence[] Items);

    private readonly ConcurrentDictionary<long, Snapshot> _apps = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _loading = new();

    public void Forget(long appId) => _apps.TryRemove(appId, out _);

    /// <summary>The app's geofences at <paramref name="version"/> (0 = the app never had any).</summary>
    public async Task<IReadOnlyList<IndexedGeofence>> GetAsync(long appId, long version, CancellationToken ct)
    {
        if (_apps.TryGetValue(appId, out var snapshot) && snapshot.Version == version) return snapshot.Items;
        var gate = _loading.GetOrAdd(appId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_apps.TryGetValue(appId, out snapshot) && snapshot.Version >= version) return snapshot.Items;
            await using var connection = await database.OpenAsync(ct);
            // the version is read again inside the same snapshot as the rows, so a change in between is never cached under the old number
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            var current = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT version FROM geofence_versions WHERE app_id = @appId", new { appId }, tx, cancellationToken: ct)) ?? 0;
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                "SELECT external_id AS Id, name AS Name, latitude AS Latitude, longitude AS Longitude, radius_m AS RadiusM, dwell_seconds AS DwellSeconds, " +
                "active_from AS ActiveFrom, active_until AS ActiveUntil FROM geofences WHERE app_id = @appId", new { appId }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            var items = rows.Select(r => new IndexedGeofence(r.Id, r.Name, r.Latitude, r.Longitude, r.RadiusM, r.DwellSeconds,
                Utc(r.ActiveFrom), Utc(r.ActiveUntil))).ToArray();
            _apps[appId] = new Snapshot(current, items);
            return items;
        }
        finally { gate.Release(); }
    }

    /// <summary>At most <see cref="MaxListed"/> geofences active at <paramref name="now"/>, nearest centre first (great-circle distance).</summary>
    public static List<(IndexedGeofence Geofence, double DistanceM)> Nearest(IReadOnlyList<IndexedGeofence> items, double latitude, double longitude, DateTime now,
        int limit = MaxListed)
    {
        var lat = latitude * Math.PI / 180;
        var lon = longitude * Math.PI / 180;
        var cosLat = Math.Cos(lat);
        // the best `limit` kept sorted by haversine term (monotonic in distance); a linear pass over 10,000 is well under a millisecond
        var best = new List<(IndexedGeofence, double)>(limit + 1);
        foreach (var g in items)
        {
            if (!g.IsActiveAt(now)) continue;
            var sinLat = Math.Sin((g.LatRad - lat) / 2);
            var sinLon = Math.Sin((g.LonRad - lon) / 2);
            var h = sinLat * sinLat + cosLat * g.CosLat * sinLon * sinLon;
            if (best.Count == limit && h >= best[^1].Item2) continue;
            var at = best.Count;
            while (at > 0 && (best[at - 1].Item2 > h || best[at - 1].Item2 == h && string.CompareOrdinal(best[at - 1].Item1.Id, g.Id) > 0)) at--;
            best.Insert(at, (g, h));
            if (best.Count > limit) best.RemoveAt(best.Count - 1);
        }
        return best.Select(b => (b.Item1, 2 * EarthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(b.Item2))))).ToList();
    }

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public double Latitude { get; set; }
        public double Longitude { get; set; }
        public double RadiusM { get; set; }
        public int DwellSeconds { get; set; }
        public DateTime? ActiveFrom { get; set; }
        public DateTime? ActiveUntil { get; set; }
    }
}
