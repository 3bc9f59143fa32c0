using System.ComponentModel.DataAnnotations;

namespace PushConsole.Geofences;

/// <summary>
/// <c>Geofences:*</c>: the map's tile server. Empty <see cref="TileUrl"/> = no tiles (closed network, tests): the map shows the
/// circles on a plain grid with coordinates. https only, which the console's CSP (img-src https:) already allows.
/// </summary>
public sealed class GeofenceOptions : IValidatableObject
{
    public const string Section = "Geofences";

    /// <summary>A tile URL template with {z}, {x} and {y}, e.g. OpenStreetMap's.</summary>
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    public string TileAttribution { get; set; } = "© OpenStreetMap contributors";
    /// <summary>Where the map opens while an app has no geofences (latitude, longitude).</summary>
    [Range(-90, 90)] public double DefaultLatitude { get; set; } = 52.2297;
    [Range(-180, 180)] public double DefaultLongitude { get; set; } = 21.0122;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(TileUrl)) yield break;
        if (!TileUrl.StartsWith("https://", StringComparison.Ordinal) || !Uri.TryCreate(TileUrl.Replace("{", "").Replace("}", ""), UriKind.Absolute, out _))
            yield return new ValidationResult("Geofences:TileUrl is an https URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png, or empty for no tiles.", [nameof(TileUrl)]);
        else if (!TileUrl.Contains("{z}") || !TileUrl.Contains("{x}") || !TileUrl.Contains("{y}"))
            yield return new ValidationResult("Geofences:TileUrl needs {z}, {x} and {y} placeholders.", [nameof(TileUrl)]);
    }
}
