using System.Data.Common;

namespace PushConsole.Devices;

/// <summary>An installation row as the registry reads it (with its user's external id).</summary>
internal sealed class InstallationRow
{
    public long Id { get; init; }
    public long AppId { get; init; }
    public required string ExternalId { get; init; }
    public Platform Platform { get; init; }
    public string? Token { get; init; }
    public ApnsEnvironment? ApnsEnvironment { get; init; }
    public string? WebPushP256dh { get; init; }
    public string? WebPushAuth { get; init; }
    public long? UserKey { get; init; }
    public string? UserId { get; init; }
    public PushState State { get; init; }
    public bool NotificationsEnabled { get; init; }
    public string? Language { get; init; }
    public string? TimeZone { get; init; }
    public string? AppVersion { get; init; }
    public string? OsVersion { get; init; }
    public string? DeviceModel { get; init; }
    public DateTime? TokenRegisteredAt { get; init; }
}

/// <summary>A changelog entry about to be written.</summary>
internal sealed record ChangeDraft(
    long AppId, long InstallationId, ChangeKind Kind, string? OldToken, string? NewToken, string? OldUser, string? NewUser,
    string Source, string? ProviderReason = null, string? RawAnswer = null, string? Details = null);

/// <summary>The registry's SQL (snake_case names, the same on SQLite and PostgreSQL).</summary>
internal static class RegistryStore
{
    private const string Columns =
        "i.id, i.app_id, i.external_id, i.platform, i.token, i.apns_environment, i.web_push_p256dh, i.web_push_auth, i.app_user_id, u.external_id, " +
        "i.state, i.notifications_enabled, i.language, i.time_zone, i.app_version, i.os_version, i.device_model, i.token_registered_at";
    private const string From = " FROM installations i LEFT JOIN app_users u ON u.id = i.app_user_id";

    private static string? Stored(ApnsEnvironment? environment) => environment is { } e ? PlatformNames.Of(e) : null;

    private static string Lock(RegistryTx tx) => tx.Dialect.ForUpdateOf("i");

    public static Task<InstallationRow?> FindAsync(RegistryTx tx, long appId, string externalId) =>
        tx.QuerySingleAsync($"SELECT {Columns}{From} WHERE i.external_id = @p0 AND i.app_id = @p1{Lock(tx)}", Read, externalId, appId);

    public static Task<InstallationRow?> FindByKeyAsync(RegistryTx tx, long id) =>
        tx.QuerySingleAsync($"SELECT {Columns}{From} WHERE i.id = @p0{Lock(tx)}", Read, id);

    public static Task<InstallationRow?> FindByTokenAsync(RegistryTx tx, long appId, string token) =>
        tx.QuerySingleAsync($"SELECT {Columns}{From} WHERE i.token = @p0 AND i.app_id = @p1{Lock(tx)}", Read, token, appId);

    public static Task<List<InstallationRow>> OfUserAsync(RegistryTx tx, long userKey) =>
        tx.QueryAsync($"SELECT {Columns}{From} WHERE i.app_user_id = @p0 ORDER BY i.id{Lock(tx)}", Read, userKey);

