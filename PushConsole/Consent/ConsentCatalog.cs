using System.Collections.Concurrent;
using Dapper;
using PushConsole.Api;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>A category as the launch, the APIs and the pages read it.</summary>
public sealed record CategoryDefinition(string Key, string Label, bool DefaultEnabled, bool Transactional, int? FrequencyCap, int SortOrder);

/// <summary>An app's consent rules and categories, read together.</summary>
public sealed record ConsentPolicy(
    long AppId, bool RequireExplicitConsent, bool QuietHoursEnabled, int QuietStartMinute, int QuietEndMinute, int? FrequencyCap, int CapWindowHours,
    IReadOnlyList<CategoryDefinition> Categories)
{
    public CategoryDefinition? Find(string? key) => key is null ? null : Categories.FirstOrDefault(c => c.Key == key);

    /// <summary>Each defined category: the person's own choice, else its default.</summary>
    public IReadOnlyDictionary<string, bool> Effective(IReadOnlyDictionary<string, bool> chosen) =>
        Categories.ToDictionary(c => c.Key, c => chosen.TryGetValue(c.Key, out var on) ? on : c.DefaultEnabled, StringComparer.Ordinal);
}

/// <summary>
/// Reads each app's consent settings and categories. An app gets the event categories the first time anything asks
/// (reminders, program changes, safety, networking, surveys, gamification, marketing); the console edits them from then on.
/// Short cache for the APIs; launches read fresh.
/// </summary>
public sealed class ConsentCatalog(Database database, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<long, (ConsentPolicy Policy, DateTimeOffset At)> _cache = new();

    /// <summary>The categories a new app starts with; program changes and safety alerts are transactional.</summary>
    public static readonly IReadOnlyList<CategoryDefinition> Defaults =
    [
        new("program_changes", "Program changes", true, true, null, 0),
        new("safety", "Safety alerts", true, true, null, 1),
        new("reminders", "Session reminders", true, false, null, 2),
        new("networking", "Networking", true, false, null, 3),
        new("surveys", "Surveys", true, false, null, 4),
        new("gamification", "Gamification", true, false, null, 5),
        new("marketing", "Partner offers", false, false, null, 6),
    ];

    public async Task<ConsentPolicy> GetAsync(long appId, CancellationToken ct = default)
    {
        if (_cache.TryGetValue(appId, out var hit) && clock.GetUtcNow() - hit.At < CacheFor) return hit.Policy;
        return await GetFreshAsync(appId, ct);
    }

    public async Task<ConsentPolicy> GetFreshAsync(long appId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var settings = await ReadSettingsAsync(connection, appId, ct);
        if (settings is null)
        {
            await EnsureAsync(connection, appId, ct);
            settings = await ReadSettingsAsync(connection, appId, ct) ?? throw new NotFoundException($"There is no app {appId}.");
        }
        var categories = (await connection.QueryAsync<CategoryRow>(new CommandDefinition(
            "SELECT key AS Key, label AS Label, default_enabled AS DefaultEnabled, transactional AS Transactional, frequency_cap AS FrequencyCap, " +
            "sort_order AS SortOrder FROM consent_categories WHERE app_id = @appId ORDER BY sort_order, key", new { appId }, cancellationToken: ct)))
            .Select(c => new CategoryDefinition(c.Key, c.Label, c.DefaultEnabled, c.Transactional, c.FrequencyCap is null ? null : (int)c.FrequencyCap, (int)c.SortOrder))
            .ToList();
        var policy = new ConsentPolicy(appId, settings.RequireExplicitConsent, settings.QuietHoursEnabled, (int)settings.QuietStartMinute,
            (int)settings.QuietEndMinute, settings.FrequencyCap is null ? null : (int)settings.FrequencyCap, (int)settings.CapWindowHours, categories);
        _cache[appId] = (policy, clock.GetUtcNow());
        return policy;
    }

    public void Forget(long appId) => _cache.TryRemove(appId, out _);

    /// <summary>
    /// Checks category keys a person or a campaign names: each must be defined for the app. Unknown keys are refused
    /// (400 naming <c>{field}.{key}</c>), so a typo in an app never silently opts someone out of nothing.
    /// </summary>
    public static void CheckDefined(FieldErrors errors, string field, IEnumerable<string> keys, ConsentPolicy policy)
    {
        foreach (var key in keys)
            if (Preferences.IsKey(key) && policy.Find(key) is null)
                errors.Add($"{field}.{DeviceValidation.Clip(key)}",
                    $"There is no category \"{DeviceValidation.Clip(key)}\" in this app; the categories are: {string.Join(", ", policy.Categories.Select(c => c.Key))}.");
    }

    private static Task<SettingsRow?> ReadSettingsAsync(System.Data.Common.DbConnection connection, long appId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(
            "SELECT require_explicit_consent AS RequireExplicitConsent, quiet_hours_enabled AS QuietHoursEnabled, quiet_start_minute AS QuietStartMinute, " +
            "quiet_end_minute AS QuietEndMinute, frequency_cap AS FrequencyCap, cap_window_hours AS CapWindowHours FROM consent_settings WHERE app_id = @appId",
            new { appId }, cancellationToken: ct));

    /// <summary>The app's first settings row and default categories, once (concurrent callers meet on the primary key).</summary>
    private async Task EnsureAsync(System.Data.Common.DbConnection connection, long appId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var d = ConsentSettings.DefaultsFor(appId, now);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var created = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO consent_settings (app_id, require_explicit_consent, quiet_hours_enabled, quiet_start_minute, quiet_end_minute, frequency_cap, cap_window_hours, updated_at) " +
            "SELECT @AppId, @RequireExplicitConsent, @QuietHoursEnabled, @QuietStartMinute, @QuietEndMinute, @FrequencyCap, @CapWindowHours, @UpdatedAt " +
            "WHERE EXISTS (SELECT 1 FROM apps WHERE id = @AppId) ON CONFLICT (app_id) DO NOTHING", d, transaction, cancellationToken: ct));
        if (created == 1)
            foreach (var c in Defaults)
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO consent_categories (app_id, key, label, default_enabled, transactional, frequency_cap, sort_order, created_at, updated_at) " +
                    "VALUES (@appId, @Key, @Label, @DefaultEnabled, @Transactional, @FrequencyCap, @SortOrder, @now, @now) ON CONFLICT (app_id, key) DO NOTHING",
                    new { appId, c.Key, c.Label, c.DefaultEnabled, c.Transactional, c.FrequencyCap, c.SortOrder, now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    // integers come back as Int64 from SQLite, Int32 from PostgreSQL: read them as long
    private sealed class SettingsRow
    {
        public bool RequireExplicitConsent { get; init; }
        public bool QuietHoursEnabled { get; init; }
        public long QuietStartMinute { get; init; }
        public long QuietEndMinute { get; init; }
        public long? FrequencyCap { get; init; }
        public long CapWindowHours { get; init; }
    }

    private sealed class CategoryRow
    {
        public string Key { get; init; } = "";
        public string Label { get; init; } = "";
        public bool DefaultEnabled { get; init; }
        public bool Transactional { get; init; }
        public long? FrequencyCap { get; init; }
        public long SortOrder { get; init; }
    }
}
