using System.Globalization;

namespace PushConsole.Geofences.Pages;

/// <summary>The console form's fields; times are typed as UTC (yyyy-MM-dd HH:mm) and checked with the API's rules.</summary>
public sealed class GeofenceFormModel
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? RadiusM { get; set; } = 100;
    public int? DwellSeconds { get; set; } = 0;
    public int? CooldownSeconds { get; set; } = 0;
    public string? ActiveFrom { get; set; }
    public string? ActiveUntil { get; set; }
    public string? Room { get; set; }

    public static GeofenceFormModel Of(Geofence g) => new()
    {
        Id = g.ExternalId, Name = g.Name, Latitude = g.Latitude, Longitude = g.Longitude, RadiusM = g.RadiusM, DwellSeconds = g.DwellSeconds,
        CooldownSeconds = g.CooldownSeconds, ActiveFrom = Text(g.ActiveFrom), ActiveUntil = Text(g.ActiveUntil), Room = g.Room,
    };

    public GeofenceRequest ToRequest()
    {
        var errors = new Api.FieldErrors();
        var from = Time(errors, "active_from", ActiveFrom);
        var until = Time(errors, "active_until", ActiveUntil);
        errors.ThrowIfAny();
        return new GeofenceRequest(Id, Name, Latitude, Longitude, RadiusM, DwellSeconds, CooldownSeconds, from, until, Room);
    }

    private static DateTimeOffset? Time(Api.FieldErrors errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return t;
        errors.Add(field, "Enter a UTC time such as 2026-11-22 08:00.");
        return null;
    }

    private static string? Text(DateTime? utc) => utc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
