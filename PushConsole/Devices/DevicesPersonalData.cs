using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;

namespace PushConsole.Devices;

/// <summary>GDPR "profile": what the app and its back-end said about the user; erasure deletes the user row (last).</summary>
public sealed class UserProfilePersonalData(IDbContextFactory<AppDbContext> contexts, DeviceRegistry registry) : IPersonalData
{
    public string Section => "profile";
    public int EraseOrder => 100;

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var u = await db.Set<AppUser>().AsNoTracking().AsSplitQuery().Include(x => x.Attributes).Include(x => x.Tags).Include(x => x.Categories)
            .FirstOrDefaultAsync(x => x.Id == subject.AppUserId, ct);
        if (u is null) return null;
        return new
        {
            userId = u.ExternalId, email = u.Email, displayName = u.DisplayName, language = u.Language, timeZone = u.TimeZone,
            lastActiveAt = u.LastActiveAt, createdAt = u.CreatedAt, updatedAt = u.UpdatedAt,
            consent = new { state = ConsentNames.Of(u.Consent), at = u.ConsentAt, source = u.ConsentSource },
            categories = u.Categories.OrderBy(c => c.Category).ToDictionary(c => c.Category, c => new { enabled = c.Enabled, updatedAt = c.UpdatedAt }),
            attributes = u.Attributes.OrderBy(a => a.Name).ToDictionary(a => a.Name, a => a.TextValue),
            tags = u.Tags.Select(t => t.Tag).Order().ToList(),
        };
    }

    public Task EraseAsync(PersonalDataSubject subject, CancellationToken ct) => registry.DeleteUserAsync(subject.AppUserId);
}

/// <summary>
/// GDPR "installations": the user's devices with their tokens, details, preferences and full changelog, and the entries
/// about the user on devices that were theirs once. Erasure goes through the registry (the only writer of tokens).
/// </summary>
public sealed class InstallationsPersonalData(IDbContextFactory<AppDbContext> contexts, DeviceRegistry registry) : IPersonalData
{
    public string Section => "installations";
    public int EraseOrder => 50;

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = subject.InstallationIds.ToList();
        var rows = await db.Set<Installation>().AsNoTracking().Include(i => i.Tags).Where(i => ids.Contains(i.Id)).OrderBy(i => i.Id).ToListAsync(ct);
        var categories = (await db.Set<InstallationCategory>().AsNoTracking().Where(c => ids.Contains(c.InstallationId)).ToListAsync(ct))
            .ToLookup(c => c.InstallationId);
        var changes = (await db.Set<TokenChange>().AsNoTracking().Where(c => ids.Contains(c.InstallationId)).OrderBy(c => c.Id).ToListAsync(ct))
            .ToLookup(c => c.InstallationId);
        return rows.Select(i =>
        {
            var current = i.AppUserId == subject.AppUserId;
            // a device that moved on to someone else: only what concerns this user
            var log = changes[i.Id].Where(c => current || c.OldUser == subject.UserId || c.NewUser == subject.UserId).Select(c => new
            {
                at = c.At, kind = DeviceNames.Of(c.Kind), description = ChangeSentences.Describe(c), oldUserId = c.OldUser, newUserId = c.NewUser,
                oldToken = c.OldToken, newToken = c.NewToken, source = c.Source, providerReason = c.ProviderReason, rawAnswer = c.RawAnswer, details = c.Details,
            }).ToList();
            if (!current) return (object)new { installationId = i.ExternalId, platform = PlatformNames.Of(i.Platform), current, changelog = log };
            return new
            {
                installationId = i.ExternalId, platform = PlatformNames.Of(i.Platform), current, state = DeviceNames.Of(i.State), token = i.Token,
                apnsEnvironment = i.ApnsEnvironment is { } environment ? PlatformNames.Of(environment) : null, webPushKeys = i.WebPushP256dh is null ? null : new { p256dh = i.WebPushP256dh, auth = i.WebPushAuth },
                notificationsEnabled = i.NotificationsEnabled, language = i.Language, timeZone = i.TimeZone, appVersion = i.AppVersion,
                osVersion = i.OsVersion, deviceModel = i.DeviceModel, tags = i.Tags.Select(t => t.Tag).Order().ToList(),
                consent = new { state = ConsentNames.Of(i.Consent), at = i.ConsentAt, source = i.ConsentSource },
                categories = categories[i.Id].OrderBy(c => c.Category).ToDictionary(c => c.Category, c => c.Enabled),
                createdAt = i.CreatedAt, lastSeenAt = i.LastSeenAt, tokenRegisteredAt = i.TokenRegisteredAt, changelog = log,
            };
        }).ToList();
    }

    public Task EraseAsync(PersonalDataSubject subject, CancellationToken ct) =>
        registry.EraseInstallationsAsync(subject.AppId, subject.AppUserId, subject.UserId, subject.Source);
}

/// <summary>GDPR "events": what the user's devices reported (sessions, receipts, opens, custom events); erasure deletes them.</summary>
public sealed class ClientEventsPersonalData(IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "events";

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = await CurrentAsync(db, subject, ct);
        var events = await db.Set<ClientEvent>().AsNoTracking().Where(e => ids.Contains(e.InstallationId)).OrderBy(e => e.Id)
            .Join(db.Set<Installation>(), e => e.InstallationId, i => i.Id, (e, i) => new { e, i.ExternalId }).ToListAsync(ct);
        return events.Select(x => new
        {
            installationId = x.ExternalId, type = x.e.Type, deliveryId = x.e.DeliveryId, name = x.e.Name, at = x.e.At, receivedAt = x.e.ReceivedAt,
            properties = x.e.Properties is null ? (JsonElement?)null : JsonDocument.Parse(x.e.Properties).RootElement,
        }).ToList();
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = await CurrentAsync(db, subject, ct);
        await db.Set<ClientEvent>().Where(e => ids.Contains(e.InstallationId)).ExecuteDeleteAsync(ct);
    }

    private static Task<List<long>> CurrentAsync(AppDbContext db, PersonalDataSubject subject, CancellationToken ct) =>
        db.Set<Installation>().Where(i => i.AppUserId == subject.AppUserId).Select(i => i.Id).ToListAsync(ct);
}
