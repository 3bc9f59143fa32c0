using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>GDPR "opt_outs": when the user (or their anonymous device) opted out, and of what; erasure keeps them only as anonymous counts.</summary>
public sealed class ConsentPersonalData(IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "opt_outs";

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Of(db, subject).OrderBy(u => u.Id)
            .Select(u => new { at = u.At, kind = u.Kind, category = u.Category, campaignId = u.CampaignId }).ToListAsync(ct);
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await Of(db, subject).ExecuteUpdateAsync(s => s.SetProperty(u => u.AppUserId, (long?)null).SetProperty(u => u.InstallationId, (long?)null), ct);
    }

    private static IQueryable<Unsubscribe> Of(AppDbContext db, PersonalDataSubject subject)
    {
        var installations = subject.InstallationIds.Select(i => (long?)i).ToList();
        return db.Set<Unsubscribe>().Where(u => u.AppId == subject.AppId &&
            (u.AppUserId == subject.AppUserId || (u.AppUserId == null && installations.Contains(u.InstallationId))));
    }
}
