using System.Globalization;
using CsvHelper;
using PushConsole.Api;

namespace PushConsole.Geofences;

/// <summary>
/// A list of geofences as CSV, header names as in the API: id, name, latitude, longitude, radius_m, and optionally dwell_seconds,
/// cooldown_seconds, active_from, active_until (ISO 8601), room. Problems name the row as <c>[n].field</c> (n from 0, the first data row).
/// </summary>
public static class GeofenceCsv
{
    public const int MaxBytes = 2 * 1024 * 1024;
    private static readonly string[] Required = ["id", "name", "latitude", "longitude", "radius_m"];

    public static IReadOnlyList<GeofenceRequest> Parse(string text)
    {
        var errors = new FieldErrors();
        var rows = new List<GeofenceRequest>();
        var options = new CsvReaderOptions
        {
            TrackLineNumbers = true, TrimWhitespace = true, MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = r => errors.Add($"line {r.LineNumber}", "This line is malformed (a quote never closed or misplaced, or a different number of fields than the header)."),
        };
        using var csv = CsvReader.FromText(text, options);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < csv.Headers.Count; i++) columns.TryAdd(csv.Headers[i].Trim().ToLowerInvariant(), i);
        if (columns.Count == 0 || columns.Keys.All(string.IsNullOrEmpty))
            throw new BadInputException("file", "The file is empty; the first line names the columns: id,name,latitude,longitude,radius_m.");
        foreach (var missing in Required.Where(r => !columns.ContainsKey(r))) errors.Add("file", $"The column {missing} is missing (columns: {string.Join(", ", Required)}, …).");
        errors.ThrowIfAny();
        var n = 0;
        while (csv.Read())
        {
            if (Enumerable.Range(0, csv.FieldCount).All(csv.IsEmpty)) continue;
            string? Text(string column) => columns.TryGetValue(column, out var i) && i < csv.FieldCount && csv.GetString(i) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
            double? Number(string column)
            {
                var v = Text(column);
                if (v is null) return null;
                if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                errors.Add($"[{n}].{column}", $"\"{v}\" is not a number (use a dot as decimal point).");
                return null;
            }
            int? Whole(string column) => Number(column) is { } d ? (int)Math.Round(d) : null;
            DateTimeOffset? Time(string column)
            {
                var v = Text(column);
                if (v is null) return null;
                if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t;
                errors.Add($"[{n}].{column}", $"\"{v}\" is not a time; use ISO 8601 such as 2026-11-22T08:00:00Z.");
                return null;
            }
            rows.Add(new GeofenceRequest(Text("id"), Text("name"), Number("latitude"), Number("longitude"), Number("radius_m"), Whole("dwell_seconds"),
                Whole("cooldown_seconds"), Time("active_from"), Time("active_until"), Text("room")));
            n++;
        }
        errors.ThrowIfAny();
        return rows;
    }
}
