using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using PushConsole.Devices;

namespace PushConsole.EventData;

/// <summary>What a CSV column becomes in a profile.</summary>
public enum ColumnTarget { Ignore, UserId, Email, DisplayName, Language, TimeZone, Tags, Attribute }

/// <summary>One column of the file and what it is mapped to; <see cref="AttributeName"/> names the attribute when it is one.</summary>
public sealed class ColumnMapping
{
    public required string Header { get; init; }
    public ColumnTarget Target { get; set; }
    public string? AttributeName { get; set; }
}

/// <summary>A data row of the file with the line it starts on (the header is line 1).</summary>
public sealed record CsvLine(long Line, string[] Fields);

/// <summary>The start of a file: its header and its first rows, enough to map the columns and preview.</summary>
public sealed record CsvHead(IReadOnlyList<string> Headers, IReadOnlyList<CsvLine> Rows, IReadOnlyList<ImportRowError> Problems);

/// <summary>A line that was not stored: the line of the file, the field (a profile field, or "line" for unreadable CSV) and why.</summary>
public sealed record ImportRowError(long Line, string Field, string Detail);

/// <summary>
/// Attendee CSV files: a header naming the columns, one attendee per line. Columns are mapped to userId, email, displayName,
/// language, timeZone, tags (separated by ';' or '|') or an attribute (role, company, …); an empty cell leaves the field as it is.
/// </summary>
public static partial class AttendeeCsv
{
    public const string TagSeparators = ";|";
    private static readonly (ColumnTarget Target, string[] Names)[] Guesses =
    [
        (ColumnTarget.UserId, ["userid", "user_id", "id", "attendeeid", "attendee_id", "registrationid", "registration_id"]),
        (ColumnTarget.Email, ["email", "e-mail", "mail", "emailaddress", "email_address"]),
        (ColumnTarget.DisplayName, ["displayname", "display_name", "name", "fullname", "full_name"]),
        (ColumnTarget.Language, ["language", "lang", "locale"]),
        (ColumnTarget.TimeZone, ["timezone", "time_zone", "tz", "zone"]),
        (ColumnTarget.Tags, ["tags", "tag", "labels"]),
    ];

    public static CsvReaderOptions Options(List<ImportRowError> problems) => new()
    {
        TrackLineNumbers = true, TrimWhitespace = true, MalformedData = CsvMalformedDataHandling.Skip,
        OnMalformedRecord = r => problems.Add(new ImportRowError(r.LineNumber, "line", r.Reason switch
        {
            CsvMalformedReason.UnterminatedQuote => "A quoted field is never closed.",
            CsvMalformedReason.FieldCountMismatch => "This line has a different number of fields than the header.",
            _ => "A quote is misplaced in this line.",
        })),
    };

    /// <summary>The header and up to <paramref name="rows"/> data rows of a file.</summary>
    public static CsvHead ReadHead(string path, int rows)
    {
        var problems = new List<ImportRowError>();
        using var csv = CsvReader.FromFile(path, Options(problems));
        var headers = csv.Headers.Select(h => h.Trim()).ToList();
        var lines = new List<CsvLine>();
        while (lines.Count < rows && csv.Read())
            if (Line(csv) is { } line) lines.Add(line);
        return new CsvHead(headers, lines, problems);
    }

    /// <summary>The current record's fields, or null for an empty line.</summary>
    public static CsvLine? Line(CsvReader csv)
    {
        var fields = new string[csv.FieldCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i) ?? "";
        return fields.All(string.IsNullOrWhiteSpace) ? null : new CsvLine(csv.LineNumber, fields);
    }

    /// <summary>A first mapping from the header's names: known names to profile fields, the others to attributes of that name.</summary>
    public static List<ColumnMapping> Guess(IReadOnlyList<string> headers)
    {
        var taken = new HashSet<ColumnTarget>();
        return headers.Select(header =>
        {
            var key = header.Trim().ToLowerInvariant().Replace(" ", "");
            var target = Guesses.FirstOrDefault(g => g.Names.Contains(key) && !taken.Contains(g.Target)).Target;
            if (target != ColumnTarget.Ignore) taken.Add(target);
            var attribute = AttributeName(header);
            return new ColumnMapping
            {
                Header = header, Target = target != ColumnTarget.Ignore ? target : attribute is null ? ColumnTarget.Ignore : ColumnTarget.Attribute,
                AttributeName = attribute,
            };
        }).ToList();
    }

    /// <summary>An attribute name made from a header ("Job title" → "job_title"), or null when nothing is left of it.</summary>
    public static string? AttributeName(string header)
    {
        var name = NotKey().Replace(header.Trim().ToLowerInvariant().Replace(' ', '_'), "");
        if (name.Length > 64) name = name[..64];
        return name.Length == 0 ? null : name;
    }

    /// <summary>The profile a line gives under a mapping; empty cells are absent fields.</summary>
    public static UserBatchRow ToRow(CsvLine line, IReadOnlyList<ColumnMapping> mapping)
    {
        var row = new UserBatchRow();
        for (var i = 0; i < mapping.Count; i++)
        {
            var value = i < line.Fields.Length ? line.Fields[i] : "";
            if (string.IsNullOrWhiteSpace(value)) continue;
            switch (mapping[i].Target)
            {
                case ColumnTarget.UserId: row.UserId = value; break;
                case ColumnTarget.Email: row.Email = value; break;
                case ColumnTarget.DisplayName: row.DisplayName = value; break;
                case ColumnTarget.Language: row.Language = value; break;
                case ColumnTarget.TimeZone: row.TimeZone = value; break;
                case ColumnTarget.Tags:
                    row.Tags = [.. value.Split(TagSeparators.ToCharArray(), StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case ColumnTarget.Attribute when !string.IsNullOrEmpty(mapping[i].AttributeName):
                    (row.Attributes ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[mapping[i].AttributeName!] = JsonSerializer.SerializeToElement(value);
                    break;
            }
        }
        return row;
    }

    /// <summary>What is wrong with the mapping itself (before any row is read), or null.</summary>
    public static string? MappingProblem(IReadOnlyList<ColumnMapping> mapping)
    {
        if (mapping.Count(m => m.Target == ColumnTarget.UserId) != 1) return "Map exactly one column to userId: it is how the app and its back-end know each attendee.";
        foreach (var target in Enum.GetValues<ColumnTarget>().Where(t => t is not (ColumnTarget.Ignore or ColumnTarget.Attribute)))
            if (mapping.Count(m => m.Target == target) > 1) return $"Two columns are mapped to {Name(target)}; map one.";
        var attributes = mapping.Where(m => m.Target == ColumnTarget.Attribute).ToList();
        if (attributes.FirstOrDefault(m => m.AttributeName is null || !Preferences.IsKey(m.AttributeName)) is { } bad)
            return $"Column \"{bad.Header}\": an attribute name is 1 to 64 letters, digits, '_', '-' or '.'.";
        if (attributes.GroupBy(m => m.AttributeName).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return $"Two columns are mapped to the attribute {twice.Key}; map one.";
        return null;
    }

    /// <summary>How a target reads in the page and in messages (the API's field names).</summary>
    public static string Name(ColumnTarget target) => target switch
    {
        ColumnTarget.UserId => "userId", ColumnTarget.Email => "email", ColumnTarget.DisplayName => "displayName", ColumnTarget.Language => "language",
        ColumnTarget.TimeZone => "timeZone", ColumnTarget.Tags => "tags", ColumnTarget.Attribute => "attribute", _ => "(ignore)",
    };

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex NotKey();
}
