using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.EventData;

/// <summary>
/// The agenda through the server API (<c>/v4/sessions</c>, <c>/v4/event</c>). It saves through the console's own
/// <see cref="SessionService"/> and <see cref="AgendaService"/>, so a session moved or cancelled here records the same change,
/// sends the same alert and replans the same reminders. A session needs an event: one is created (time zone UTC) when there is
/// none yet, and the event's dates widen to take a session on another day.
/// </summary>
public sealed class SessionApi(IDbContextFactory<AppDbContext> contexts, AgendaService agenda, SessionService sessions, AppService apps, TimeProvider clock)
{
    private const int MaxEventDays = 60;

    public async Task<SessionList> ListAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.AppId == appId).OrderBy(s => s.StartsAt).ThenBy(s => s.ExternalId).ToListAsync(ct);
        return new SessionList(rows.Select(SessionResponse.Of).ToList());
    }

    public async Task<SessionResponse> GetAsync(long appId, string sessionId, CancellationToken ct = default) =>
        SessionResponse.Of(await FindAsync(appId, sessionId, ct) ?? throw NotFound(sessionId));

    public async Task DeleteAsync(long appId, string sessionId, Actor actor, CancellationToken ct = default)
    {
        var session = await FindAsync(appId, sessionId, ct) ?? throw NotFound(sessionId);
        await sessions.DeleteAsync(session.Id, actor, appId, ct);
    }

    /// <summary>Creates (<paramref name="sessionId"/> null: POST; or an unknown id: PUT) or changes a session; true when it was created.</summary>
    public async Task<(SessionResponse Session, bool Created)> SaveAsync(long appId, string? sessionId, SessionRequest? body, bool notify, Actor actor,
        CancellationToken ct = default)
    {
        if (body is null) throw new BadInputException("body", "Send a JSON object with the session's fields (title, starts_at, ends_at, …).");
        var errors = new FieldErrors();
        var id = sessionId ?? (string.IsNullOrWhiteSpace(body.Id) ? null : body.Id.Trim());
        if (sessionId is not null && body.Id is { } given && given.Trim() != sessionId)
            errors.Add("id", "The id in the body is not the one in the path; a session's id cannot change (create a new session instead).");
        var agendaEvent = await agenda.GetEventAsync(appId, ct);
        var existing = id is null ? null : await FindAsync(appId, id, ct);
        if (sessionId is null && existing is not null)
            throw new ConflictException("id", $"There is already a session \"{id}\"; change it with PUT /v4/sessions/{id}.");
        var zone = agendaEvent is null ? TimeZoneInfo.Utc : VenueTime.Zone(agendaEvent);
        var form = existing is null ? new SessionForm { ExternalId = id } : SessionForm.From(existing, zone);
        var fieldsGiven = body.Title is not null || body.Track is not null || body.Room is not null || body.Speakers is not null
                          || body.StartsAt is not null || body.EndsAt is not null;
        if (body.Title is not null) form.Title = body.Title;
        if (body.Track is not null) form.Track = body.Track;
        if (body.Room is not null) form.Room = body.Room;
        if (body.Speakers is not null) form.Speakers = Speakers(errors, body.Speakers);
        if (body.StartsAt is not null) form.Start = Time(errors, "starts_at", body.StartsAt, zone);
        else if (existing is null) errors.Add("starts_at", "Give starts_at, e.g. 2030-06-11T09:30:00+02:00 (or 2030-06-11T09:30 in the venue's time).");
        if (body.EndsAt is not null) form.End = Time(errors, "ends_at", body.EndsAt, zone);
        else if (existing is null) errors.Add("ends_at", "Give ends_at, e.g. 2030-06-11T10:15:00+02:00 (or 2030-06-11T10:15 in the venue's time).");
        errors.ThrowIfAny();

        // checked against the event as it will be (created or widened), before anything is stored
        var target = await TargetEventAsync(appId, agendaEvent, form, errors, ct);
        AgendaValidation.Session(form, target, errors);
        ThrowRenamed(errors);
        if (agendaEvent is null || target.StartDate != agendaEvent.StartDate || target.EndDate != agendaEvent.EndDate)
        {
            var eventForm = agendaEvent is null ? new EventForm { Name = target.Name, TimeZone = target.TimeZone } : EventForm.From(agendaEvent);
            (eventForm.StartDate, eventForm.EndDate) = (target.StartDate.ToDateTime(TimeOnly.MinValue), target.EndDate.ToDateTime(TimeOnly.MinValue));
            await Renamed(() => agenda.SaveEventAsync(appId, eventForm, actor, ct));
        }

        if (existing is null)
        {
            var created = await Renamed(() => sessions.CreateAsync(appId, form, actor, ct));
            if (body.Cancelled == true) created = (await sessions.CancelAsync(created.Id, notify, actor, appId, ct)).Session;
            return (SessionResponse.Of(created), true);
        }
        // restored first, so a restore that also moves the session says both; cancelled last, so a cancelled session says only that
        if (body.Cancelled == false && existing.Cancelled) await sessions.RestoreAsync(existing.Id, notify, actor, appId, ct);
        var cancelling = body.Cancelled == true && !existing.Cancelled;
        if (fieldsGiven) await Renamed(() => sessions.UpdateAsync(existing.Id, form, notify && !cancelling, actor, appId, ct));
        if (cancelling) await sessions.CancelAsync(existing.Id, notify, actor, appId, ct);
        return (await GetAsync(appId, existing.ExternalId, ct), false);
    }

    public async Task<EventResponse> GetEventAsync(long appId, CancellationToken ct = default) =>
        EventResponse.Of(await agenda.GetEventAsync(appId, ct) ?? throw new NotFoundException("This app has no event yet; create it with PUT /v4/event."));

    /// <summary>Creates or changes the event; absent fields stay as they are, and a new event's dates default to today in its zone.</summary>
    public async Task<EventResponse> SaveEventAsync(long appId, EventRequest? body, Actor actor, CancellationToken ct = default)
    {
        if (body is null) throw new BadInputException("body", "Send a JSON object with the event's fields (name, time_zone, quiet_time).");
        var existing = await agenda.GetEventAsync(appId, ct);
        var form = existing is null ? new EventForm() : EventForm.From(existing);
        if (body.Name is not null) form.Name = body.Name;
        if (body.TimeZone is not null) form.TimeZone = body.TimeZone;
        if (body.QuietTime is { } quiet) form.QuietTime = quiet;
        if (existing is null)
        {
            var zone = TimeZones.Find(form.TimeZone ?? "") ?? TimeZoneInfo.Utc;
            var today = DateOnly.FromDateTime(VenueTime.ToVenue(clock.GetUtcNow().UtcDateTime, zone));
            var first = body.StartDate ?? today;
            (form.StartDate, form.EndDate) = (first.ToDateTime(TimeOnly.MinValue), (body.EndDate ?? first).ToDateTime(TimeOnly.MinValue));
        }
        if (body.StartDate is { } start) form.StartDate = start.ToDateTime(TimeOnly.MinValue);
        if (body.EndDate is { } end) form.EndDate = end.ToDateTime(TimeOnly.MinValue);
        return EventResponse.Of(await Renamed(() => agenda.SaveEventAsync(appId, form, actor, ct)));
    }

    private async Task<AgendaEvent> TargetEventAsync(long appId, AgendaEvent? agendaEvent, SessionForm form, FieldErrors errors, CancellationToken ct)
    {
        var day = form.Start is { } start ? DateOnly.FromDateTime(start) : (DateOnly?)null;
        if (agendaEvent is null)
        {
            var name = (await apps.GetAsync(appId, ct)).Name;
            var first = day ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            return new AgendaEvent { AppId = appId, Name = name.Length > 200 ? name[..200] : name, TimeZone = "UTC", StartDate = first, EndDate = first };
        }
        if (day is not { } d || (d >= agendaEvent.StartDate && d <= agendaEvent.EndDate)) return agendaEvent;
        var (from, to) = (d < agendaEvent.StartDate ? d : agendaEvent.StartDate, d > agendaEvent.EndDate ? d : agendaEvent.EndDate);
        if (to.DayNumber - from.DayNumber > MaxEventDays)
        {
            errors.Add("starts_at", $"{d:yyyy-MM-dd} is too far from the event's days ({agendaEvent.StartDate:yyyy-MM-dd} to {agendaEvent.EndDate:yyyy-MM-dd}): an event lasts at most {MaxEventDays} days.");
            return agendaEvent;
        }
        return new AgendaEvent
        {
            Id = agendaEvent.Id, AppId = appId, Name = agendaEvent.Name, TimeZone = agendaEvent.TimeZone, StartDate = from, EndDate = to,
        };
    }

    /// <summary>With an offset an instant (shown in the venue's time), without one the venue's wall-clock time.</summary>
    private static DateTime? Time(FieldErrors errors, string field, string value, TimeZoneInfo zone)
    {
        var v = value.Trim();
        string[] wall = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(v, wall, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return local;
        if (v.Length > 16 && DateTimeOffset.TryParseExact(v, ["yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz",
                "yyyy-MM-ddTHH:mm'Z'", "yyyy-MM-ddTHH:mm:ss'Z'", "yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var at))
            return VenueTime.ToVenue(at.UtcDateTime, zone);
        errors.Add(field, $"\"{Devices.DeviceValidation.Clip(v)}\" is not a time; write 2030-06-11T09:30:00+02:00, 2030-06-11T07:30:00Z, or 2030-06-11T09:30 (venue time).");
        return null;
    }

    private static string? Speakers(FieldErrors errors, List<string?> speakers)
    {
        for (var i = 0; i < speakers.Count; i++)
            if (string.IsNullOrWhiteSpace(speakers[i]) || speakers[i]!.Contains(';'))
                errors.Add($"speakers[{i}]", "A speaker is a name, not empty and without ';'.");
        return string.Join("; ", speakers.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
    }

    private async Task<AgendaSession?> FindAsync(long appId, string sessionId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<AgendaSession>().AsNoTracking().FirstOrDefaultAsync(s => s.AppId == appId && s.ExternalId == sessionId, ct);
    }

    private static NotFoundException NotFound(string sessionId) => new($"There is no session \"{Devices.DeviceValidation.Clip(sessionId)}\" in this app.");

    /// <summary>The agenda's messages name the console's fields; the API's are snake_case.</summary>
    private static string ApiField(string field) => field switch
    {
        "externalId" => "id", "start" => "starts_at", "end" => "ends_at", "timeZone" => "time_zone", "startDate" => "start_date",
        "endDate" => "end_date", "quietTime" => "quiet_time", _ => field,
    };

    private static BadInputException Rename(IReadOnlyDictionary<string, string[]> errors)
    {
        var renamed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in errors)
            renamed[ApiField(field)] = renamed.TryGetValue(ApiField(field), out var before) ? [.. before, .. messages] : messages;
        return new BadInputException(renamed);
    }

    private static void ThrowRenamed(FieldErrors errors)
    {
        if (errors.Any) throw Rename(errors.ToDictionary());
    }

    private static async Task<T> Renamed<T>(Func<Task<T>> save)
    {
        try { return await save(); }
        catch (BadInputException e) { throw Rename(e.Errors); }
    }
}
