using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Agenda;

public enum ImportAction { Create, Change, Cancel, Restore, Remove, Unchanged }

/// <summary>What importing does to one session; <see cref="Details"/> lists changed fields ("room A → B").</summary>
public sealed record ImportItem(ImportAction Action, string ExternalId, string Title, string Details, long? SessionId, int? Revision,
    ValidSession? Valid, bool Cancelled, SessionChangeKind Change, int Attendees);

/// <summary>The preview: nothing is stored until <see cref="AgendaImport.ApplyAsync"/> is called with it (and only when it has no problem).</summary>
public sealed record ImportPreview(long AppId, string FileName, IReadOnlyList<ImportItem> Items, IReadOnlyList<ImportProblem> Problems, bool RemoveMissing)
{
    public int Count(ImportAction action) => Items.Count(i => i.Action == action);
    public bool CanApply => Problems.Count == 0 && Items.Any(i => i.Action != ImportAction.Unchanged);
}

/// <summary>What an applied import did, and the change alerts it sent.</summary>
public sealed record ImportResult(int Created, int Changed, int Cancelled, int Removed, IReadOnlyList<long> AlertCampaignIds);

/// <summary>
/// Imports an agenda from CSV or iCalendar: a preview names every session created, changed, cancelled or removed and every
/// broken row with why; applying it (all in one transaction) refuses while the file has problems or when the agenda changed
/// since the preview. Sessions are matched by their stable id. Sessions missing from the file are removed — cancelled when
/// attendees favourited or checked in to them, so they can be told — unless the import keeps them.
/// </summary>
public sealed class AgendaImport(IDbContextFactory<AppDbContext> contexts, AgendaScheduler scheduler, AgendaPushes pushes, AuditLog audit, TimeProvider clock)
{
    public const int MaxBytes = 2 * 1024 * 1024;

