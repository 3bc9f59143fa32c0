using Microsoft.EntityFrameworkCore;
using PushConsole.Audit;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Geofences;

/// <summary>Location consent inside a preferences change (registry transaction): a user's row, or an anonymous installation's.</summary>
public static class LocationConsents
{
    /// <summary>Stores <paramref name="wanted"/> when given and different; answers the resulting state and whether it changed.</summary>
    public static async Task<(bool Granted, bool Changed)> SetAsync(RegistryTx tx, long appId, long? userKey, long? installationKey, bool? wanted, string source)
    {
        var column = userKey is not null ? "app_user_id" : "installation_id";
        var key = userKey ?? installationKey!.Value;
        var stored = await tx.QueryAsync($"SELECT granted FROM location_consents WHERE {column} = @p0", r => r.GetBoolean(0), key);
        var current = stored.Count > 0 && stored[0];
        if (wanted is not { } w || (stored.Count > 0 && w == current)) return (current, false);
        await tx.ExecuteAsync(
            $"INSERT INTO location_consents (app_id, {column}, granted, updated_at, source) VALUES (@p0, @p1, @p2, @p3, @p4) " +
            $"ON CONFLICT ({column}) DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at, source = excluded.source",
            appId, key, w, tx.Now, source);
        return (w, w != current);
    }

    /// <summary>The condition "this installation (alias <c>i</c>) may be located": its user's consent, or its own while anonymous.</summary>
    public const string GrantedSql =
        "(CASE WHEN i.app_user_id IS NULL THEN (SELECT lc.granted FROM location_consents lc WHERE lc.installation_id = i.id) " +
        "ELSE (SELECT lc.granted FROM location_consents lc WHERE lc.app_user_id = i.app_user_id) END)";
}

/// <summary>Location consent as the lookup page shows and changes it.</summary>
public sealed record LocationConsentView(bool Granted, DateTime? At, string? Source);

public sealed class LocationConsentService(IDbContextFactory<AppDbContext> contexts, RegistryWriter writer, ConsentCatalog catalog, AuditLog audit)
{
    public async Task<LocationConsentView> ForUserAsync(long userKey, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Set<LocationConsent>().AsNoTracking().FirstOrDefaultAsync(c => c.AppUserId == userKey, ct);
        return new LocationConsentView(row?.Granted == true, row?.UpdatedAt, row?.Source);
    }

    public async Task<LocationConsentView> ForInstallationAsync(long installationKey, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Set<LocationConsent>().AsNoTracking().FirstOrDefaultAsync(c => c.InstallationId == installationKey, ct);
        return new LocationConsentView(row?.Granted == true, row?.UpdatedAt, row?.Source);
    }

    /// <summary>The lookup page's switch (admin, organizer): logged on the user's installations and audited with who did it.</summary>
    public async Task SetForUserAsync(long appId, string userId, bool granted, Actor actor, CancellationToken ct = default)
    {
        var policy = await catalog.GetAsync(appId, ct);
        await writer.RunAsync(null, tx => PreferenceChanges.ForUserAsync(tx, appId, userId, null, null, policy, ChangeSources.Console, actor.Name, granted));
        await using var db = await contexts.CreateDbContextAsync(ct);
        audit.Add(db, actor, "preferences.changed", $"user {userId}", $"location consent {(granted ? "granted" : "withdrawn")}");
        await db.SaveChangesAsync(ct);
    }
}
