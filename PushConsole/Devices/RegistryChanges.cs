using System.Security.Cryptography;
using PushConsole.Api;

namespace PushConsole.Devices;

/// <summary>
/// What each registry operation does inside a batch transaction. Every check that can refuse comes before
/// the first write (the writer relies on it: a refused item leaves nothing behind).
/// </summary>
internal static class RegistryChanges
{
    public static async Task<InstallationAnswer> RegisterAsync(RegistryTx tx, long appId, ValidRegistration r, string source, IEnumerable<IPushPermissionSink> permissionSinks)
    {
        var row = await RegistryStore.FindAsync(tx, appId, r.InstallationId);
        var (userKey, userId) = (row?.UserKey, row?.UserId);
        if (r.UserIdGiven && r.UserId != row?.UserId)
            (userKey, userId) = r.UserId is null ? ((long?)null, (string?)null) : (await RegistryStore.EnsureUserAsync(tx, appId, r.UserId), r.UserId);

        string? tookFrom = null;
        if (row?.Token != r.Token && await RegistryStore.FindByTokenAsync(tx, appId, r.Token) is { } holder && holder.Id != row?.Id)
        {
            await TakeTokenAsync(tx, holder, r.InstallationId, source);
            tookFrom = holder.ExternalId;
        }

        var enabled = r.NotificationsEnabled ?? row?.NotificationsEnabled ?? true;
        var state = StateFor(r.Platform, enabled);
        var took = tookFrom is null ? "" : $"; took the token from installation {tookFrom}";
        if (row is null)
        {
            var key = await RegistryStore.InsertAsync(tx, appId, r, userKey, state, enabled);
            if (r.Tags is { Count: > 0 }) await RegistryStore.ReplaceTagsAsync(tx, appId, key, r.Tags, isNew: true);
            await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, key, ChangeKind.Registered, null, r.Token, null, userId, source,
                Details: $"{PlatformNames.Describe(r.Platform)}, {DeviceNames.Of(state)}{took}"));
            return new InstallationAnswer(r.InstallationId, DeviceNames.Of(state), userId);
        }

        var revived = row.State is PushState.Invalid or PushState.Uninstalled;
        var tokenChanged = row.Token != r.Token || row.Platform != r.Platform;
        var updated = new InstallationRow
        {
            Id = row.Id, AppId = appId, ExternalId = row.ExternalId, Platform = r.Platform, Token = r.Token,
            ApnsEnvironment = r.Platform == Platform.Ios ? r.ApnsEnvironment : null,
            WebPushP256dh = r.WebPushP256dh, WebPushAuth = r.WebPushAuth, UserKey = userKey, UserId = userId,
            State = state, NotificationsEnabled = enabled,
            Language = r.Language ?? row.Language, TimeZone = r.TimeZone ?? row.TimeZone, AppVersion = r.AppVersion ?? row.AppVersion,
            OsVersion = r.OsVersion ?? row.OsVersion, DeviceModel = r.DeviceModel ?? row.DeviceModel, TokenRegisteredAt = row.TokenRegisteredAt,
        };
        var changed = revived || tokenChanged || userKey != row.UserKey || state != row.State || enabled != row.NotificationsEnabled
                      || updated.ApnsEnvironment != row.ApnsEnvironment || updated.WebPushP256dh != row.WebPushP256dh || updated.WebPushAuth != row.WebPushAuth
                      || updated.Language != row.Language || updated.TimeZone != row.TimeZone || updated.AppVersion != row.AppVersion
                      || updated.OsVersion != row.OsVersion || updated.DeviceModel != row.DeviceModel;
        await RegistryStore.UpdateAsync(tx, updated, changed, tokenSent: true);
        if (r.Tags is not null) await RegistryStore.ReplaceTagsAsync(tx, appId, row.Id, r.Tags, isNew: false);

        if (revived)
            await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, row.Id, ChangeKind.Registered, row.Token, r.Token, row.UserId, row.UserId, source,
                Details: $"registered again after being {DeviceNames.Of(row.State)}; {PlatformNames.Describe(r.Platform)}, {DeviceNames.Of(state)}{took}"));
        else if (tokenChanged)
            await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, row.Id, ChangeKind.TokenRefreshed, row.Token, r.Token, row.UserId, row.UserId, source,
                Details: tookFrom is null ? null : took[2..]));
        if (userKey != row.UserKey)
            await AppendUserChangeAsync(tx, appId, row.Id, r.Token, row.UserId, userId, source);
        if (!revived && state != row.State)
            await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, row.Id, ChangeKind.PermissionChanged, r.Token, r.Token, userId, userId, source,
                Details: enabled ? "notifications turned on on the device" : $"notifications turned off on the device ({DeviceNames.Of(state)})"));
        if (!revived && row.NotificationsEnabled && !enabled)
            foreach (var sink in permissionSinks) await sink.TurnedOffAsync(tx, appId, userKey, row.Id);
        return new InstallationAnswer(r.InstallationId, DeviceNames.Of(state), userId);
    }

    public static async Task<InstallationAnswer> SetUserAsync(RegistryTx tx, long appId, string installationId, string? userId, string source)
    {
        var row = await RegistryStore.FindAsync(tx, appId, installationId)
                  ?? throw new NotFoundException($"There is no installation \"{installationId}\"; register it with PUT /api/v1/installations/{{installationId}} first.");
        if (row.UserId == userId) return new InstallationAnswer(installationId, DeviceNames.Of(row.State), userId);
        long? userKey = userId is null ? null : await RegistryStore.EnsureUserAsync(tx, appId, userId);
        await RegistryStore.SetUserAsync(tx, row.Id, userKey);
        await AppendUserChangeAsync(tx, appId, row.Id, row.Token, row.UserId, userId, source);
        return new InstallationAnswer(installationId, DeviceNames.Of(row.State), userId);
    }

    public static async Task<bool> UnregisterAsync(RegistryTx tx, long appId, string installationId, string source)
    {
        var row = await RegistryStore.FindAsync(tx, appId, installationId)
                  ?? throw new NotFoundException($"There is no installation \"{installationId}\".");
        if (row.State == PushState.Uninstalled) return false;
        await RegistryStore.SetStateAsync(tx, row.Id, PushState.Uninstalled);
        await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, row.Id, ChangeKind.Unregistered, row.Token, row.Token, row.UserId, row.UserId, source,
            Details: $"was {DeviceNames.Of(row.State)}"));
        return true;
    }

    public static async Task<IReadOnlyList<InvalidationOutcome>> InvalidateAsync(RegistryTx tx, IReadOnlyList<Invalidation> invalidations)
    {
        var outcomes = new InvalidationOutcome[invalidations.Count];
        for (var n = 0; n < invalidations.Count; n++)
        {
            var i = invalidations[n];
            var at = i.At.Kind == DateTimeKind.Utc ? i.At : i.At.ToUniversalTime();
            var row = await RegistryStore.FindByKeyAsync(tx, i.InstallationId);
            outcomes[n] = row switch
            {
                null => InvalidationOutcome.NotFound,
                { State: PushState.Invalid or PushState.Uninstalled } => InvalidationOutcome.AlreadyUnreachable,
                _ when i.Token is not null && i.Token != row.Token => InvalidationOutcome.IgnoredTokenChanged,
                { TokenRegisteredAt: { } registered } when at < registered => InvalidationOutcome.IgnoredOlderThanRegistration,
                _ => InvalidationOutcome.Invalidated,
            };
            if (outcomes[n] != InvalidationOutcome.Invalidated) continue;
            await RegistryStore.SetStateAsync(tx, row!.Id, PushState.Invalid);
            await RegistryStore.AppendAsync(tx, new ChangeDraft(row.AppId, row.Id, ChangeKind.Invalidated, row.Token, row.Token, row.UserId, row.UserId,
                i.Provider, i.ProviderReason, i.RawAnswer, $"was {DeviceNames.Of(row.State)}; provider time {at:yyyy-MM-dd HH:mm:ss} UTC"));
        }
        return outcomes;
    }

    /// <summary>
    /// Erasure of a user's devices: each current installation loses its id (replaced by a random one), token, subscription
    /// keys, device details, tags, preferences and user, becomes uninstalled and gets an <c>erased</c> entry; its changelog
    /// keeps only kinds, times and sources. Devices that were the user's once keep their history with the user's id scrubbed.
    /// </summary>
    public static async Task<int> EraseInstallationsAsync(RegistryTx tx, long appId, long userKey, string userId, string source)
    {
        var current = await RegistryStore.OfUserAsync(tx, userKey);
        // every device ever attached to the user has an entry with new_user = them (indexed)
        var touched = await tx.QueryAsync("SELECT DISTINCT installation_id FROM token_changes WHERE new_user = @p0 AND app_id = @p1",
            r => r.GetInt64(0), userId, appId);
        foreach (var installation in touched)
            await tx.ExecuteAsync(
                "UPDATE token_changes SET details = NULL, old_user = CASE WHEN old_user = @p1 THEN @p2 ELSE old_user END, " +
                "new_user = CASE WHEN new_user = @p1 THEN @p2 ELSE new_user END WHERE installation_id = @p0 AND (old_user = @p1 OR new_user = @p1)",
                installation, userId, ChangeSentences.ErasedUser);
        foreach (var row in current)
        {
            await tx.ExecuteAsync(
                "UPDATE installations SET external_id = @p1, token = NULL, apns_environment = NULL, web_push_p256dh = NULL, web_push_auth = NULL, " +
                "app_user_id = NULL, state = @p2, language = NULL, time_zone = NULL, app_version = NULL, os_version = NULL, device_model = NULL, " +
                "token_registered_at = NULL, consent = @p3, consent_at = NULL, consent_source = NULL, updated_at = @p4 WHERE id = @p0",
                row.Id, AnonymousId(), DeviceNames.Of(PushState.Uninstalled), ConsentNames.Unknown, tx.Now);
            await tx.ExecuteAsync(
                "UPDATE token_changes SET old_token = NULL, new_token = NULL, raw_answer = NULL, details = NULL, " +
                "old_user = CASE WHEN old_user = @p1 THEN @p2 ELSE old_user END, new_user = CASE WHEN new_user = @p1 THEN @p2 ELSE new_user END " +
                "WHERE installation_id = @p0", row.Id, userId, ChangeSentences.ErasedUser);
            await tx.ExecuteAsync("DELETE FROM installation_tags WHERE installation_id = @p0", row.Id);
            await tx.ExecuteAsync("DELETE FROM installation_categories WHERE installation_id = @p0", row.Id);
            await RegistryStore.AppendAsync(tx, new ChangeDraft(appId, row.Id, ChangeKind.Erased, null, null, ChangeSentences.ErasedUser, null, source,
                Details: "the user's data was erased on request: id, token, device details, tags and preferences removed"));
        }
        return current.Count;
    }

    /// <summary>Deletes the user row (attributes, tags and categories go with it); the last step of an erasure.</summary>
    public static async Task<bool> DeleteUserAsync(RegistryTx tx, long userKey)
    {
        await tx.ExecuteAsync("UPDATE installations SET app_user_id = NULL WHERE app_user_id = @p0", userKey);
        foreach (var table in new[] { "user_attributes", "user_tags", "user_categories" })
            await tx.ExecuteAsync($"DELETE FROM {table} WHERE app_user_id = @p0", userKey);
        return await tx.ExecuteAsync("DELETE FROM app_users WHERE id = @p0", userKey) > 0;
    }

    /// <summary>Stands in for an erased installation's id, so the row (and its <c>erased</c> entry) no longer points at the device.</summary>
    private static string AnonymousId() => $"erased-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    private static async Task TakeTokenAsync(RegistryTx tx, InstallationRow holder, string byInstallation, string source)
    {
        var state = holder.State == PushState.Uninstalled ? PushState.Uninstalled : PushState.Invalid;
        await RegistryStore.DropTokenAsync(tx, holder, state);
        await RegistryStore.AppendAsync(tx, new ChangeDraft(holder.AppId, holder.Id, ChangeKind.TokenTakenByOtherInstallation, holder.Token, null,
            holder.UserId, holder.UserId, source, Details: $"installation {byInstallation} registered the same token; this one is now {DeviceNames.Of(state)}"));
    }

    private static Task AppendUserChangeAsync(RegistryTx tx, long appId, long installationKey, string? token, string? oldUser, string? newUser, string source)
    {
        var kind = (oldUser, newUser) switch
        {
            (null, _) => ChangeKind.UserAssigned,
            (_, null) => ChangeKind.LoggedOut,
            _ => ChangeKind.UserChanged,
        };
        return RegistryStore.AppendAsync(tx, new ChangeDraft(appId, installationKey, kind, token, token, oldUser, newUser, source));
    }

    /// <summary>Web Push has no silent pushes: without permission a browser is unsubscribed; a phone still takes data pushes.</summary>
    public static PushState StateFor(Platform platform, bool enabled) =>
        enabled ? PushState.Subscribed : platform == Platform.Web ? PushState.Unsubscribed : PushState.BackgroundOnly;
}
