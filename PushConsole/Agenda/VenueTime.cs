using System.Globalization;
using PushConsole.Sending.Launch;

namespace PushConsole.Agenda;

/// <summary>Sessions are entered and shown in the venue's wall-clock time and stored in UTC; DST gaps are refused, not guessed.</summary>
public static class VenueTime
{
    /// <summary>The UTC instant of a venue wall-clock time, or an error when the clocks skip it (spring forward).</summary>
    public static DateTime? ToUtc(DateTime wallClock, TimeZoneInfo zone, out string? error)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            error = $"{local:yyyy-MM-dd HH:mm} does not exist in {zone.Id}: the clocks go forward then. Choose a time after the change.";
            return null;
        }
        error = null;
        // an autumn time that happens twice is its first occurrence
        return TimeZones.ToUtc(local, zone);
    }

    public static DateTime ToVenue(DateTime utc, TimeZoneInfo zone) => TimeZones.ToLocal(utc, zone);

    public static TimeZoneInfo Zone(AgendaEvent agendaEvent) => TimeZones.Find(agendaEvent.TimeZone) ?? TimeZoneInfo.Utc;

    /// <summary>Short time ("10:00", "10:00 AM") in the language's conventions.</summary>
    public static string ShortTime(DateTime venueWallClock, string language) => venueWallClock.ToString("t", Culture(language));

    public static CultureInfo Culture(string? language)
    {
        if (string.IsNullOrEmpty(language)) return CultureInfo.InvariantCulture;
        try { return CultureInfo.GetCultureInfo(language); }
        catch (CultureNotFoundException) { return CultureInfo.InvariantCulture; }
    }
}
