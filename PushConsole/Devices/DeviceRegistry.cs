using PushConsole.Api;

namespace PushConsole.Devices;

/// <summary>A provider said a token is dead (FCM UNREGISTERED, APNs 410, Web Push 404/410).</summary>
/// <param name="InstallationId">The installation's row id (what deliveries reference).</param>
/// <param name="Provider"><see cref="ChangeSources.Fcm"/>, <see cref="ChangeSources.Apns"/> or <see cref="ChangeSources.WebPush"/>.</param>
/// <param name="At">When the provider says the token stopped being valid (APNs's 410 <c>timestamp</c>), else when it answered.</param>
/// <param name="Token">The token the push went to; when the installation has another one by now, the answer is about an old token and is ignored.</param>
public sealed record Invalidation(long InstallationId, string Provider, string ProviderReason, string? RawAnswer, DateTime At, string? Token = null);

public enum InvalidationOutcome
{
    /// <summary>State is now invalid; the changelog says why.</summary>
    Invalidated,
    /// <summary>The app registered its token after the provider's timestamp: the token is fresher than the answer.</summary>
    IgnoredOlderThanRegistration,
    /// <summary>The installation has another token now (refreshed, or taken by another installation).</summary>
    IgnoredTokenChanged,
    /// <summary>Already invalid or uninstalled: nothing to change.</summary>
    AlreadyUnreachable,
    NotFound,
}

/// <summary>
/// A feature told, inside the registry transaction, that notifications were turned off on a device (the opt-out log: Consent).
/// </summary>
public interface IPushPermissionSink
{
    Task TurnedOffAsync(RegistryTx tx, long appId, long? userKey, long installationKey);
}

/// <summary>
/// The only code that changes an installation's token, user or push state. Every change appends its
/// <see cref="TokenChange"/> in the same transaction (through <see cref="RegistryWriter"/>'s group commit).
/// Input is validated before anything is queued: bad input stores nothing.
/// </summary>
public sealed class DeviceRegistry(RegistryWriter writer, ILogger<DeviceRegistry> logger, IWebPushEndpointCheck endpoints, IEnumerable<IPushPermissionSink> permissionSinks)
{
    /// <summary><c>PUT /api/v1/installations/{id}</c>: register or refresh; idempotent.</summary>
    public Task<InstallationAnswer> RegisterAsync(long appId, string? installationId, InstallationRequest? body, string source = ChangeSources.ClientApi)
    {
        var r = DeviceValidation.Registration(installationId, body, endpoints);
        return writer.RunAsync(Key(appId, r.InstallationId), tx => RegistryChanges.RegisterAsync(tx, appId, r, source, permissionSinks));
    }

    /// <summary><c>PUT /api/v1/installations/{id}/user</c>: login (the device and its token move to that user) or logout (null).</summary>
    public Task<InstallationAnswer> SetUserAsync(long appId, string? installationId, string? userId, string source = ChangeSources.ClientApi)
    {
        var errors = new FieldErrors();
        var id = DeviceValidation.ExternalId(errors, "installationId", installationId, InstallationConfiguration.MaxExternalId);
        var user = userId is null ? null : DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        errors.ThrowIfAny();
        return writer.RunAsync(Key(appId, id!), tx => RegistryChanges.SetUserAsync(tx, appId, id!, user, source));
    }

    /// <summary><c>DELETE /api/v1/installations/{id}</c>: the app unregistered (or was removed); state becomes uninstalled.</summary>
    public Task UnregisterAsync(long appId, string? installationId, string source = ChangeSources.ClientApi)
    {
        var id = DeviceValidation.ExternalId("installationId", installationId, InstallationConfiguration.MaxExternalId);
        return writer.RunAsync(Key(appId, id), tx => RegistryChanges.UnregisterAsync(tx, appId, id, source));
    }

    /// <summary>For the dispatcher: a provider called the token dead. See <see cref="Invalidation"/> for when it is ignored.</summary>
    public async Task<InvalidationOutcome> InvalidateAsync(long installationId, string provider, string providerReason, string? rawAnswer, DateTime at, string? token = null) =>
        (await InvalidateAsync([new Invalidation(installationId, provider, providerReason, rawAnswer, at, token)]))[0];

    /// <summary>The batch form: one transaction for a whole batch of provider answers.</summary>
    public async Task<IReadOnlyList<InvalidationOutcome>> InvalidateAsync(IReadOnlyList<Invalidation> invalidations)
    {
        if (invalidations.Count == 0) return [];
        foreach (var i in invalidations)
            if (!ChangeSources.IsProvider(i.Provider)) throw new ArgumentException($"Unknown provider \"{i.Provider}\".", nameof(invalidations));
        var outcomes = await writer.RunAsync(null, tx => RegistryChanges.InvalidateAsync(tx, invalidations));
        for (var n = 0; n < outcomes.Count; n++)
            if (outcomes[n] != InvalidationOutcome.Invalidated)
                logger.LogInformation("Provider answer {Reason} from {Provider} for installation {Installation} ignored: {Outcome}",
                    invalidations[n].ProviderReason, invalidations[n].Provider, invalidations[n].InstallationId, outcomes[n]);
        return outcomes;
    }

    /// <summary>Erasure on request (GDPR), devices part: see <see cref="RegistryChanges.EraseInstallationsAsync"/>. Returns how many installations were erased.</summary>
    public Task<int> EraseInstallationsAsync(long appId, long userKey, string userId, string source) =>
        writer.RunAsync(null, tx => RegistryChanges.EraseInstallationsAsync(tx, appId, userKey, userId, source));

    /// <summary>Erasure on request, last step: the user row with its attributes, tags and categories.</summary>
    public Task<bool> DeleteUserAsync(long userKey) => writer.RunAsync(null, tx => RegistryChanges.DeleteUserAsync(tx, userKey));

    private static string Key(long appId, string installationId) => $"{appId}/{installationId}";
}
