using NodaTime;
using NodaTime.TimeZones;

namespace PushConsole.Audience;

/// <summary>
/// Location fields read the IANA time zone: its country (tzdb's zone.tab, aliases followed) and its offset from
/// UTC at a given instant. Both become a list of zone ids, so the SQL stays a plain <c>IN</c>.
/// </summary>
public static class TimeZoneCountries
{
    private static readonly TzdbDateTimeZoneSource Source = TzdbDateTimeZoneSource.Default;

    /// <summary>Every zone id tzdb knows, aliases included (Asia/Calcutta, US/Eastern…).</summary>
    public static readonly IReadOnlyList<string> ZoneIds = [.. Source.CanonicalIdMap.Keys.Order(StringComparer.Ordinal)];

    private static readonly Dictionary<string, string> CountryByZone = BuildCountries();

    private static readonly ILookup<string, string> ZonesByCountry = ZoneIds
        .Where(CountryByZone.ContainsKey).ToLookup(z => CountryByZone[z], StringComparer.Ordinal);

    /// <summary>ISO 3166 code and English name of each country that has a time zone.</summary>
    public static readonly IReadOnlyList<Choice> Countries = [.. (Source.ZoneLocations ?? [])
        .GroupBy(l => l.CountryCode).Select(g => new Choice(g.Key, g.First().CountryName)).OrderBy(c => c.Label, StringComparer.Ordinal)];

    private static readonly HashSet<string> CountryCodes = [.. Countries.Select(c => c.Value)];

    public static bool IsCountry(string code) => CountryCodes.Contains(code);

    public static string? CountryOf(string? zone) => zone is not null && CountryByZone.TryGetValue(zone, out var c) ? c : null;

    public static IReadOnlyList<string> ZonesOf(IEnumerable<string> countries) =>
        [.. countries.SelectMany(c => ZonesByCountry[c]).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The zone's offset from UTC at <paramref name="at"/>, in hours (5.5 for Asia/Kolkata); null for an unknown zone.</summary>
    public static double? OffsetHours(string? zone, DateTime at)
    {
        if (zone is null || Source.CanonicalIdMap.ContainsKey(zone) is false) return null;
        var offset = Source.ForId(zone).GetUtcOffset(Instant.FromDateTimeUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc)));
        return offset.Seconds / 3600.0;
    }

    /// <summary>Zones whose offset at <paramref name="at"/> lies in [low, high] hours.</summary>
    public static IReadOnlyList<string> ZonesWithOffset(double low, double high, DateTime at) =>
        [.. ZoneIds.Where(z => OffsetHours(z, at) is { } h && h >= low && h <= high)];

    private static Dictionary<string, string> BuildCountries()
    {
        var direct = (Source.ZoneLocations ?? []).GroupBy(l => l.ZoneId).ToDictionary(g => g.Key, g => g.First().CountryCode, StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, canonical) in Source.CanonicalIdMap)
            if (direct.TryGetValue(id, out var country) || direct.TryGetValue(canonical, out country))
                result[id] = country;
        return result;
    }
}
