using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>What an erasure did, for the console and the API caller (no personal data in it).</summary>
public sealed record ErasureSummary(int Installations, IReadOnlyList<string> Sections);

/// <summary>
/// GDPR export and erasure of one user: finds the user and every installation that is or was theirs, then asks each
/// feature's <see cref="IPersonalData"/> for its part (export) or to remove it (erasure, in <see cref="IPersonalData.EraseOrder"/>).
/// Both are audited; the erasure's audit entry names no one.
/// </summary>
public sealed class UserDataService(IEnumerable<IPersonalData> parts, IDbContextFactory<AppDbContext> contexts, Database database, AuditLog audit,
    TimeProvider clock, ILogger<UserDataService> logger)
{
    public async Task<IReadOnlyDictionary<string, object?>> ExportAsync(long appId, string? userId, Actor actor, CancellationToken ct = default)
    {
        var subject = await SubjectAsync(appId, userId, ChangeSources.System, ct);
        var appName = await AppNameAsync(appId, ct);
        var export = new Dictionary<string, object?>
        {
            ["exportedAt"] = clock.GetUtcNow().UtcDateTime,
            ["app"] = appName,
            ["userId"] = subject.UserId,
        };
        foreach (var part in parts.OrderBy(p => p.Section, StringComparer.Ordinal))
            export[part.Section] = await part.ExportAsync(subject, ct);
        await audit.RecordAsync(actor, "user.exported", $"user {subject.UserId}", $"{appName}: sections {string.Join(", ", parts.Select(p => p.Section).Order())}", ct);
        return export;
    }

    /// <summary>Removes the user's personal data from every part; a repeated call for the same user is a 404.</summary>
    public async Task<ErasureSummary> EraseAsync(long appId, string? userId, Actor actor, string source, CancellationToken ct = default)
    {
        var subject = await SubjectAsync(appId, userId, source, ct);
        var installations = await CountCurrentAsync(subject.AppUserId, ct);
        var sections = new List<string>();
        foreach (var part in parts.OrderBy(p => p.EraseOrder))
        {
            await part.EraseAsync(subject, ct);
            sections.Add(part.Section);
        }
        await audit.RecordAsync(actor, "user.erased", await AppNameAsync(appId, ct),
            $"a user and {installations} installation(s) erased on request via {ChangeSources.Describe(source)}; parts: {string.Join(", ", sections)}", ct);
        await CheckpointAsync(ct);
        logger.LogInformation("Erased a user of app {App} with {Installations} installation(s)", appId, installations);
        return new ErasureSummary(installations, sections);
    }

    private async Task<PersonalDataSubject> SubjectAsync(long appId, string? userId, string source, CancellationToken ct)
    {
        var id = DeviceValidation.ExternalId("userId", userId, AppUserConfiguration.MaxExternalId);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.Set<AppUser>().Where(u => u.ExternalId == id && u.AppId == appId).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct)
                  ?? throw new NotFoundException($"There is no user \"{id}\" in this app.");
        var current = await db.Set<Installation>().Where(i => i.AppUserId == key).Select(i => i.Id).ToListAsync(ct);
        var former = await db.Set<TokenChange>().Where(c => c.NewUser == id && c.AppId == appId).Select(c => c.InstallationId).Distinct().ToListAsync(ct);
        return new PersonalDataSubject(appId, key, id, current.Union(former).Order().ToList(), source);
    }

    private async Task<int> CountCurrentAsync(long userKey, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Installation>().CountAsync(i => i.AppUserId == userKey, ct);
    }

    private async Task<string> AppNameAsync(long appId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<App>().Where(a => a.Id == appId).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? $"app {appId}";
    }

    /// <summary>
    /// SQLite keeps old page images in its write-ahead log until a checkpoint; move them into the (secure_delete)
    /// main file and empty the log now, so erased bytes leave the disk with the erasure rather than later.
    /// </summary>
    private async Task CheckpointAsync(CancellationToken ct)
    {
        if (database.Dialect.WalCheckpoint is not { } checkpoint) return;
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = checkpoint;
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct) && reader.GetInt64(0) != 0)
            logger.LogWarning("The write-ahead log could not be emptied after an erasure (readers were busy); the next checkpoint will");
    }
}
