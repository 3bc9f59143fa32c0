using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using Microsoft.EntityFrameworkCore;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>
/// Consent and category choices of a user (<c>PUT /api/v1/users/{userId}/preferences</c>) or of an anonymous
/// installation (<c>PUT /api/v1/installations/{installationId}/preferences</c>), and the console's edits of them.
/// Everything is validated first (categories must be defined for the app); the change, its changelog entries
/// and the opt-out it may be run in one registry transaction.
/// </summary>
public sealed class PreferenceService(RegistryWriter writer, ConsentCatalog catalog, IDbContextFactory<AppDbContext> contexts, AuditLog audit)
{
    public async Task<PreferencesAnswer> SetForUserAsync(long appId, string? userId, PreferencesRequest? body, string source = ChangeSources.ClientApi)
    {
        var errors = new FieldErrors();
        var user = DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        var (consent, categories) = await ValidateAsync(errors, appId, body);
        var policy = await catalog.GetAsync(appId);
        return await writer.RunAsync(null, async tx =>
        {
            var answer = await PreferenceChanges.ForUserAsync(tx, appId, user!, consent, categories, policy, source, null, body!.Location);
            if (body?.Leaderboard is { } shown) await Game.PointsLedger.SetLeaderboardAsync(tx, appId, await RegistryStore.EnsureUserAsync(tx, appId, user!), shown);
            return answer;
        });
    }

    public async Task<PreferencesAnswer> SetForInstallationAsync(long appId, string? installationId, PreferencesRequest? body, string source = ChangeSources.ClientApi)
    {
        var errors = new FieldErrors();
        var id = DeviceValidation.ExternalId(errors, "installationId", installationId, InstallationConfiguration.MaxExternalId);
        var (consent, categories) = await ValidateAsync(errors, appId, body);
        var policy = await catalog.GetAsync(appId);
        return await writer.RunAsync($"{appId}/{id}", tx => PreferenceChanges.ForInstallationAsync(tx, appId, id!, consent, categories, policy, source, null, body!.Location));
    }

    /// <summary>The lookup page's edit (admin, organizer): any consent state, including back to unknown; audited and logged with who did it.</summary>
    public async Task<PreferencesAnswer> SetFromConsoleAsync(long appId, string userId, ConsentState consent, IReadOnlyDictionary<string, bool> categories,
        Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var policy = await catalog.GetFreshAsync(appId, ct);
        ConsentCatalog.CheckDefined(errors, "categories", categories.Keys, policy);
        errors.ThrowIfAny();
        var answer = await writer.RunAsync(null, tx => PreferenceChanges.ForUserAsync(tx, appId, userId, consent, categories, policy, ChangeSources.Console, actor.Name));
        await using var db = await contexts.CreateDbContextAsync(ct);
        audit.Add(db, actor, "preferences.changed", $"user {userId}",
            $"consent {answer.ConsentState}; {string.Join(", ", answer.Categories.Select(c => $"{c.Key} {(c.Value ? "on" : "off")}"))}");
        await db.SaveChangesAsync(ct);
        return answer;
    }

    /// <summary>A user's effective preferences as the console shows them (defaults for categories they never chose).</summary>
    public async Task<UserPreferencesView> ForUserAsync(long appId, long userKey, CancellationToken ct = default)
    {
        var policy = await catalog.GetAsync(appId, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Set<AppUser>().AsNoTracking().Include(u => u.Categories).FirstAsync(u => u.Id == userKey, ct);
        var chosen = user.Categories.ToDictionary(c => c.Category, c => c.Enabled, StringComparer.Ordinal);
        return new UserPreferencesView(user.ExternalId, user.Consent, user.ConsentAt, user.ConsentSource, policy,
            policy.Categories.Select(c => new CategoryChoice(c, chosen.TryGetValue(c.Key, out var on) ? on : c.DefaultEnabled, chosen.ContainsKey(c.Key))).ToList(),
            chosen.Keys.Where(k => policy.Find(k) is null).Order().ToList());
    }

    /// <summary>An anonymous installation's own consent and categories (used while no user is logged in on it).</summary>
    public async Task<UserPreferencesView> ForInstallationAsync(long appId, long installationKey, CancellationToken ct = default)
    {
        var policy = await catalog.GetAsync(appId, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var installation = await db.Set<Installation>().AsNoTracking().FirstAsync(i => i.Id == installationKey, ct);
        var chosen = await db.Set<InstallationCategory>().Where(c => c.InstallationId == installationKey).ToDictionaryAsync(c => c.Category, c => c.Enabled, ct);
        return new UserPreferencesView(installation.ExternalId, installation.Consent, installation.ConsentAt, installation.ConsentSource, policy,
            policy.Categories.Select(c => new CategoryChoice(c, chosen.TryGetValue(c.Key, out var on) ? on : c.DefaultEnabled, chosen.ContainsKey(c.Key))).ToList(),
            chosen.Keys.Where(k => policy.Find(k) is null).Order().ToList());
    }

    private async Task<(ConsentState? Consent, IReadOnlyDictionary<string, bool>? Categories)> ValidateAsync(FieldErrors errors, long appId, PreferencesRequest? body)
    {
        if (body is null) errors.Add("body", "Send a JSON object with consent, categories and/or location.");
        var categories = Preferences.Categories(errors, body?.Categories);
        if (categories is not null) ConsentCatalog.CheckDefined(errors, "categories", categories.Keys, await catalog.GetAsync(appId));
        errors.ThrowIfAny();
        return (body!.Consent is { } c ? ConsentNames.FromBool(c) : null, categories);
    }
}

/// <summary>One category on the lookup page: its definition, the effective value, and whether the person chose it.</summary>
public sealed record CategoryChoice(CategoryDefinition Category, bool Enabled, bool Chosen);

public sealed record UserPreferencesView(string Id, ConsentState Consent, DateTime? ConsentAt, string? ConsentSource, ConsentPolicy Policy,
    IReadOnlyList<CategoryChoice> Categories, IReadOnlyList<string> UndefinedChoices);
