namespace PushConsole.Agenda;

/// <summary>The event's settings as the agenda page edits them.</summary>
public sealed class EventForm
{
    public string? Name { get; set; }
    public string? TimeZone { get; set; }
    public DateTime? StartDate { get; set; }
    public DateTime? EndDate { get; set; }
    public bool QuietTime { get; set; }
    public bool SurveyEnabled { get; set; }
    public int SurveyDelayMinutes { get; set; } = 10;
    public string? SurveyUrl { get; set; }
    public SurveyAudience SurveyAudience { get; set; }

    public static EventForm From(AgendaEvent e) => new()
    {
        Name = e.Name, TimeZone = e.TimeZone, StartDate = e.StartDate.ToDateTime(TimeOnly.MinValue), EndDate = e.EndDate.ToDateTime(TimeOnly.MinValue),
        QuietTime = e.QuietTime, SurveyEnabled = e.SurveyEnabled, SurveyDelayMinutes = e.SurveyDelayMinutes, SurveyUrl = e.SurveyUrl,
        SurveyAudience = e.SurveyAudience,
    };
}

/// <summary>A session as entered: times are wall-clock times at the venue.</summary>
public sealed class SessionForm
{
    /// <summary>The stable id apps use; generated when left empty.</summary>
    public string? ExternalId { get; set; }
    public string? Title { get; set; }
    public string? Track { get; set; }
    public string? Room { get; set; }
    public DateTime? Start { get; set; }
    public DateTime? End { get; set; }
    public string? Speakers { get; set; }
    public string? Description { get; set; }

    public static SessionForm From(AgendaSession s, TimeZoneInfo venue) => new()
    {
        ExternalId = s.ExternalId, Title = s.Title, Track = s.Track, Room = s.Room,
        Start = VenueTime.ToVenue(s.StartsAt, venue), End = VenueTime.ToVenue(s.EndsAt, venue),
        Speakers = s.Speakers, Description = s.Description,
    };
}

/// <summary>A reminder rule as edited: offset, track (empty = all sessions) and templates per language.</summary>
public sealed class ReminderRuleForm
{
    public string? Track { get; set; }
    public int? OffsetMinutes { get; set; } = 15;
    public bool Enabled { get; set; } = true;
    public string DefaultLanguage { get; set; } = "en";
    public List<TemplateForm> Templates { get; set; } = [new() { Language = "en", Title = AgendaTexts.DefaultReminderTitle, Body = AgendaTexts.DefaultReminderBody }];

    public static ReminderRuleForm From(ReminderRule r) => new()
    {
        Track = r.Track, OffsetMinutes = r.OffsetMinutes, Enabled = r.Enabled, DefaultLanguage = r.DefaultLanguage,
        Templates = r.Templates.Select(t => new TemplateForm { Language = t.Key, Title = t.Value.Title, Body = t.Value.Body }).ToList(),
    };
}

public sealed class TemplateForm
{
    public string? Language { get; set; }
    public string? Title { get; set; }
    public string? Body { get; set; }
}

/// <summary>A session's fields after validation: UTC times, trimmed text.</summary>
public sealed record ValidSession(string ExternalId, string Title, string? Track, string? Room, DateTime StartsAt, DateTime EndsAt,
    string? Speakers, string? Description);
