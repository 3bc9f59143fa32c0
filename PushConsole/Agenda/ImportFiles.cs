using System.Globalization;
using CsvHelper;
using Ical.Net.CalendarComponents;

namespace PushConsole.Agenda;

/// <summary>One session as a file gives it, before validation; <see cref="Where"/> names it in messages ("line 5", "event 3 (UID …)").</summary>
public sealed record ImportedSession(string Where, SessionForm Form, bool Cancelled);

/// <summary>A row that cannot be imported, and why.</summary>
public sealed record ImportProblem(string Where, string Message);

/// <summary>
/// Reads agenda files. CSV: a header with id, title, start, end (required) and track, room, speakers, description,
/// cancelled; times as venue wall-clock (2026-06-12 09:30) or with an offset (2026-06-12T07:30:00Z); delimiter detected.
/// iCalendar: one VEVENT per session — UID, SUMMARY, DTSTART, DTEND or DURATION, LOCATION (room), CATEGORIES (first is the
/// track), DESCRIPTION, X-SPEAKERS, STATUS:CANCELLED; floating times are venue time.
/// </summary>
public static class ImportFiles
{
    private static readonly string[] Aliases = ["id|uid|session_id|sessionid", "title|summary|name", "track|category", "room|location",
        "start|starts_at|start_time|begin", "end|ends_at|end_time", "speakers|speaker", "description|abstract", "cancelled|canceled|status"];

    public static (List<ImportedSession> Sessions, List<ImportProblem> Problems) Read(string fileName, string text, TimeZoneInfo venue)
    {
        var ics = fileName.EndsWith(".ics", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase);
        return ics ? Ics(text, venue) : Csv(text, venue);
    }

    private static (List<ImportedSession>, List<ImportProblem>) Csv(string text, TimeZoneInfo venue)
    {
        var sessions = new List<ImportedSession>();
        var problems = new List<ImportProblem>();
        var options = new CsvReaderOptions
        {
            TrackLineNumbers = true, TrimWhitespace = true, MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = r => problems.Add(new ImportProblem($"line {r.LineNumber}", r.Reason switch
            {
                CsvMalformedReason.UnterminatedQuote => "A quoted field is never closed.",
                CsvMalformedReason.FieldCountMismatch => "This line has a different number of fields than the header.",
                _ => "A quote is misplaced in this line.",
            })),
        };
        using var csv = CsvReader.FromText(text, options);
        var header = csv.Headers;
        if (header.Count == 0 || header.All(string.IsNullOrWhiteSpace))
            return (sessions, [new ImportProblem("file", "The file is empty; the first line names the columns (id, title, start, end, …).")]);
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < header.Count; i++)
            foreach (var alias in Aliases)
                if (alias.Split('|').Contains(header[i].Trim().ToLowerInvariant())) columns.TryAdd(alias.Split('|')[0], i);
        var missing = new[] { "id", "title", "start", "end" }.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            return (sessions, [new ImportProblem("line 1", $"The header has no {string.Join(", ", missing)} column; the columns are id, title, track, room, start, end, speakers, description, cancelled.")]);
        while (csv.Read())
        {
            var where = $"line {csv.LineNumber}";
            string? Get(string column) => columns.TryGetValue(column, out var i) && i < csv.FieldCount && csv.GetString(i) is { } v && !string.IsNullOrWhiteSpace(v) ? v : null;
            if (Enumerable.Range(0, csv.FieldCount).All(csv.IsEmpty)) continue;
            var form = new SessionForm
            {
                ExternalId = Get("id"), Title = Get("title"), Track = Get("track"), Room = Get("room"),
                Speakers = Get("speakers"), Description = Get("description"),
            };
            var ok = true;
            foreach (var (column, set) in new (string, Action<DateTime>)[] { ("start", t => form.Start = t), ("end", t => form.End = t) })
            {
                var value = Get(column);
                if (value is null) continue;
                if (ParseTime(value, venue) is { } t) set(t);
                else { problems.Add(new ImportProblem(where, $"{column}: \"{value}\" is not a time; write 2026-06-12 09:30 (venue time) or 2026-06-12T07:30:00Z.")); ok = false; }
            }
            var cancelled = Get("cancelled")?.Trim().ToLowerInvariant() is "true" or "yes" or "1" or "cancelled" or "canceled" or "x";
            if (ok) sessions.Add(new ImportedSession(where, form, cancelled));
        }
        return (sessions, problems);
    }

    /// <summary>Venue wall-clock time of a cell: as written, or converted when it carries an offset.</summary>
    private static DateTime? ParseTime(string value, TimeZoneInfo venue)
    {
        var v = value.Trim();
        string[] formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"];
        if (DateTime.TryParseExact(v, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall)) return wall;
        if (DateTimeOffset.TryParseExact(v, ["yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return VenueTime.ToVenue(at.UtcDateTime, venue);
        return null;
    }

    private static (List<ImportedSession>, List<ImportProblem>) Ics(string text, TimeZoneInfo venue)
    {
        var sessions = new List<ImportedSession>();
        var problems = new List<ImportProblem>();
        Ical.Net.Calendar? calendar;
        try { calendar = Ical.Net.Calendar.Load(text); }
        catch (Exception e) when (e is System.Runtime.Serialization.SerializationException or ArgumentException or FormatException)
        {
            return (sessions, [new ImportProblem("file", $"This is not a valid iCalendar file: {e.Message}")]);
        }
        if (calendar is null || calendar.Events.Count == 0)
            return (sessions, [new ImportProblem("file", "The calendar has no events (VEVENT); each session is one event.")]);
        var n = 0;
        foreach (var e in calendar.Events)
        {
            n++;
            var where = string.IsNullOrEmpty(e.Uid) ? $"event {n} \"{e.Summary}\"" : $"event {n} (UID {e.Uid})";
            if (e.RecurrenceRule is not null) { problems.Add(new ImportProblem(where, "Repeating events are not sessions; list each session as its own event.")); continue; }
            if (e.DtStart is null) { problems.Add(new ImportProblem(where, "start: the event has no DTSTART.")); continue; }
            if (!e.DtStart.HasTime) { problems.Add(new ImportProblem(where, "start: an all-day event is not a session; give DTSTART a time.")); continue; }
            DateTime? start = Venue(e.DtStart, venue, where, problems), end = null;
            if (e.DtEnd is { } dtEnd) end = Venue(dtEnd, venue, where, problems);
            else if (e.Duration is { } duration && start is { } s) end = s + duration.ToTimeSpanUnspecified();
            if (start is null) continue;
            var form = new SessionForm
            {
                ExternalId = e.Uid, Title = e.Summary, Room = e.Location, Track = e.Categories.FirstOrDefault(), Description = e.Description,
                Speakers = e.Properties["X-SPEAKERS"]?.Value?.ToString(), Start = start, End = end,
            };
            sessions.Add(new ImportedSession(where, form, string.Equals(e.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase)));
        }
        return (sessions, problems);
    }

    private static DateTime? Venue(Ical.Net.DataTypes.CalDateTime at, TimeZoneInfo venue, string where, List<ImportProblem> problems)
    {
        if (at.IsFloating) return at.Value;
        try { return VenueTime.ToVenue(at.AsUtc, venue); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NodaTime.TimeZones.DateTimeZoneNotFoundException)
        {
            problems.Add(new ImportProblem(where, $"The time zone \"{at.TzId}\" is unknown; use an IANA id such as Europe/Paris."));
            return null;
        }
    }
}
