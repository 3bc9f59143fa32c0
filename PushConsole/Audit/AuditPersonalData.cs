using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Audit;

/// <summary>
/// GDPR "audit": console and API actions about the user or their devices (token reveals, exports, preference edits).
/// Erasure keeps the entries (who did what, when) but replaces the user's id and their devices' ids.
/// </summary>
public sealed class AuditPersonalData(IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "audit";

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (entries, _) = await FindAsync(db, subject, ct);
        return entries.Select(e => new { at = e.At, actor = e.Actor, action = e.Action, target = e.Target, details = e.Details }).ToList();
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (entries, patterns) = await FindAsync(db, subject, ct, tracking: true);
        foreach (var e in entries)
        {
            e.Target = Scrub(e.Target, patterns);
            e.Details = Scrub(e.Details, patterns);
        }
        await db.SaveChangesAsync(ct);
    }

    private static async Task<(List<AuditEntry>, List<(Regex Pattern, string Replacement)>)> FindAsync(AppDbContext db, PersonalDataSubject subject,
        CancellationToken ct, bool tracking = false)
    {
        var installations = await db.Set<Installation>().Where(i => i.AppUserId == subject.AppUserId).Select(i => i.ExternalId).ToListAsync(ct);
        var mentions = new List<(string Text, string Replacement)> { ($"user {subject.UserId}", "an erased user") };
        mentions.AddRange(installations.Select(i => ($"installation {i}", "an erased installation")));
        var entries = new List<AuditEntry>();
        var query = tracking ? db.Set<AuditEntry>() : db.Set<AuditEntry>().AsNoTracking();
        foreach (var (text, _) in mentions)
            entries.AddRange(await query.Where(e => (e.Target != null && e.Target.Contains(text)) || (e.Details != null && e.Details.Contains(text))).ToListAsync(ct));
        // the id must end there: "user ana" is not "user anabel"
        var patterns = mentions.Select(m => (new Regex(Regex.Escape(m.Text) + "(?=$|[\\s,;:)\\]\\.\"'])"), m.Replacement)).ToList();
        var matching = entries.DistinctBy(e => e.Id).Where(e => patterns.Any(p => p.Item1.IsMatch(e.Target ?? "") || p.Item1.IsMatch(e.Details ?? ""))).OrderBy(e => e.Id).ToList();
        return (matching, patterns);
    }

    private static string? Scrub(string? text, List<(Regex Pattern, string Replacement)> patterns)
    {
        if (text is null) return null;
        foreach (var (pattern, replacement) in patterns) text = pattern.Replace(text, replacement);
        return text;
    }
}
