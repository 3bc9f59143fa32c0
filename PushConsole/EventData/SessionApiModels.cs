using System.Text.Json.Serialization;
using PushConsole.Agenda;

namespace PushConsole.EventData;

/// <summary>
/// Body of <c>POST /v4/sessions</c> and <c>PUT /v4/sessions/{sessionId}</c>. Absent or null fields stay as they are on a PUT;
/// "" clears track or room. Times are ISO 8601: with an offset (2030-06-11T07:30:00Z) an instant, without one venue wall-clock time.
/// </summary>
public sealed class SessionRequest
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("track")] public string? Track { get; set; }
    [JsonPropertyName("room")] public string? Room { get; set; }
    [JsonPropertyName("starts_at")] public string? StartsAt { get; set; }
    [JsonPropertyName("ends_at")] public string? EndsAt { get; set; }
    [JsonPropertyName("speakers")] public List<string?>? Speakers { get; set; }
    [JsonPropertyName("cancelled")] public bool? Cancelled { get; set; }
}

/// <summary>A session as the API returns it: times in UTC.</summary>
public sealed record SessionResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("track")] string? Track,
    [property: JsonPropertyName("room")] string? Room,
    [property: JsonPropertyName("starts_at")] DateTime StartsAt,
    [property: JsonPropertyName("ends_at")] DateTime EndsAt,
    [property: JsonPropertyName("speakers")] IReadOnlyList<string> Speakers,
    [property: JsonPropertyName("cancelled")] bool Cancelled)
{
    public static SessionResponse Of(AgendaSession s) => new(s.ExternalId, s.Title, s.Track, s.Room, Utc(s.StartsAt), Utc(s.EndsAt),
        (s.Speakers ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), s.Cancelled);

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}

public sealed record SessionList([property: JsonPropertyName("sessions")] IReadOnlyList<SessionResponse> Sessions);

/// <summary>Body of <c>PUT /v4/event</c>: absent fields stay as they are (a new event needs a name; its dates default to today).</summary>
public sealed class EventRequest
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("time_zone")] public string? TimeZone { get; set; }
    [JsonPropertyName("quiet_time")] public bool? QuietTime { get; set; }
    [JsonPropertyName("start_date")] public DateOnly? StartDate { get; set; }
    [JsonPropertyName("end_date")] public DateOnly? EndDate { get; set; }
}

public sealed record EventResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("quiet_time")] bool QuietTime,
    [property: JsonPropertyName("start_date")] DateOnly StartDate,
    [property: JsonPropertyName("end_date")] DateOnly EndDate)
{
    public static EventResponse Of(AgendaEvent e) => new(e.Name, e.TimeZone, e.QuietTime, e.StartDate, e.EndDate);
}