    private static InstallationRow Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        AppId = r.GetInt64(1),
        ExternalId = r.GetString(2),
        Platform = PlatformNames.StoredPlatform(r.GetString(3)),
        Token = RegistryTx.ReadString(r, 4),
        ApnsEnvironment = RegistryTx.ReadString(r, 5) is { } environment ? PlatformNames.StoredApnsEnvironment(environment) : null,
        WebPushP256dh = RegistryTx.ReadString(r, 6),
        WebPushAuth = RegistryTx.ReadString(r, 7),
        UserKey = RegistryTx.ReadLong(r, 8),
        UserId = RegistryTx.ReadString(r, 9),
        State = DeviceNames.ParseState(r.GetString(10)),
        NotificationsEnabled = r.GetBoolean(11),
        Language = RegistryTx.ReadString(r, 12),
        TimeZone = RegistryTx.ReadString(r, 13),
        AppVersion = RegistryTx.ReadString(r, 14),
        OsVersion = RegistryTx.ReadString(r, 15),
        DeviceModel = RegistryTx.ReadString(r, 16),
        TokenRegisteredAt = RegistryTx.ReadTime(r, 17),
    };

    /// <summary>The user's row id, creating the user on first sight (concurrent creators meet on the unique index).</summary>
    public static async Task<long> EnsureUserAsync(RegistryTx tx, long appId, string userId)
    {
        const string select = "SELECT id FROM app_users WHERE external_id = @p0 AND app_id = @p1";
        if (await tx.ScalarAsync(select, userId, appId) is { } found) return Convert.ToInt64(found);
        var inserted = await tx.ScalarAsync(
            "INSERT INTO app_users (app_id, external_id, created_at, updated_at) VALUES (@p0, @p1, @p2, @p2) " +
            "ON CONFLICT (external_id, app_id) DO NOTHING RETURNING id", appId, userId, tx.Now);
        return Convert.ToInt64(inserted ?? await tx.ScalarAsync(select, userId, appId));
    }

    public static Task<object?> FindUserAsync(RegistryTx tx, long appId, string userId) =>
        tx.ScalarAsync("SELECT id FROM app_users WHERE external_id = @p0 AND app_id = @p1", userId, appId);

    public static async Task<long> InsertAsync(RegistryTx tx, long appId, ValidRegistration r, long? userKey, PushState state, bool enabled) =>
        Convert.ToInt64(await tx.ScalarAsync(
            "INSERT INTO installations (app_id, external_id, platform, token, apns_environment, web_push_p256dh, web_push_auth, app_user_id, state, " +
            "notifications_enabled, language, time_zone, app_version, os_version, device_model, created_at, updated_at, last_seen_at, token_registered_at) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p15, @p15, @p15) RETURNING id",
            appId, r.InstallationId, PlatformNames.Of(r.Platform), r.Token, Stored(r.ApnsEnvironment), r.WebPushP256dh, r.WebPushAuth, userKey,
            DeviceNames.Of(state), enabled, r.Language, r.TimeZone, r.AppVersion, r.OsVersion, r.DeviceModel, tx.Now));

    /// <summary>Writes every mutable column of <paramref name="row"/> (the caller built it from the old row and the change).</summary>
    public static Task UpdateAsync(RegistryTx tx, InstallationRow row, bool changed, bool tokenSent) =>
        tx.ExecuteAsync(
            "UPDATE installations SET platform = @p1, token = @p2, apns_environment = @p3, web_push_p256dh = @p4, web_push_auth = @p5, " +
            "app_user_id = @p6, state = @p7, notifications_enabled = @p8, language = @p9, time_zone = @p10, app_version = @p11, " +
            "os_version = @p12, device_model = @p13, last_seen_at = @p14, token_registered_at = @p15" +
            (changed ? ", updated_at = @p14" : "") + " WHERE id = @p0",
            row.Id, PlatformNames.Of(row.Platform), row.Token, Stored(row.ApnsEnvironment), row.WebPushP256dh, row.WebPushAuth, row.UserKey,
            DeviceNames.Of(row.State), row.NotificationsEnabled, row.Language, row.TimeZone, row.AppVersion, row.OsVersion, row.DeviceModel,
            tx.Now, tokenSent ? tx.Now : row.TokenRegisteredAt);

    public static Task SetUserAsync(RegistryTx tx, long installationKey, long? userKey) =>
        tx.ExecuteAsync("UPDATE installations SET app_user_id = @p1, updated_at = @p2, last_seen_at = @p2 WHERE id = @p0", installationKey, userKey, tx.Now);

    public static Task SetStateAsync(RegistryTx tx, long installationKey, PushState state) =>
        tx.ExecuteAsync("UPDATE installations SET state = @p1, updated_at = @p2 WHERE id = @p0", installationKey, DeviceNames.Of(state), tx.Now);

    /// <summary>Another installation registered this one's token: it keeps its history but can no longer be reached.</summary>
    public static Task DropTokenAsync(RegistryTx tx, InstallationRow row, PushState state) =>
        tx.ExecuteAsync("UPDATE installations SET token = NULL, state = @p1, updated_at = @p2 WHERE id = @p0", row.Id, DeviceNames.Of(state), tx.Now);

    public static async Task ReplaceTagsAsync(RegistryTx tx, long appId, long installationKey, IReadOnlyList<string> tags, bool isNew)
    {
        var current = isNew ? [] : await tx.QueryAsync("SELECT tag FROM installation_tags WHERE installation_id = @p0", r => r.GetString(0), installationKey);
        foreach (var gone in current.Except(tags, StringComparer.Ordinal))
            await tx.ExecuteAsync("DELETE FROM installation_tags WHERE installation_id = @p0 AND tag = @p1", installationKey, gone);
        foreach (var added in tags.Except(current, StringComparer.Ordinal))
            await tx.ExecuteAsync("INSERT INTO installation_tags (installation_id, app_id, tag) VALUES (@p0, @p1, @p2)", installationKey, appId, added);
    }

    public static Task AppendAsync(RegistryTx tx, ChangeDraft c) =>
        tx.ExecuteAsync(
            "INSERT INTO token_changes (app_id, installation_id, at, kind, old_token, new_token, old_user, new_user, source, provider_reason, raw_answer, details) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)",
            c.AppId, c.InstallationId, tx.Now, DeviceNames.Of(c.Kind), c.OldToken, c.NewToken, c.OldUser, c.NewUser, c.Source,
            Clip(c.ProviderReason, 200), Clip(c.RawAnswer, TokenChangeConfiguration.MaxRawAnswer), Clip(c.Details, TokenChangeConfiguration.MaxDetails));

    public static string? Clip(string? value, int max) => value is null || value.Length <= max ? value : value[..(max - 1)] + "…";
}
