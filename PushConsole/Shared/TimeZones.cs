using System.Collections.Concurrent;

namespace PushConsole.Shared;

/// <summary>IANA zones, cached (a launch converts a million wall-clock times), and DST-safe wall-clock → UTC.</summary>
public static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.Ordinal);

    public static TimeZoneInfo? Find(string? id) =>
        string.IsNullOrEmpty(id) ? null : Cache.GetOrAdd(id, static key =>
            TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone) ? zone : null);

    /// <summary>
    /// The UTC instant of a wall-clock time in a zone. A time skipped by a spring-forward change is moved
    /// forward by the gap; an ambiguous autumn time takes its first occurrence.
    /// </summary>
    public static DateTime ToUtc(DateTime wallClock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var probe = local;
            while (zone.IsInvalidTime(probe)) probe = probe.AddMinutes(15);
            return TimeZoneInfo.ConvertTimeToUtc(probe, zone);
        }
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var first = offsets.Max();
            return DateTime.SpecifyKind(local - first, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>The wall-clock time in a zone of a UTC instant.</summary>
    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}
