using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Geofences;

/// <summary>
/// An app's geofences: create, replace, delete, import (server API, console and CSV share it). Every change bumps the app's
/// set version in the same transaction, so devices and the sync index of every server notice it.
/// </summary>
public sealed class GeofenceService(IDbContextFactory<AppDbContext> contexts, GeofenceIndex index, AuditLog audit, TimeProvider clock)
{
    public const int MaxPerApp = 20_000;

    public async Task<IReadOnlyList<Geofence>> ListAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Geofence>().AsNoTracking().Where(g => g.AppId == appId).OrderBy(g => g.Name).ThenBy(g => g.ExternalId).ToListAsync(ct);
    }

    public async Task<Geofence> GetAsync(long appId, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Geofence>().AsNoTracking().FirstOrDefaultAsync(g => g.AppId == appId && g.ExternalId == id, ct) ?? throw Missing(id);
    }

    public async Task<Geofence> CreateAsync(long appId, GeofenceRequest? body, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var draft = GeofenceInput.Check(errors, body);
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Set<Geofence>().AnyAsync(g => g.AppId == appId && g.ExternalId == draft!.Id, ct)) throw Duplicate(draft!.Id);
        if (await db.Set<Geofence>().CountAsync(g => g.AppId == appId, ct) >= MaxPerApp)
            throw new BadInputException("id", $"An app has at most {MaxPerApp} geofences; delete some first.");
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new Geofence { AppId = appId, ExternalId = draft!.Id, Name = draft.Name, CreatedAt = now, UpdatedAt = now };
        draft.CopyTo(row);
        db.Add(row);
        audit.Add(db, actor, "geofence.created", $"geofence {row.ExternalId}", Describe(row));
        await SaveAsync(db, appId, () => Duplicate(row.ExternalId), ct);
        return row;
    }

    /// <summary>Replaces every field of an existing geofence; the body's id, if given, must be the path's.</summary>
    public async Task<Geofence> UpdateAsync(long appId, string id, GeofenceRequest? body, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (body is not null && body.Id is not null && body.Id != id) errors.Add("id", $"The body's id \"{body.Id}\" differs from the path's \"{id}\"; ids cannot be renamed.");
        var draft = GeofenceInput.Check(errors, body is null ? null : body with { Id = id });
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Set<Geofence>().FirstOrDefaultAsync(g => g.AppId == appId && g.ExternalId == id, ct) ?? throw Missing(id);
        draft!.CopyTo(row);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, "geofence.updated", $"geofence {id}", Describe(row));
        await SaveAsync(db, appId, () => Duplicate(id), ct);
        return row;
    }

    public async Task DeleteAsync(long appId, string id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Set<Geofence>().FirstOrDefaultAsync(g => g.AppId == appId && g.ExternalId == id, ct) ?? throw Missing(id);
        db.Remove(row);
        audit.Add(db, actor, "geofence.deleted", $"geofence {id}", row.Name);
        await SaveAsync(db, appId, () => Missing(id), ct);
    }

    /// <summary>Creates or replaces (by id) every geofence of the list, all or none; errors name rows as <c>[n].field</c>.</summary>
    public async Task<int> ImportAsync(long appId, IReadOnlyList<GeofenceRequest> rows, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (rows.Count == 0) errors.Add("file", "The list has no geofences.");
        var drafts = new List<GeofenceDraft>(rows.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < rows.Count; n++)
        {
            var draft = GeofenceInput.Check(errors, rows[n], $"[{n}].");
            if (draft is null) continue;
            if (!seen.Add(draft.Id)) errors.Add($"[{n}].id", $"id \"{draft.Id}\" appears twice in the list.");
            drafts.Add(draft);
        }
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var existing = await db.Set<Geofence>().Where(g => g.AppId == appId).ToDictionaryAsync(g => g.ExternalId, StringComparer.Ordinal, ct);
        if (existing.Count + drafts.Count(d => !existing.ContainsKey(d.Id)) > MaxPerApp)
            throw new BadInputException("file", $"An app has at most {MaxPerApp} geofences; the import would go beyond.");
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var draft in drafts)
        {
            if (!existing.TryGetValue(draft.Id, out var row))
                db.Add(row = new Geofence { AppId = appId, ExternalId = draft.Id, Name = draft.Name, CreatedAt = now });
            draft.CopyTo(row);
            row.UpdatedAt = now;
        }
        audit.Add(db, actor, "geofence.imported", $"{drafts.Count} geofences", string.Join(", ", drafts.Select(d => d.Id).Take(50)));
        await SaveAsync(db, appId, () => new BadInputException("file", "Another change of the same geofences came first; import again."), ct);
        return drafts.Count;
    }

    /// <summary>The change and the version bump commit together; the local index forgets the app at once.</summary>
    private async Task SaveAsync(AppDbContext db, long appId, Func<Exception> onConflict, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw onConflict(); }
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO geofence_versions (app_id, version) VALUES ({0}, 1) ON CONFLICT (app_id) DO UPDATE SET version = geofence_versions.version + 1", [appId], ct);
        await tx.CommitAsync(ct);
        index.Forget(appId);
    }

    private static string Describe(Geofence g) =>
        FormattableString.Invariant($"{g.Name}: {g.Latitude:0.######}, {g.Longitude:0.######}, {g.RadiusM:0} m{(g.Room is null ? "" : $", room {g.Room}")}");

    private static NotFoundException Missing(string id) => new($"There is no geofence \"{id}\" in this app.");

    private static BadInputException Duplicate(string id) => new("id", $"There is already a geofence \"{id}\"; choose another id or PUT /v4/geofences/{id} to change it.");
}
