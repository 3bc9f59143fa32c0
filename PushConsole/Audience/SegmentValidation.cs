using System.Globalization;
using PushConsole.Agenda;
using PushConsole.Api;
using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>
/// Checks a rule tree against the field catalogue: known fields, operators that fit the field's type, well-formed
/// values, at most <see cref="SegmentRules.MaxDepth"/> levels and <see cref="SegmentRules.MaxConditions"/> conditions.
/// Every problem is reported with its path (<c>rules.root.rules[1].rules[0].value</c>). References to other segments
/// (existence, cycles) are checked by <see cref="SegmentService"/>, which can read them.
/// </summary>
public static class SegmentValidation
{
    public const int MaxValues = 100;
    public const int MaxText = 500;
    public const int MaxDays = 3650;
    public const int MaxWindowDays = 365;

    public static void Validate(SegmentRules rules, FieldErrors errors, string path = "rules")
    {
        var root = $"{path}.root";
        var count = rules.Conditions().Count();
        if (count > SegmentRules.MaxConditions)
            errors.Add(root, $"The rules have {count} conditions; at most {SegmentRules.MaxConditions} are allowed. Split them into saved segments.");
        Group(rules.Root, errors, root, 1);
    }

    private static void Group(RuleGroup group, FieldErrors errors, string path, int depth)
    {
        if (depth > SegmentRules.MaxDepth)
        {
            errors.Add(path, $"Groups are nested more than {SegmentRules.MaxDepth} deep; flatten the rules.");
            return;
        }
        if (group.Rules.Count == 0 && depth > 1) errors.Add(path, "This group is empty: add a condition or remove the group.");
        for (var i = 0; i < group.Rules.Count; i++)
        {
            var child = $"{path}.rules[{i}]";
            if (group.Rules[i] is RuleGroup g) Group(g, errors, child, depth + 1);
            else Condition((RuleCondition)group.Rules[i], errors, child);
        }
    }

    public static void Condition(RuleCondition c, FieldErrors errors, string path)
    {
        var field = SegmentFields.Find(c.Field);
        if (field is null)
        {
            errors.Add($"{path}.field", string.IsNullOrEmpty(c.Field)
                ? "Choose a field."
                : $"Unknown field \"{Clip(c.Field)}\". Fields: {string.Join(", ", SegmentFields.All.Select(f => f.Id))}.");
            return;
        }
        if (field.HasName)
        {
            if (string.IsNullOrEmpty(c.Name)) errors.Add($"{path}.name", $"Name the {field.NameLabel}.");
            else if (!Preferences.IsKey(c.Name)) errors.Add($"{path}.name", $"\"{Clip(c.Name)}\" is not a valid {field.NameLabel} name: 1 to 64 letters, digits, '_', '-' or '.'.");
        }
        else if (c.Name is not null) errors.Add($"{path}.name", $"The field {field.Id} takes no name.");

        if (field.HasDays)
        {
            c.Days ??= field.DefaultDays;
            if (c.Days is < 1 or > MaxWindowDays) errors.Add($"{path}.days", $"days is a whole number from 1 to {MaxWindowDays}.");
        }
        else if (c.Days is not null) errors.Add($"{path}.days", $"The field {field.Id} takes no days.");

        var op = field.Find(c.Operator);
        if (op is null)
        {
            errors.Add($"{path}.operator", string.IsNullOrEmpty(c.Operator)
                ? "Choose an operator."
                : $"The operator \"{Clip(c.Operator)}\" does not fit the field {field.Id}; use one of: {string.Join(", ", field.Operators.Select(o => o.Operator))}.");
            return;
        }
        Values(field, op.Kind, c.Values, c.Shape, errors, $"{path}.value");
    }

