using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Campaigns.TestDevices;

/// <summary>One of my test devices as the compose page lists it.</summary>
public sealed record TestDeviceView(long InstallationKey, long AppId, string AppName, string InstallationId, Platform Platform, PushState State,
    string? UserId, string? DeviceModel, DateTime AddedAt);

/// <summary>A console user's test devices: add and remove from the lookup page, list on the compose page.</summary>
public sealed class TestDeviceService(IDbContextFactory<AppDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public const int MaxPerUser = 50;

    public async Task<IReadOnlyList<TestDeviceView>> ListAsync(string consoleUser, long? appId = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = from t in db.Set<TestDevice>().AsNoTracking()
                    join i in db.Set<Installation>() on t.InstallationId equals i.Id
                    join a in db.Set<App>() on i.AppId equals a.Id
                    where t.ConsoleUser == consoleUser && (appId == null || i.AppId == appId)
                    orderby t.AddedAt
                    select new TestDeviceView(i.Id, i.AppId, a.Name, i.ExternalId, i.Platform, i.State, i.AppUser == null ? null : i.AppUser.ExternalId,
                        i.DeviceModel, t.AddedAt);
        return await query.ToListAsync(ct);
    }

    public async Task<bool> IsTestDeviceAsync(string consoleUser, long installationKey, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<TestDevice>().AnyAsync(t => t.ConsoleUser == consoleUser && t.InstallationId == installationKey, ct);
    }

    public async Task AddAsync(Actor actor, long installationKey, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var installation = await db.Set<Installation>().AsNoTracking().Where(i => i.Id == installationKey)
            .Select(i => new { i.AppId, i.ExternalId }).FirstOrDefaultAsync(ct) ?? throw new NotFoundException("That installation no longer exists.");
        var mine = db.Set<TestDevice>().Where(t => t.ConsoleUser == actor.Name);
        if (await mine.AnyAsync(t => t.InstallationId == installationKey, ct)) return;
        if (await mine.CountAsync(ct) >= MaxPerUser)
            throw new BadInputException("testDevices", $"You already have {MaxPerUser} test devices; remove some on the compose page first.");
        db.Add(new TestDevice { ConsoleUser = actor.Name, AppId = installation.AppId, InstallationId = installationKey, AddedAt = clock.GetUtcNow().UtcDateTime });
        audit.Add(db, actor, "test_device.added", $"installation {installation.ExternalId}");
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(Actor actor, long installationKey, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<TestDevice>().Where(t => t.ConsoleUser == actor.Name && t.InstallationId == installationKey).ToListAsync(ct);
        if (rows.Count == 0) return;
        db.RemoveRange(rows);
        var externalId = await db.Set<Installation>().Where(i => i.Id == installationKey).Select(i => i.ExternalId).FirstOrDefaultAsync(ct);
        audit.Add(db, actor, "test_device.removed", $"installation {externalId}");
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>GDPR: which of a user's devices are marked as a console user's test device (export), and unmarking them (erasure).</summary>
public sealed class TestDevicePersonalData(IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "testDevices";

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = subject.InstallationIds.ToList();
        return await (from t in db.Set<TestDevice>().AsNoTracking()
                      join i in db.Set<Installation>() on t.InstallationId equals i.Id
                      where ids.Contains(t.InstallationId)
                      orderby t.AddedAt
                      select new { installationId = i.ExternalId, markedAsTestDeviceAt = t.AddedAt }).ToListAsync(ct);
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = subject.InstallationIds.ToList();
        await db.Set<TestDevice>().Where(t => ids.Contains(t.InstallationId)).ExecuteDeleteAsync(ct);
    }
}
