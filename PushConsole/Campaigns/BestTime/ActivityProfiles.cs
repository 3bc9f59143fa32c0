using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Devices;

namespace PushConsole.Campaigns.BestTime;

/// <summary>An installation's activity profile as support sees it, and what best-time sends would pick from it now.</summary>
public sealed record ActivityProfile(
    string TimeZone, IReadOnlyList<int> Sessions, IReadOnlyList<int> Opens,
    /// <summary>Sessions + opens of every device of the installation's user (or of the installation alone): what sends use.</summary>
    IReadOnlyList<int> Used, int Devices, DateTime? LastActivityAt, int? BestHourOfWeek, DateTime? NextBestUtc)
{
    public bool IsEmpty => LastActivityAt is null;
}

/// <summary>
/// The activity profile behind best-time sends: counts of <c>session_start</c> and <c>notification_opened</c> events per
/// installation and hour of the week in the device's zone (<see cref="ActivityHour"/>), updated inside the client-event
/// batch that stores them. It is personal data: exported and erased with the user.
/// </summary>
public sealed class ActivityProfiles(IDbContextFactory<AppDbContext> contexts, Database database, TimeProvider clock) : IClientEventSink, IPersonalData
{
    public async Task OnStoredAsync(RegistryTx tx, long appId, IReadOnlyList<StoredClientEvent> events)
    {
        var counted = events.Where(e => e.InstallationId is not null && e.Type is ClientEventTypes.SessionStart or ClientEventTypes.NotificationOpened).ToList();
        if (counted.Count == 0) return;
        var installations = counted.Select(e => e.InstallationId!.Value).Distinct().ToList();
        var zones = installations.ToDictionary(i => i, _ => TimeZoneInfo.Utc);
        foreach (var (offset, count) in RegistryTx.Chunks(installations.Count, 128))
            foreach (var (installation, zone) in await tx.QueryAsync(
                         "SELECT i.id, COALESCE(i.time_zone, u.time_zone) FROM installations i LEFT JOIN app_users u ON u.id = i.app_user_id " +
                         $"WHERE i.id IN ({RegistryTx.Placeholders(0, count)})",
                         r => (r.GetInt64(0), RegistryTx.ReadString(r, 1)), [.. installations.Skip(offset).Take(count).Cast<object?>()]))
                zones[installation] = TimeZones.Find(zone) ?? TimeZoneInfo.Utc;
        var cells = counted.GroupBy(e => (InstallationId: e.InstallationId!.Value, Hour: (short)ActivityHour.Of(TimeZones.ToLocal(e.At, zones[e.InstallationId!.Value]))));
        foreach (var cell in cells)
            await tx.ExecuteAsync("""
                INSERT INTO activity_hours (installation_id, app_id, hour_of_week, sessions, opens, last_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
                ON CONFLICT (installation_id, hour_of_week) DO UPDATE SET
                    sessions = activity_hours.sessions + excluded.sessions, opens = activity_hours.opens + excluded.opens,
                    last_at = CASE WHEN excluded.last_at > activity_hours.last_at THEN excluded.last_at ELSE activity_hours.last_at END
                """, cell.Key.InstallationId, appId, cell.Key.Hour,
                cell.Count(e => e.Type == ClientEventTypes.SessionStart), cell.Count(e => e.Type == ClientEventTypes.NotificationOpened),
                DateTime.SpecifyKind(cell.Max(e => e.At), DateTimeKind.Utc));
    }

    /// <summary>The profile of one installation (row id), with its user's other devices merged in as best-time sends do.</summary>
    public async Task<ActivityProfile> ForInstallationAsync(long installationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var device = await db.Set<Installation>().AsNoTracking().Where(i => i.Id == installationId)
            .Select(i => new { i.AppUserId, Zone = i.TimeZone ?? (i.AppUser == null ? null : i.AppUser.TimeZone) }).FirstOrDefaultAsync(ct);
        var devices = device?.AppUserId is { } user
            ? await db.Set<Installation>().Where(i => i.AppUserId == user || i.Id == installationId).Select(i => i.Id).ToListAsync(ct)
            : [installationId];
        var rows = await db.Set<ActivityHour>().AsNoTracking().Where(a => devices.Contains(a.InstallationId)).ToListAsync(ct);
        var sessions = new int[ActivityHour.HoursPerWeek];
        var opens = new int[ActivityHour.HoursPerWeek];
        var used = new int[ActivityHour.HoursPerWeek];
        foreach (var row in rows)
        {
            used[row.HourOfWeek] += row.Sessions + row.Opens;
            if (row.InstallationId != installationId) continue;
            sessions[row.HourOfWeek] += row.Sessions;
            opens[row.HourOfWeek] += row.Opens;
        }
        var zone = TimeZones.Find(device?.Zone) ?? TimeZoneInfo.Utc;
        var now = clock.GetUtcNow().UtcDateTime;
        var best = BestHours.Pick(used, zone, now);
        return new ActivityProfile(zone.Id, sessions, opens, used, devices.Count, rows.Count == 0 ? null : rows.Max(r => r.LastAt), best,
            best is { } hour ? BestHours.NextHourOfWeek(hour, zone, now) : null);
    }

    public string Section => "activity_profile";

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = subject.InstallationIds.ToList();
        var rows = await db.Set<ActivityHour>().AsNoTracking().Where(a => ids.Contains(a.InstallationId))
            .OrderBy(a => a.InstallationId).ThenBy(a => a.HourOfWeek).ToListAsync(ct);
        return rows.Select(r => new
        {
            installation = r.InstallationId, hourOfWeek = r.HourOfWeek, when = BestHours.Describe(r.HourOfWeek), sessions = r.Sessions, opens = r.Opens,
            lastAt = r.LastAt,
        }).ToList();
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        if (subject.InstallationIds.Count == 0) return;
        await using var connection = await database.OpenAsync(ct);
        var parameters = new Dapper.DynamicParameters();
        parameters.Add("ids", subject.InstallationIds.ToArray());
        await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(
            $"DELETE FROM activity_hours WHERE {database.InList("installation_id", "@ids")}", parameters, cancellationToken: ct));
    }
}
