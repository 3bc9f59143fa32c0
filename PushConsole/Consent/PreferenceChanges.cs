using System.Text.Json.Serialization;
using PushConsole.Api;
using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>
/// What a preferences change does inside a registry batch: store consent and categories, log the change on each
/// affected installation (<c>permission_changed</c>), record opt-outs. Checks come before the first write.
/// </summary>
internal static class PreferenceChanges
{
    public static async Task<PreferencesAnswer> ForUserAsync(RegistryTx tx, long appId, string userId, ConsentState? consent,
        IReadOnlyDictionary<string, bool>? categories, ConsentPolicy policy, string source, string? by, bool? location = null)
    {
        var userKey = await RegistryStore.EnsureUserAsync(tx, appId, userId);
        var stored = (await tx.QueryAsync("SELECT consent, consent_at FROM app_users WHERE id = @p0",
            r => (Consent: ConsentNames.Parse(r.GetString(0)), At: RegistryTx.ReadTime(r, 1)), userKey))[0];
        var current = await ChosenAsync(tx, "SELECT category, enabled FROM user_categories WHERE app_user_id = @p0", userKey);
        var (said, optOut) = Compare(stored.Consent, consent, current, categories, policy);
        var consentAt = stored.At;
        if (consent is { } c && c != stored.Consent)
        {
            await tx.ExecuteAsync("UPDATE app_users SET consent = @p1, consent_at = @p2, consent_source = @p3, updated_at = @p2 WHERE id = @p0",
                userKey, ConsentNames.Of(c), tx.Now, source);
            consentAt = tx.Now;
        }
        foreach (var (category, enabled) in Changed(current, categories))
        {
            await tx.ExecuteAsync(
                "INSERT INTO user_categories (app_user_id, category, enabled, updated_at) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (app_user_id, category) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
                userKey, category, enabled, tx.Now);
            current[category] = enabled;
        }
        var place = await Geofences.LocationConsents.SetAsync(tx, appId, userKey, null, location, source);
        if (place.Changed) said.Add(place.Granted ? "location consent granted" : "location consent withdrawn");
        if (said.Count > 0)
            foreach (var row in await RegistryStore.OfUserAsync(tx, userKey))
                await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, row.Id, ChangeKind.PermissionChanged, row.Token, row.Token, userId, userId, source,
                    Details: $"preferences of user {userId}: {string.Join(", ", said)}{By(by)}"));
        if (optOut is { } o) await Unsubscribes.RecordAsync(tx, appId, userKey, null, o.Kind, o.Category);
        var state = consent ?? stored.Consent;
        return new PreferencesAnswer(userId, null, ConsentNames.ToBool(state), ConsentNames.Of(state), consentAt, policy.Effective(current), place.Granted);
    }

    public static async Task<PreferencesAnswer> ForInstallationAsync(RegistryTx tx, long appId, string installationId, ConsentState? consent,
        IReadOnlyDictionary<string, bool>? categories, ConsentPolicy policy, string source, string? by, bool? location = null)
    {
        var row = await RegistryStore.FindAsync(tx, appId, installationId)
                  ?? throw new NotFoundException($"There is no installation \"{installationId}\"; register it with PUT /api/v1/installations/{{installationId}} first.");
        var stored = (await tx.QueryAsync("SELECT consent, consent_at FROM installations WHERE id = @p0",
            r => (Consent: ConsentNames.Parse(r.GetString(0)), At: RegistryTx.ReadTime(r, 1)), row.Id))[0];
        var current = await ChosenAsync(tx, "SELECT category, enabled FROM installation_categories WHERE installation_id = @p0", row.Id);
        var (said, optOut) = Compare(stored.Consent, consent, current, categories, policy);
        var consentAt = stored.At;
        if (consent is { } c && c != stored.Consent)
        {
            await tx.ExecuteAsync("UPDATE installations SET consent = @p1, consent_at = @p2, consent_source = @p3 WHERE id = @p0",
                row.Id, ConsentNames.Of(c), tx.Now, source);
            consentAt = tx.Now;
        }
        foreach (var (category, enabled) in Changed(current, categories))
        {
            await tx.ExecuteAsync(
                "INSERT INTO installation_categories (installation_id, category, enabled, updated_at) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (installation_id, category) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
                row.Id, category, enabled, tx.Now);
            current[category] = enabled;
        }
        var place = await Geofences.LocationConsents.SetAsync(tx, appId, null, row.Id, location, source);
        if (place.Changed) said.Add(place.Granted ? "location consent granted" : "location consent withdrawn");
        if (said.Count > 0)
        {
            var note = row.UserId is null ? "" : $" (user {row.UserId} is logged in; their own preferences apply while they are)";
            await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, row.Id, ChangeKind.PermissionChanged, row.Token, row.Token, row.UserId, row.UserId, source,
                Details: $"preferences of this device: {string.Join(", ", said)}{note}{By(by)}"));
        }
        // a logged-in user's own preferences decide what they get, so only an anonymous device's choice is an opt-out
        if (optOut is { } o && row.UserKey is null) await Unsubscribes.RecordAsync(tx, appId, null, row.Id, o.Kind, o.Category);
        var state = consent ?? stored.Consent;
        return new PreferencesAnswer(null, installationId, ConsentNames.ToBool(state), ConsentNames.Of(state), consentAt, policy.Effective(current), place.Granted);
    }

    private static async Task<Dictionary<string, bool>> ChosenAsync(RegistryTx tx, string sql, long key) =>
        (await tx.QueryAsync(sql, r => (r.GetString(0), r.GetBoolean(1)), key)).ToDictionary(c => c.Item1, c => c.Item2, StringComparer.Ordinal);

    private static IEnumerable<KeyValuePair<string, bool>> Changed(Dictionary<string, bool> current, IReadOnlyDictionary<string, bool>? wanted) =>
        (wanted ?? new Dictionary<string, bool>()).Where(w => !current.TryGetValue(w.Key, out var was) || was != w.Value).ToList();

    /// <summary>The sentence parts of a change, and the opt-out it amounts to (withdrawn consent first, else the first category turned off).</summary>
    private static (List<string> Said, (string Kind, string? Category)? OptOut) Compare(ConsentState old, ConsentState? consent,
        IReadOnlyDictionary<string, bool> current, IReadOnlyDictionary<string, bool>? wanted, ConsentPolicy policy)
    {
        var said = new List<string>();
        (string, string?)? optOut = null;
        if (consent is { } c && c != old)
        {
            said.Add(c switch { ConsentState.Granted => "consent granted", ConsentState.Denied => "consent withdrawn", _ => "consent reset to unknown" });
            if (c == ConsentState.Denied) optOut = (UnsubscribeKinds.ConsentWithdrawn, null);
        }
        foreach (var (category, enabled) in wanted ?? new Dictionary<string, bool>())
        {
            if (current.TryGetValue(category, out var was) && was == enabled) continue;
            said.Add($"{category} {(enabled ? "on" : "off")}");
            var wasOn = current.TryGetValue(category, out var chosen) ? chosen : policy.Find(category)?.DefaultEnabled ?? true;
            if (!enabled && wasOn) optOut ??= (UnsubscribeKinds.CategoryOff, category);
        }
        return (said, optOut);
    }

    private static string By(string? by) => by is null ? "" : $" (by {by})";
}

/// <summary>
/// Answer of the preferences endpoints: consent (<c>true</c>/<c>false</c>/<c>null</c> as the client API sends it, and as
/// <c>consentState</c> granted/denied/unknown), every category the app defines with its effective value, and location consent (geofences).
/// </summary>
public sealed record PreferencesAnswer(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InstallationId, bool? Consent, string ConsentState, DateTime? ConsentAt,
    IReadOnlyDictionary<string, bool> Categories, bool Location = false);