    public async Task<ImportPreview> PreviewAsync(long appId, string fileName, string text, bool removeMissing = true, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var agendaEvent = await AgendaService.RequireEventAsync(db, appId, ct);
        var (read, problems) = ImportFiles.Read(fileName, text, VenueTime.Zone(agendaEvent));
        var existing = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.EventId == agendaEvent.Id).ToDictionaryAsync(s => s.ExternalId, ct);
        var attendees = await AttendeesAsync(db, agendaEvent.Id, ct);
        var items = new List<ImportItem>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in read)
        {
            var errors = new FieldErrors();
            var valid = AgendaValidation.Session(row.Form, agendaEvent, errors, requireId: true);
            if (valid is not null && seen.TryGetValue(valid.ExternalId, out var first)) errors.Add("id", $"The id \"{valid.ExternalId}\" is also used by {first}.");
            try { errors.ThrowIfAny(); }
            catch (BadInputException e)
            {
                problems.AddRange(e.Errors.SelectMany(f => f.Value.Select(m => new ImportProblem(row.Where, $"{f.Key}: {m}"))));
                continue;
            }
            seen[valid!.ExternalId] = row.Where;
            if (!existing.TryGetValue(valid.ExternalId, out var session))
            {
                items.Add(new ImportItem(ImportAction.Create, valid.ExternalId, valid.Title, Describe(valid, agendaEvent) + (row.Cancelled ? " (cancelled)" : ""),
                    null, null, valid, row.Cancelled, SessionChangeKind.None, 0));
                continue;
            }
            var change = SessionService.Diff(session, valid);
            var details = Differences(session, valid, agendaEvent);
            var action = row.Cancelled && !session.Cancelled ? ImportAction.Cancel
                : !row.Cancelled && session.Cancelled ? ImportAction.Restore
                : details.Count > 0 ? ImportAction.Change : ImportAction.Unchanged;
            if (action == ImportAction.Cancel) change = SessionChangeKind.Cancelled;
            if (action == ImportAction.Restore) change = SessionChangeKind.Restored;
            items.Add(new ImportItem(action, valid.ExternalId, valid.Title, string.Join("; ", details), session.Id, session.Revision, valid, row.Cancelled, change,
                attendees.GetValueOrDefault(session.Id)));
        }
        if (removeMissing)
            foreach (var session in existing.Values.Where(s => !seen.ContainsKey(s.ExternalId)).OrderBy(s => s.StartsAt))
            {
                var people = attendees.GetValueOrDefault(session.Id);
                if (people > 0 && session.Cancelled) continue;
                items.Add(new ImportItem(people > 0 ? ImportAction.Cancel : ImportAction.Remove, session.ExternalId, session.Title,
                    people > 0 ? $"not in the file; cancelled rather than removed: {people} attendee(s) favourited or checked in" : "not in the file",
                    session.Id, session.Revision, null, true, SessionChangeKind.Cancelled, people));
            }
        return new ImportPreview(appId, fileName, items, problems, removeMissing);
    }

    /// <summary>Applies a preview in one transaction; with <paramref name="notify"/>, each change of time or room and each cancellation is announced.</summary>
    public async Task<ImportResult> ApplyAsync(ImportPreview preview, bool notify, Actor actor, CancellationToken ct = default)
    {
        if (preview.Problems.Count > 0) throw new BadInputException("file", "The file has rows that cannot be imported; fix them and upload it again.");
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var agendaEvent = await AgendaService.RequireEventAsync(db, preview.AppId, ct);
        var sessions = await db.Set<AgendaSession>().Where(s => s.EventId == agendaEvent.Id).ToDictionaryAsync(s => s.Id, ct);
        var changes = new List<SessionChange>();
        var touched = new List<AgendaSession>();
        foreach (var item in preview.Items.Where(i => i.Action != ImportAction.Unchanged))
        {
            if (item.SessionId is { } id && (!sessions.TryGetValue(id, out var current) || current.Revision != item.Revision))
                throw new ConflictException("file", $"The session \"{item.Title}\" changed since the preview; preview the file again.");
            if (item.Action == ImportAction.Create)
            {
                if (sessions.Values.Any(s => s.ExternalId == item.ExternalId))
                    throw new ConflictException("file", $"A session \"{item.ExternalId}\" was added since the preview; preview the file again.");
                var created = new AgendaSession { AppId = preview.AppId, EventId = agendaEvent.Id, ExternalId = item.ExternalId, Title = item.Title, CreatedAt = now };
                SessionService.Apply(created, item.Valid!, now);
                created.Cancelled = item.Cancelled;
                db.Add(created);
                touched.Add(created);
                continue;
            }
            var session = sessions[item.SessionId!.Value];
            if (item.Action == ImportAction.Remove) { db.Remove(session); continue; }
            var valid = item.Valid;
            if (item.Change != SessionChangeKind.None)
            {
                var change = new SessionChange
                {
                    SessionId = session.Id, AppId = session.AppId, Revision = session.Revision, Kind = item.Change,
                    OldStartsAt = session.StartsAt, OldEndsAt = session.EndsAt, OldRoom = session.Room,
                    NewStartsAt = valid?.StartsAt ?? session.StartsAt, NewEndsAt = valid?.EndsAt ?? session.EndsAt,
                    NewRoom = valid is null ? session.Room : valid.Room, At = now, By = actor.Name,
                };
                db.Add(change);
                changes.Add(change);
            }
            if (valid is not null) SessionService.Apply(session, valid, now);
            else { session.UpdatedAt = now; session.Revision++; }
            session.Cancelled = item.Cancelled;
            touched.Add(session);
        }
        var removed = preview.Items.Where(i => i.Action == ImportAction.Remove).Select(i => i.SessionId!.Value).ToList();
        var rules = await db.Set<ReminderRule>().Where(r => r.EventId == agendaEvent.Id).Select(r => r.Id).ToListAsync(ct);
        audit.Add(db, actor, "agenda.imported", preview.FileName,
            $"{preview.Count(ImportAction.Create)} created, {preview.Count(ImportAction.Change) + preview.Count(ImportAction.Restore)} changed, " +
            $"{preview.Count(ImportAction.Cancel)} cancelled, {removed.Count} removed");
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw new ConflictException("file", "The agenda changed while importing; preview the file again."); }

        foreach (var id in removed) await scheduler.UnplanSessionAsync(id, rules, ct);
        foreach (var session in touched) await scheduler.PlanSessionAsync(session.Id, ct);
        var alerts = new List<long>();
        foreach (var change in changes)
        {
            await pushes.CancelPendingRemindersAsync(change.SessionId, actor, ct);
            if (notify && await pushes.SendChangeAlertAsync(change.Id, actor, ct) is { } campaign) alerts.Add(campaign);
        }
        return new ImportResult(preview.Count(ImportAction.Create), preview.Count(ImportAction.Change) + preview.Count(ImportAction.Restore),
            preview.Count(ImportAction.Cancel), removed.Count, alerts);
    }

    private static async Task<Dictionary<long, int>> AttendeesAsync(AppDbContext db, long eventId, CancellationToken ct)
    {
        var ids = db.Set<AgendaSession>().Where(s => s.EventId == eventId).Select(s => s.Id);
        var favorites = await db.Set<SessionFavorite>().Where(f => ids.Contains(f.SessionId)).Select(f => new { f.SessionId, f.AppUserId }).ToListAsync(ct);
        var checkIns = await db.Set<SessionCheckIn>().Where(c => ids.Contains(c.SessionId)).Select(c => new { c.SessionId, c.AppUserId }).ToListAsync(ct);
        return favorites.Concat(checkIns).Distinct().GroupBy(a => a.SessionId).ToDictionary(g => g.Key, g => g.Count());
    }

    private static string Describe(ValidSession s, AgendaEvent agendaEvent)
    {
        var zone = VenueTime.Zone(agendaEvent);
        return $"{VenueTime.ToVenue(s.StartsAt, zone):ddd yyyy-MM-dd HH:mm}–{VenueTime.ToVenue(s.EndsAt, zone):HH:mm}{(s.Room is null ? "" : $", {s.Room}")}{(s.Track is null ? "" : $", {s.Track}")}";
    }

    private static List<string> Differences(AgendaSession old, ValidSession now, AgendaEvent agendaEvent)
    {
        var zone = VenueTime.Zone(agendaEvent);
        string At(DateTime utc) => VenueTime.ToVenue(utc, zone).ToString("ddd yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var list = new List<string>();
        void Check(string name, string? a, string? b) { if (!string.Equals(a, b, StringComparison.Ordinal)) list.Add($"{name} {a ?? "—"} → {b ?? "—"}"); }
        Check("title", old.Title, now.Title);
        if (old.StartsAt != now.StartsAt) list.Add($"start {At(old.StartsAt)} → {At(now.StartsAt)}");
        if (old.EndsAt != now.EndsAt) list.Add($"end {At(old.EndsAt)} → {At(now.EndsAt)}");
        Check("room", old.Room, now.Room);
        Check("track", old.Track, now.Track);
        Check("speakers", old.Speakers, now.Speakers);
        if (!string.Equals(old.Description, now.Description, StringComparison.Ordinal)) list.Add("description");
        return list;
    }
}
