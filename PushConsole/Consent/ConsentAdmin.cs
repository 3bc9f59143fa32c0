using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>The consent page's form: an app's sending rules.</summary>
public sealed class SettingsForm
{
    public bool RequireExplicitConsent { get; set; }
    public bool QuietHoursEnabled { get; set; } = true;
    /// <summary>Local wall-clock time, HH:mm.</summary>
    public string? QuietStart { get; set; } = "22:00";
    public string? QuietEnd { get; set; } = "08:00";
    public int? FrequencyCap { get; set; }
    public int CapWindowHours { get; set; } = 24;

    public static SettingsForm From(ConsentPolicy p) => new()
    {
        RequireExplicitConsent = p.RequireExplicitConsent, QuietHoursEnabled = p.QuietHoursEnabled,
        QuietStart = QuietHours.Format(p.QuietStartMinute), QuietEnd = QuietHours.Format(p.QuietEndMinute),
        FrequencyCap = p.FrequencyCap, CapWindowHours = p.CapWindowHours,
    };
}

/// <summary>The consent page's form for one category.</summary>
public sealed class CategoryForm
{
    public string? Key { get; set; }
    public string? Label { get; set; }
    public bool DefaultEnabled { get; set; } = true;
    public bool Transactional { get; set; }
    public int? FrequencyCap { get; set; }
}

/// <summary>Console edits of an app's consent settings and categories (admin, organizer); each is audited.</summary>
public sealed class ConsentAdmin(IDbContextFactory<AppDbContext> contexts, ConsentCatalog catalog, AuditLog audit, TimeProvider clock)
{
    public const int MaxCap = 1000;

    public async Task SaveSettingsAsync(long appId, SettingsForm form, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var start = Minute(errors, "quietStart", form.QuietStart);
        var end = Minute(errors, "quietEnd", form.QuietEnd);
        if (form.QuietHoursEnabled && start is not null && start == end) errors.Add("quietEnd", "Quiet hours need an end different from their start.");
        if (form.FrequencyCap is < 1 or > MaxCap) errors.Add("frequencyCap", $"A cap is 1 to {MaxCap} pushes (leave it empty for no cap).");
        if (form.CapWindowHours is < 1 or > 168) errors.Add("capWindowHours", "The cap window is 1 to 168 hours (a week).");
        errors.ThrowIfAny();
        await catalog.GetFreshAsync(appId, ct); // the app's row exists from here on
        await using var db = await contexts.CreateDbContextAsync(ct);
        var settings = await db.Set<ConsentSettings>().FirstAsync(s => s.AppId == appId, ct);
        settings.RequireExplicitConsent = form.RequireExplicitConsent;
        settings.QuietHoursEnabled = form.QuietHoursEnabled;
        settings.QuietStartMinute = start!.Value;
        settings.QuietEndMinute = end!.Value;
        settings.FrequencyCap = form.FrequencyCap;
        settings.CapWindowHours = form.CapWindowHours;
        settings.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, "consent.settings.updated", await AppNameAsync(db, appId, ct),
            $"consent {(form.RequireExplicitConsent ? "must be granted" : "assumed until withdrawn")}; quiet hours " +
            $"{(form.QuietHoursEnabled ? new QuietHours(settings.QuietStartMinute, settings.QuietEndMinute).ToString() : "off")}; " +
            $"cap {(form.FrequencyCap is { } cap ? $"{cap} per {form.CapWindowHours} h" : "none")}");
        await db.SaveChangesAsync(ct);
        catalog.Forget(appId);
    }

    /// <summary>Adds a category (<paramref name="existingKey"/> null) or changes one; the key of an existing category stays.</summary>
    public async Task SaveCategoryAsync(long appId, string? existingKey, CategoryForm form, Actor actor, CancellationToken ct = default)
    {
        var policy = await catalog.GetFreshAsync(appId, ct);
        var errors = new FieldErrors();
        var key = existingKey ?? form.Key?.Trim();
        if (existingKey is null)
        {
            if (string.IsNullOrEmpty(key) || !Preferences.IsKey(key))
                errors.Add("key", "A key is 1 to 64 letters, digits, '_', '-' or '.', e.g. program_changes; apps send it.");
            else if (policy.Find(key) is not null) errors.Add("key", $"There is already a category \"{key}\".");
            if (policy.Categories.Count >= Preferences.MaxCategories) errors.Add("key", $"An app has at most {Preferences.MaxCategories} categories.");
        }
        else if (policy.Find(existingKey) is null) throw new NotFoundException($"There is no category \"{existingKey}\".");
        var label = form.Label?.Trim();
        if (string.IsNullOrEmpty(label)) errors.Add("label", "Give the category a label people understand, e.g. Program changes.");
        else if (label.Length > ConsentCategoryConfiguration.MaxLabel) errors.Add("label", $"Keep the label under {ConsentCategoryConfiguration.MaxLabel} characters.");
        if (form.FrequencyCap is < 1 or > MaxCap) errors.Add("frequencyCap", $"A cap is 1 to {MaxCap} pushes (leave it empty for none).");
        if (form.Transactional && form.FrequencyCap is not null) errors.Add("frequencyCap", "Transactional pushes are never capped.");
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var category = existingKey is null ? null : await db.Set<ConsentCategory>().FirstAsync(c => c.AppId == appId && c.Key == existingKey, ct);
        if (category is null)
        {
            db.Add(category = new ConsentCategory
            {
                AppId = appId, Key = key!, Label = label!, CreatedAt = now,
                SortOrder = policy.Categories.Count == 0 ? 0 : policy.Categories.Max(c => c.SortOrder) + 1,
            });
        }
        category.Label = label!;
        category.DefaultEnabled = form.DefaultEnabled;
        category.Transactional = form.Transactional;
        category.FrequencyCap = form.FrequencyCap;
        category.UpdatedAt = now;
        audit.Add(db, actor, existingKey is null ? "consent.category.created" : "consent.category.updated", await AppNameAsync(db, appId, ct),
            $"{key}: \"{label}\", default {(form.DefaultEnabled ? "on" : "off")}{(form.Transactional ? ", transactional" : "")}" +
            (form.FrequencyCap is { } cap ? $", cap {cap}" : ""));
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) when (existingKey is null) { throw new BadInputException("key", $"There is already a category \"{key}\"."); }
        catalog.Forget(appId);
    }

    /// <summary>Removes a category; people's choices about it stay (shown as undefined) and campaigns naming it count as uncategorised.</summary>
    public async Task DeleteCategoryAsync(long appId, string key, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var category = await db.Set<ConsentCategory>().FirstOrDefaultAsync(c => c.AppId == appId && c.Key == key, ct)
                       ?? throw new NotFoundException($"There is no category \"{key}\".");
        db.Remove(category);
        audit.Add(db, actor, "consent.category.deleted", await AppNameAsync(db, appId, ct), key);
        await db.SaveChangesAsync(ct);
        catalog.Forget(appId);
    }

    /// <summary>"22:00" → 1320; "7:30" works too.</summary>
    private static int? Minute(FieldErrors errors, string field, string? text)
    {
        if (TimeOnly.TryParseExact(text?.Trim(), ["H:mm", "HH:mm"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time))
            return time.Hour * 60 + time.Minute;
        errors.Add(field, "Give a time of day as HH:mm, e.g. 22:00.");
        return null;
    }

    private static async Task<string> AppNameAsync(AppDbContext db, long appId, CancellationToken ct) =>
        await db.Set<Apps.App>().Where(a => a.Id == appId).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? throw new NotFoundException($"There is no app {appId}.");
}
