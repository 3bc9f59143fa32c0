using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Geofences;

/// <summary>GDPR "geofences": location consent and every transition of the user's devices; erasure deletes them and the cooldown marks.</summary>
public sealed class GeofencePersonalData(IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "geofences";

    public sealed record TransitionExport(string InstallationId, string Type, string GeofenceId, string? GeofenceName, int? DwellSeconds, DateTime At);

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = subject.InstallationIds.ToList();
        var consent = await db.Set<LocationConsent>().AsNoTracking().Where(c => c.AppUserId == subject.AppUserId).FirstOrDefaultAsync(ct);
        var transitions = await (from e in db.Set<ClientEvent>().AsNoTracking()
                                 join i in db.Set<Installation>() on e.InstallationId equals i.Id
                                 join g in db.Set<Geofence>().Where(g => g.AppId == subject.AppId) on e.GeofenceId equals g.ExternalId into named
                                 from g in named.DefaultIfEmpty()
                                 where ids.Contains(e.InstallationId) && e.GeofenceId != null
                                 orderby e.Id
                                 select new TransitionExport(i.ExternalId, e.Type, e.GeofenceId!, g.Name, e.DwellSeconds, e.At)).ToListAsync(ct);
        if (consent is null && transitions.Count == 0) return null;
        return new
        {
            locationConsent = consent is null ? null : new { granted = consent.Granted, at = consent.UpdatedAt, source = consent.Source },
            transitions,
        };
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = subject.InstallationIds.ToList();
        await db.Set<ClientEvent>().Where(e => ids.Contains(e.InstallationId) && e.GeofenceId != null).ExecuteDeleteAsync(ct);
        await db.Set<GeofenceTrigger>().Where(t => t.AppUserId == subject.AppUserId || (t.InstallationId != null && ids.Contains(t.InstallationId.Value))).ExecuteDeleteAsync(ct);
        await db.Set<LocationConsent>().Where(c => c.AppUserId == subject.AppUserId || (c.InstallationId != null && ids.Contains(c.InstallationId.Value))).ExecuteDeleteAsync(ct);
    }
}
