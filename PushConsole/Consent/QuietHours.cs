using PushConsole.Sending.Launch;

namespace PushConsole.Consent;

/// <summary>A daily window of local wall-clock time (may wrap midnight, e.g. 22:00–08:00) when non-transactional pushes wait.</summary>
public readonly record struct QuietHours(int StartMinute, int EndMinute)
{
    public bool IsEmpty => StartMinute == EndMinute;

    public bool Contains(TimeSpan timeOfDay)
    {
        var minute = timeOfDay.TotalMinutes;
        return StartMinute < EndMinute
            ? minute >= StartMinute && minute < EndMinute
            : minute >= StartMinute || minute < EndMinute;
    }

    /// <summary>
    /// When a push due at <paramref name="dueUtc"/> may leave for a recipient in <paramref name="zone"/>: null when it is outside
    /// the window, else the end of the window that day (or the next), as UTC. DST changes are honoured.
    /// </summary>
    public DateTime? HoldUntil(DateTime dueUtc, TimeZoneInfo zone)
    {
        if (IsEmpty) return null;
        var local = TimeZones.ToLocal(dueUtc, zone);
        if (!Contains(local.TimeOfDay)) return null;
        var end = local.Date.AddMinutes(EndMinute);
        if (end <= local) end = end.AddDays(1);
        var utc = TimeZones.ToUtc(end, zone);
        return utc > dueUtc ? utc : null;
    }

    public static string Format(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    public override string ToString() => $"{Format(StartMinute)}–{Format(EndMinute)}";
}
