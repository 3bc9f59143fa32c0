using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Devices;

namespace PushConsole.Agenda;

/// <summary>Checks of what organizers enter and import; each message names the field and says what to fix.</summary>
public static class AgendaValidation
{
    public const int MaxOffsetMinutes = 1440;
    public static readonly TimeSpan MaxSessionLength = TimeSpan.FromHours(24);

    public static (string Name, string TimeZone, DateOnly Start, DateOnly End) Event(EventForm form, FieldErrors errors)
    {
        var name = Required(errors, "name", form.Name, 200, "Give the event a name.");
        var zone = form.TimeZone?.Trim();
        if (string.IsNullOrEmpty(zone)) errors.Add("timeZone", "Give the venue's time zone (an IANA id such as Europe/Paris).");
        else if (!DeviceValidation.IsIanaTimeZone(zone)) errors.Add("timeZone", $"\"{DeviceValidation.Clip(zone)}\" is not a known IANA time zone; use one such as Europe/Paris or America/New_York.");
        if (form.StartDate is null) errors.Add("startDate", "Give the first day of the event.");
        if (form.EndDate is null) errors.Add("endDate", "Give the last day of the event.");
        else if (form.StartDate is { } s && form.EndDate < s) errors.Add("endDate", "The last day is before the first day.");
        else if (form.StartDate is { } first && (form.EndDate.Value - first).TotalDays > 60) errors.Add("endDate", "An event lasts at most 60 days.");
        if (form.SurveyDelayMinutes is < 0 or > MaxOffsetMinutes) errors.Add("surveyDelayMinutes", "The survey leaves between 0 and 1,440 minutes after the session's end.");
        if (form.SurveyEnabled || !string.IsNullOrWhiteSpace(form.SurveyUrl))
        {
            var url = form.SurveyUrl?.Trim();
            if (string.IsNullOrEmpty(url)) errors.Add("surveyUrl", "Give the survey's link (https://…) or switch the survey off.");
            else if (url.Length > 1000 || !Uri.TryCreate(url.Replace("{session.id}", "x"), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                errors.Add("surveyUrl", "The survey link must be an https:// URL (up to 1,000 characters); {session.id} in it becomes the session's id.");
        }
        return (name ?? "", zone ?? "", DateOnly.FromDateTime(form.StartDate ?? default), DateOnly.FromDateTime(form.EndDate ?? default));
    }

    /// <summary>Validates a session against its event; <paramref name="prefix"/> names fields of an import row.</summary>
    public static ValidSession? Session(SessionForm form, AgendaEvent agendaEvent, FieldErrors errors, string prefix = "", bool requireId = false)
    {
        var before = Count(errors);
        var id = form.ExternalId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            if (requireId) errors.Add(prefix + "id", "Every session needs a stable id, so importing again updates it instead of adding it twice.");
            id = "s-" + Guid.NewGuid().ToString("N")[..10];
        }
        else if (id.Length > AgendaSessionConfiguration.MaxExternalId || id.Any(char.IsControl))
            errors.Add(prefix + "id", $"A session id is 1 to {AgendaSessionConfiguration.MaxExternalId} characters without control characters.");
        var title = Required(errors, prefix + "title", form.Title, 200, "Give the session a title.");
        var track = Optional(errors, prefix + "track", form.Track, 100);
        var room = Optional(errors, prefix + "room", form.Room, 100);
        var speakers = Speakers(errors, prefix + "speakers", form.Speakers);
        var description = form.Description?.Trim();
        if (description is { Length: > 4000 }) errors.Add(prefix + "description", "Keep the description under 4,000 characters.");
        if (string.IsNullOrEmpty(description)) description = null;

        var zone = VenueTime.Zone(agendaEvent);
        DateTime? start = null, end = null;
        if (form.Start is not { } s) errors.Add(prefix + "start", "Give the start time (venue time).");
        else if (VenueTime.ToUtc(s, zone, out var error) is { } utc) start = utc;
        else errors.Add(prefix + "start", error!);
        if (form.End is not { } e) errors.Add(prefix + "end", "Give the end time (venue time).");
        else if (VenueTime.ToUtc(e, zone, out var error) is { } utc) end = utc;
        else errors.Add(prefix + "end", error!);
        if (start is { } a && end is { } b)
        {
            if (b <= a) errors.Add(prefix + "end", "The session ends before it starts; the end must be after the start.");
            else if (b - a > MaxSessionLength) errors.Add(prefix + "end", "A session lasts at most 24 hours.");
            var day = DateOnly.FromDateTime(form.Start!.Value);
            if (day < agendaEvent.StartDate || day > agendaEvent.EndDate)
                errors.Add(prefix + "start", $"{day:yyyy-MM-dd} is outside the event's dates ({agendaEvent.StartDate:yyyy-MM-dd} to {agendaEvent.EndDate:yyyy-MM-dd}).");
        }
        if (Count(errors) > before) return null;
        return new ValidSession(id, title!, track, room, start!.Value, end!.Value, speakers, description);
    }

    public static ReminderRule? Rule(ReminderRuleForm form, FieldErrors errors)
    {
        var before = Count(errors);
        if (form.OffsetMinutes is not { } offset || offset is < 0 or > MaxOffsetMinutes)
            errors.Add("offsetMinutes", "A reminder goes out between 0 and 1,440 minutes (24 hours) before the session.");
        var track = Optional(errors, "track", form.Track, 100);
        if (!Languages.IsValidTag(form.DefaultLanguage ?? "")) errors.Add("defaultLanguage", "Choose the default language (a tag such as en or fr).");
        var templates = new Dictionary<string, PushTemplate>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < form.Templates.Count; i++)
        {
            var t = form.Templates[i];
            var at = $"templates[{i}]";
            var language = t.Language?.Trim() ?? "";
            if (!Languages.IsValidTag(language)) { errors.Add($"{at}.language", "Give a language tag such as en or fr."); continue; }
            if (templates.ContainsKey(language)) { errors.Add($"{at}.language", $"There are two templates in {language}."); continue; }
            if (string.IsNullOrWhiteSpace(t.Title) && string.IsNullOrWhiteSpace(t.Body)) errors.Add($"{at}.body", "A reminder needs a title or a body.");
            if (t.Title is { Length: > 200 }) errors.Add($"{at}.title", "Keep the title under 200 characters.");
            if (t.Body is { Length: > 1000 }) errors.Add($"{at}.body", "Keep the body under 1,000 characters.");
            foreach (var (field, text) in new[] { ("title", t.Title), ("body", t.Body) })
                foreach (var unknown in AgendaTexts.UnknownPlaceholders(text))
                    errors.Add($"{at}.{field}", $"{unknown} is not a placeholder; use {string.Join(", ", AgendaTexts.Placeholders)}.");
            templates[language] = new PushTemplate(t.Title?.Trim(), t.Body?.Trim());
        }
        if (Languages.IsValidTag(form.DefaultLanguage ?? "") && !templates.ContainsKey(form.DefaultLanguage!))
            errors.Add("templates", $"Write the reminder in the default language ({form.DefaultLanguage}).");
        if (Count(errors) > before) return null;
        return new ReminderRule
        {
            Track = track, OffsetMinutes = form.OffsetMinutes!.Value, Enabled = form.Enabled, DefaultLanguage = form.DefaultLanguage!,
            Templates = templates.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        };
    }

    private static string? Required(FieldErrors errors, string field, string? value, int max, string missing)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) { errors.Add(field, missing); return null; }
        return Optional(errors, field, text, max);
    }

    private static string? Optional(FieldErrors errors, string field, string? value, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        var name = field[(field.LastIndexOf('.') + 1)..];
        if (text.Length > max) { errors.Add(field, $"Keep the {name} under {max} characters."); return null; }
        if (text.Any(char.IsControl)) { errors.Add(field, $"The {name} must not contain control characters."); return null; }
        return text;
    }

    private static string? Speakers(FieldErrors errors, string field, string? value)
    {
        var names = (value ?? "").Split([';', '|', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var joined = string.Join("; ", names);
        if (joined.Length > 1000) { errors.Add(field, "Keep the speakers under 1,000 characters."); return null; }
        return joined.Length == 0 ? null : joined;
    }

    private static int Count(FieldErrors errors) => errors.Count;
}