    private static void Values(SegmentField field, ValueKind kind, List<string> values, ValueShape shape, FieldErrors errors, string path)
    {
        bool Single(string what)
        {
            // a one-item array is a list the writer meant; only a scalar is one value
            if (shape == ValueShape.List) { errors.Add(path, $"Give one {what} as a plain value, not a list."); return false; }
            if (values.Count == 1) return true;
            errors.Add(path, values.Count == 0 ? $"Enter {what}." : $"Give one {what}, not a list.");
            return false;
        }
        bool List(string what)
        {
            // "fr" where ["fr"] is meant is refused rather than guessed: the client may have meant another operator
            if (shape == ValueShape.Scalar) { errors.Add(path, $"value is a list here: write it as an array, e.g. [\"{Clip(values.FirstOrDefault() ?? "")}\"]."); return false; }
            if (values.Count == 0) { errors.Add(path, $"Choose at least one {what}."); return false; }
            if (values.Count > MaxValues) { errors.Add(path, $"At most {MaxValues} values."); return false; }
            return true;
        }
        switch (kind)
        {
            case ValueKind.None:
                if (values.Count > 0) errors.Add(path, "This operator takes no value.");
                break;
            case ValueKind.Choices:
                if (!List("value")) break;
                foreach (var v in values.Where(v => field.Choices!.All(ch => ch.Value != v)).Take(3))
                    errors.Add(path, $"\"{Clip(v)}\" is not a value of {field.Id}" +
                        (field.Choices!.Count <= 10 ? $"; use one of: {string.Join(", ", field.Choices.Select(ch => ch.Value))}." : "."));
                break;
            case ValueKind.Text:
                if (Single("a text") && values[0].Length is 0 or > MaxText) errors.Add(path, $"The text is 1 to {MaxText} characters.");
                break;
            case ValueKind.TextList:
                if (!List("value")) break;
                if (values.Any(v => v.Length is 0 or > MaxText)) { errors.Add(path, $"Each value is 1 to {MaxText} characters."); break; }
                // a language or zone nobody can have would silently match nobody (or everybody, negated)
                if (field.Id == SegmentFields.Language)
                    foreach (var v in values.Where(v => !Apps.Languages.IsValidTag(v)).Take(3))
                        errors.Add(path, $"\"{Clip(v)}\" is not a language tag; use one such as en, fr or pt-BR.");
                if (field.Id == SegmentFields.TimeZone)
                    foreach (var v in values.Where(v => !TimeZoneInfo.TryFindSystemTimeZoneById(v, out _)).Take(3))
                        errors.Add(path, $"\"{Clip(v)}\" is not an IANA time zone such as Europe/Warsaw.");
                break;
            case ValueKind.Number:
                if (Single("a number") && ParseNumber(values[0]) is null) errors.Add(path, $"\"{Clip(values[0])}\" is not a number (use a dot for decimals: 4.5).");
                break;
            case ValueKind.NumberRange:
                if (values.Count != 2 || shape == ValueShape.Scalar) { errors.Add(path, "Give two numbers: from and to."); break; }
                var low = ParseNumber(values[0]);
                var high = ParseNumber(values[1]);
                foreach (var bad in values.Where(v => ParseNumber(v) is null)) errors.Add(path, $"\"{Clip(bad)}\" is not a number.");
                if (low > high) errors.Add(path, "The first number must not be greater than the second.");
                break;
            case ValueKind.Date:
                if (Single("a date") && ParseDate(values[0]) is null)
                    errors.Add(path, $"\"{Clip(values[0])}\" is not a date; use yyyy-MM-dd (a UTC day) or an instant such as 2026-11-22T09:00:00Z.");
                break;
            case ValueKind.Days:
                if (Single("a number of days") && (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > MaxDays))
                    errors.Add(path, $"\"{Clip(values[0])}\" is not a number of days from 1 to {MaxDays}.");
                break;
            case ValueKind.Hours:
                if (Single("a number of hours") && (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours is < 1 or > 8760))
                    errors.Add(path, $"\"{Clip(values[0])}\" is not a number of hours from 1 to 8760.");
                break;
            case ValueKind.Count:
                if (Single("a count") && (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000))
                    errors.Add(path, $"\"{Clip(values[0])}\" is not a whole number of 0 or more.");
                break;
            case ValueKind.Version:
                if (Single("a version") && !AppVersions.IsValid(values[0])) errors.Add(path, $"\"{Clip(values[0])}\" is not an app version such as 3.2 or 3.10.1.");
                break;
            case ValueKind.VersionList:
                if (!List("version")) break;
                foreach (var v in values.Where(v => !AppVersions.IsValid(v)).Take(3)) errors.Add(path, $"\"{Clip(v)}\" is not an app version such as 3.2 or 3.10.1.");
                break;
            case ValueKind.Segments:
                if (!List("segment")) break;
                foreach (var v in values.Where(v => !long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0).Take(3))
                    errors.Add(path, $"\"{Clip(v)}\" is not a segment id.");
                break;
            case ValueKind.Sessions:
                if (!List("session")) break;
                foreach (var v in values.Where(v => !IsAgendaText(v, AgendaSessionConfiguration.MaxExternalId)).Take(3))
                    errors.Add(path, $"\"{Clip(v)}\" is not a session id: 1 to {AgendaSessionConfiguration.MaxExternalId} characters without control characters or surrounding spaces.");
                break;
            case ValueKind.Track:
                if (Single("a track") && !IsAgendaText(values[0], AgendaSessionConfiguration.MaxTrack))
                    errors.Add(path, $"\"{Clip(values[0])}\" is not a track name: 1 to {AgendaSessionConfiguration.MaxTrack} characters without control characters or surrounding spaces.");
                break;
        }
    }

    public static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    /// <summary>A UTC day (yyyy-MM-dd → its midnight) or an ISO 8601 instant with an offset.</summary>
    public static DateTime? ParseDate(string text)
    {
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
            return DateTime.SpecifyKind(day, DateTimeKind.Utc);
        if (text.Length >= 20 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant))
            return instant.UtcDateTime;
        return null;
    }

    public static bool IsDay(string text) => text.Length == 10;

    /// <summary>As the agenda stores ids and tracks (trimmed, bounded, no control characters), so anything else could never match.</summary>
    private static bool IsAgendaText(string value, int max) =>
        value.Length > 0 && value.Length <= max && value == value.Trim() && !value.Any(char.IsControl);

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
