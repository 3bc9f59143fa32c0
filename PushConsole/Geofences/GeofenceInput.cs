using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PushConsole.Api;

namespace PushConsole.Geofences;

/// <summary>Body of <c>POST /v4/geofences</c> and <c>PUT /v4/geofences/{id}</c> (API.md, snake_case). Times are ISO 8601.</summary>
public sealed record GeofenceRequest(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("latitude")] double? Latitude,
    [property: JsonPropertyName("longitude")] double? Longitude,
    [property: JsonPropertyName("radius_m")] double? RadiusM,
    [property: JsonPropertyName("dwell_seconds")] int? DwellSeconds,
    [property: JsonPropertyName("cooldown_seconds")] int? CooldownSeconds,
    [property: JsonPropertyName("active_from")] DateTimeOffset? ActiveFrom,
    [property: JsonPropertyName("active_until")] DateTimeOffset? ActiveUntil,
    [property: JsonPropertyName("room")] string? Room = null);

/// <summary>A geofence as the server API and the console show it.</summary>
public sealed record GeofenceView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("latitude")] double Latitude,
    [property: JsonPropertyName("longitude")] double Longitude,
    [property: JsonPropertyName("radius_m")] double RadiusM,
    [property: JsonPropertyName("dwell_seconds")] int DwellSeconds,
    [property: JsonPropertyName("cooldown_seconds")] int CooldownSeconds,
    [property: JsonPropertyName("active_from")] DateTime? ActiveFrom,
    [property: JsonPropertyName("active_until")] DateTime? ActiveUntil,
    [property: JsonPropertyName("room")] string? Room,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt)
{
    public static GeofenceView Of(Geofence g) => new(g.ExternalId, g.Name, g.Latitude, g.Longitude, g.RadiusM, g.DwellSeconds, g.CooldownSeconds,
        g.ActiveFrom, g.ActiveUntil, g.Room, g.CreatedAt, g.UpdatedAt);
}

public sealed record GeofenceList([property: JsonPropertyName("geofences")] IReadOnlyList<GeofenceView> Geofences);

/// <summary>The checked form of a request: everything a geofence row needs.</summary>
public sealed record GeofenceDraft(string Id, string Name, double Latitude, double Longitude, double RadiusM, int DwellSeconds, int CooldownSeconds,
    DateTime? ActiveFrom, DateTime? ActiveUntil, string? Room)
{
    public void CopyTo(Geofence g)
    {
        g.Name = Name; g.Latitude = Latitude; g.Longitude = Longitude; g.RadiusM = RadiusM; g.DwellSeconds = DwellSeconds;
        g.CooldownSeconds = CooldownSeconds; g.ActiveFrom = ActiveFrom; g.ActiveUntil = ActiveUntil; g.Room = Room;
    }
}

/// <summary>The rules of a geofence, shared by the server API, the console form and the CSV import (fields named as in the API).</summary>
public static partial class GeofenceInput
{
    public const double MinRadius = 20, MaxRadius = 10_000;
    /// <summary>A week: longer cooldowns would silence a whole event.</summary>
    public const int MaxSeconds = 7 * 24 * 3600;

    /// <summary>Checks <paramref name="r"/>; <paramref name="prefix"/> names fields inside a list (<c>[3].</c> for a CSV row).</summary>
    public static GeofenceDraft? Check(FieldErrors errors, GeofenceRequest? r, string prefix = "")
    {
        if (r is null) { errors.Add(prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "Send a JSON object with id, name, latitude, longitude and radius_m."); return null; }
        var before = errors.Count;
        var id = r.Id?.Trim();
        if (string.IsNullOrEmpty(id)) errors.Add(prefix + "id", "id is required: 1 to 64 letters, digits, '_', '-' or '.', e.g. hall-b.");
        else if (!IdPattern().IsMatch(id)) errors.Add(prefix + "id", "id is 1 to 64 letters, digits, '_', '-' or '.', e.g. hall-b.");
        var name = r.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(prefix + "name", "name is required, e.g. Main entrance.");
        else if (name.Length > GeofenceConfiguration.MaxName) errors.Add(prefix + "name", $"name is at most {GeofenceConfiguration.MaxName} characters.");
        if (r.Latitude is not { } lat || double.IsNaN(lat) || lat < -90 || lat > 90) errors.Add(prefix + "latitude", "latitude is required, in degrees from -90 to 90 (e.g. 52.2297).");
        if (r.Longitude is not { } lon || double.IsNaN(lon) || lon < -180 || lon > 180) errors.Add(prefix + "longitude", "longitude is required, in degrees from -180 to 180 (e.g. 21.0122).");
        if (r.RadiusM is not { } radius || double.IsNaN(radius) || radius < MinRadius || radius > MaxRadius)
            errors.Add(prefix + "radius_m", $"radius_m is required, in metres from {MinRadius} to {MaxRadius:0}.");
        if (r.DwellSeconds is < 0 or > MaxSeconds) errors.Add(prefix + "dwell_seconds", $"dwell_seconds is 0 or more (at most {MaxSeconds}, a week).");
        if (r.CooldownSeconds is < 0 or > MaxSeconds) errors.Add(prefix + "cooldown_seconds", $"cooldown_seconds is 0 or more (at most {MaxSeconds}, a week).");
        if (r.ActiveFrom is { } from && r.ActiveUntil is { } until && until <= from)
            errors.Add(prefix + "active_until", "active_until must be after active_from.");
        var room = string.IsNullOrWhiteSpace(r.Room) ? null : r.Room.Trim();
        if (room?.Length > GeofenceConfiguration.MaxRoom) errors.Add(prefix + "room", $"room is at most {GeofenceConfiguration.MaxRoom} characters, as in the agenda.");
        if (errors.Count > before) return null;
        return new GeofenceDraft(id!, name!, r.Latitude!.Value, r.Longitude!.Value, r.RadiusM!.Value, r.DwellSeconds ?? 0, r.CooldownSeconds ?? 0,
            r.ActiveFrom?.UtcDateTime, r.ActiveUntil?.UtcDateTime, room);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex IdPattern();
}
