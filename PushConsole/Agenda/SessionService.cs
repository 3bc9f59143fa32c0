using PushConsole.Sending;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Agenda;

/// <summary>What saving a session did: the change it recorded (time, room, cancellation) and the alert campaign, if sent.</summary>
/// <summary>The text one language of a change alert says (times in the venue's zone).</summary>
public sealed record AlertText(string Language, bool IsDefault, string Title, string Body);

public sealed record SessionSaved(AgendaSession Session, SessionChange? Change, long? AlertCampaignId);

/// <summary>
/// Sessions: create, edit, cancel, restore, delete. A change of time or room (or a cancellation) is recorded once per
/// session revision — two saves of the same change race for that one record — and, when asked, its alert goes to those who
/// favourited or checked in, replacing the pending reminder (same collapse id). Reminders and the survey are replanned.
/// </summary>
public sealed class SessionService(IDbContextFactory<AppDbContext> contexts, AgendaScheduler scheduler, AgendaPushes pushes, AuditLog audit,
    TimeProvider clock)
{
    public async Task<AgendaSession> CreateAsync(long appId, SessionForm form, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var agendaEvent = await AgendaService.RequireEventAsync(db, appId, ct);
        var errors = new FieldErrors();
        var valid = AgendaValidation.Session(form, agendaEvent, errors);
        if (valid is not null && await db.Set<AgendaSession>().AnyAsync(s => s.AppId == appId && s.ExternalId == valid.ExternalId, ct))
            errors.Add("externalId", $"Another session already has the id \"{valid.ExternalId}\".");
        errors.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new AgendaSession { AppId = appId, EventId = agendaEvent.Id, ExternalId = valid!.ExternalId, Title = valid.Title, CreatedAt = now };
        Apply(session, valid, now);
        db.Add(session);
        audit.Add(db, actor, "agenda.session_created", session.Title, session.ExternalId);
        await db.SaveChangesAsync(ct);
        await scheduler.PlanSessionAsync(session.Id, ct);
        return session;
    }

    public async Task<AgendaSession> GetAsync(long sessionId, long? appId = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await FindAsync(db, sessionId, appId, ct, tracking: false);
    }

    /// <summary>What a save would change, before it is saved (the page asks whether to notify).</summary>
    public async Task<SessionChangeKind> PreviewAsync(long sessionId, SessionForm form, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await FindAsync(db, sessionId, null, ct, tracking: false);
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
        var errors = new FieldErrors();
        var valid = AgendaValidation.Session(WithId(form, session), agendaEvent, errors);
        errors.ThrowIfAny();
        return Diff(session, valid!);
    }

    /// <summary>The change alert each language would get if this edit (or, with <paramref name="cancel"/>, a cancellation) were saved now.</summary>
    public async Task<IReadOnlyList<AlertText>> PreviewAlertAsync(long sessionId, SessionForm? form, bool cancel = false, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await FindAsync(db, sessionId, null, ct, tracking: false);
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
        var language = await db.Set<Apps.App>().Where(a => a.Id == session.AppId).Select(a => a.DefaultLanguage).FirstAsync(ct);
        var change = new SessionChange
        {
            SessionId = session.Id, AppId = session.AppId, Kind = SessionChangeKind.Cancelled, By = "",
            OldStartsAt = session.StartsAt, OldEndsAt = session.EndsAt, OldRoom = session.Room,
            NewStartsAt = session.StartsAt, NewEndsAt = session.EndsAt, NewRoom = session.Room,
        };
        if (!cancel)
        {
            var errors = new FieldErrors();
            var valid = AgendaValidation.Session(WithId(form ?? new SessionForm(), session), agendaEvent, errors);
            errors.ThrowIfAny();
            (change.Kind, change.NewStartsAt, change.NewEndsAt, change.NewRoom) = (Diff(session, valid!), valid!.StartsAt, valid.EndsAt, valid.Room);
            if (change.Kind == SessionChangeKind.None) return [];
        }
        var message = AgendaTexts.ChangeAlert(session, change, agendaEvent, language);
        // shown in the venue's time: attendees without a zone of their own get exactly this
        return message.Variants[0].Content.OrderBy(c => c.Key == message.DefaultLanguage ? 0 : 1).ThenBy(c => c.Key)
            .Select(c => new AlertText(c.Key, c.Key == message.DefaultLanguage,
                Sending.Dispatch.TimeTokens.Apply(c.Value.Title ?? "", agendaEvent.TimeZone, c.Key),
                Sending.Dispatch.TimeTokens.Apply(c.Value.Body ?? "", agendaEvent.TimeZone, c.Key)))
            .ToList();
    }

    /// <summary>Saves an edit; a changed time or room is recorded and, with <paramref name="notify"/>, announced once.</summary>
    public async Task<SessionSaved> UpdateAsync(long sessionId, SessionForm form, bool notify, Actor actor, long? appId = null, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var session = await FindAsync(db, sessionId, appId, ct);
            var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
            var errors = new FieldErrors();
            if (!string.IsNullOrWhiteSpace(form.ExternalId) && form.ExternalId.Trim() != session.ExternalId)
                errors.Add("externalId", "A session's id cannot change: apps refer to it. Create a new session instead.");
            var valid = AgendaValidation.Session(WithId(form, session), agendaEvent, errors);
            errors.ThrowIfAny();
            var kind = Diff(session, valid!);
            var change = kind == SessionChangeKind.None ? null : Record(db, session, kind, valid!.StartsAt, valid.EndsAt, valid.Room, actor);
            Apply(session, valid!, clock.GetUtcNow().UtcDateTime);
            audit.Add(db, actor, "agenda.session_changed", session.Title, change is null ? "details" : Describe(change, agendaEvent));
            try { await db.SaveChangesAsync(ct); }
            // another save of this session won the race; look again (the same change is then no change at all)
            catch (DbUpdateException) when (attempt < 3) { continue; }
            return await AfterAsync(session, change, notify, actor, ct);
        }
    }

    public Task<SessionSaved> CancelAsync(long sessionId, bool notify, Actor actor, long? appId = null, CancellationToken ct = default) =>
        SetCancelledAsync(sessionId, true, notify, actor, appId, ct);

    public Task<SessionSaved> RestoreAsync(long sessionId, bool notify, Actor actor, long? appId = null, CancellationToken ct = default) =>
        SetCancelledAsync(sessionId, false, notify, actor, appId, ct);

    /// <summary>Announces a change saved without notifying (or notifies again: it is sent once whatever).</summary>
    public Task<long?> NotifyAsync(long changeId, Actor actor, CancellationToken ct = default) => pushes.SendChangeAlertAsync(changeId, actor, ct);

    /// <summary>Deletes a session nobody favourited or checked in to; otherwise cancel it, so they can be told.</summary>
    public async Task DeleteAsync(long sessionId, Actor actor, long? appId = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await FindAsync(db, sessionId, appId, ct);
        if (await db.Set<SessionFavorite>().AnyAsync(f => f.SessionId == sessionId, ct) || await db.Set<SessionCheckIn>().AnyAsync(c => c.SessionId == sessionId, ct))
            throw new ConflictException("session", "Attendees favourited or checked in to this session; cancel it instead, so they can be told.");
        var rules = await db.Set<ReminderRule>().Where(r => r.EventId == session.EventId).Select(r => r.Id).ToListAsync(ct);
        db.Remove(session);
        audit.Add(db, actor, "agenda.session_deleted", session.Title, session.ExternalId);
        await db.SaveChangesAsync(ct);
        await scheduler.UnplanSessionAsync(sessionId, rules, ct);
    }

    private async Task<SessionSaved> SetCancelledAsync(long sessionId, bool cancelled, bool notify, Actor actor, long? appId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var session = await FindAsync(db, sessionId, appId, ct);
            if (session.Cancelled == cancelled) return new SessionSaved(session, null, null);
            var change = Record(db, session, cancelled ? SessionChangeKind.Cancelled : SessionChangeKind.Restored, session.StartsAt, session.EndsAt, session.Room, actor);
            session.Cancelled = cancelled;
            session.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            session.Revision++;
            audit.Add(db, actor, cancelled ? "agenda.session_cancelled" : "agenda.session_restored", session.Title, session.ExternalId);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) when (attempt < 3) { continue; }
            return await AfterAsync(session, change, notify, actor, ct);
        }
    }

    private async Task<SessionSaved> AfterAsync(AgendaSession session, SessionChange? change, bool notify, Actor actor, CancellationToken ct)
    {
        await scheduler.PlanSessionAsync(session.Id, ct);
        if (change is null) return new SessionSaved(session, null, null);
        // the reminder already launched says the old time or room: stop what is left of it
        await pushes.CancelPendingRemindersAsync(session.Id, actor, ct);
        var alert = notify ? await pushes.SendChangeAlertAsync(change.Id, actor, ct) : null;
        return new SessionSaved(session, change, alert);
    }

    private SessionChange Record(AppDbContext db, AgendaSession session, SessionChangeKind kind, DateTime newStart, DateTime newEnd, string? newRoom, Actor actor)
    {
        var change = new SessionChange
        {
            SessionId = session.Id, AppId = session.AppId, Revision = session.Revision, Kind = kind,
            OldStartsAt = session.StartsAt, OldEndsAt = session.EndsAt, OldRoom = session.Room,
            NewStartsAt = newStart, NewEndsAt = newEnd, NewRoom = newRoom, At = clock.GetUtcNow().UtcDateTime, By = actor.Name,
        };
        db.Add(change);
        return change;
    }

    public static SessionChangeKind Diff(AgendaSession session, ValidSession valid) =>
        (session.StartsAt != valid.StartsAt || session.EndsAt != valid.EndsAt ? SessionChangeKind.Time : SessionChangeKind.None)
        | (!string.Equals(session.Room, valid.Room, StringComparison.Ordinal) ? SessionChangeKind.Room : SessionChangeKind.None);

    public static string Describe(SessionChange change, AgendaEvent agendaEvent)
    {
        var zone = VenueTime.Zone(agendaEvent);
        string At(DateTime utc) => VenueTime.ToVenue(utc, zone).ToString("ddd yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var parts = new List<string>();
        if (change.Kind.HasFlag(SessionChangeKind.Cancelled)) parts.Add("cancelled");
        if (change.Kind.HasFlag(SessionChangeKind.Restored)) parts.Add("back on the agenda");
        if (change.Kind.HasFlag(SessionChangeKind.Time)) parts.Add($"time {At(change.OldStartsAt)} → {At(change.NewStartsAt)}–{VenueTime.ToVenue(change.NewEndsAt, zone):HH:mm}");
        if (change.Kind.HasFlag(SessionChangeKind.Room)) parts.Add($"room {change.OldRoom ?? "—"} → {change.NewRoom ?? "—"}");
        return string.Join(", ", parts);
    }

    /// <summary>Copies a validated session onto the stored one (the editor and the import both save through it).</summary>
    internal static void Apply(AgendaSession session, ValidSession valid, DateTime now)
    {
        session.Title = valid.Title;
        session.Track = valid.Track;
        session.Room = valid.Room;
        session.StartsAt = valid.StartsAt;
        session.EndsAt = valid.EndsAt;
        session.Speakers = valid.Speakers;
        session.Description = valid.Description;
        session.UpdatedAt = now;
        // every save bumps it: concurrent saves of one session conflict instead of both recording the change
        session.Revision++;
    }

    private static SessionForm WithId(SessionForm form, AgendaSession session) => new()
    {
        ExternalId = session.ExternalId, Title = form.Title, Track = form.Track, Room = form.Room, Start = form.Start, End = form.End,
        Speakers = form.Speakers, Description = form.Description,
    };

    internal static async Task<AgendaSession> FindAsync(AppDbContext db, long sessionId, long? appId, CancellationToken ct, bool tracking = true)
    {
        var query = tracking ? db.Set<AgendaSession>() : db.Set<AgendaSession>().AsNoTracking();
        var session = await query.FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || appId is not null && session.AppId != appId) throw new NotFoundException($"There is no session {sessionId}.");
        return session;
    }
}
