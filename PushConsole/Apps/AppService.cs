using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Apps;

public sealed record NewApp(
    string? Name,
    string? FcmServiceAccountJson = null,
    string? ApnsKeyP8 = null, string? ApnsKeyId = null, string? ApnsTeamId = null, string? ApnsBundleId = null, string? ApnsEnvironment = null,
    string? VapidSubject = null);

/// <summary>The master secret is in here once, right after creation or rotation, and nowhere else ever again.</summary>
public sealed record CreatedApp(App App, string MasterSecret);

/// <summary>Decrypted provider material for the dispatcher; never rendered, never logged.</summary>
public sealed record AppProviderSecrets(
    long AppId, string? FcmServiceAccountJson, FcmCredential? Fcm,
    string? ApnsKeyP8, ApnsCredential? Apns,
    string VapidPublicKey, string VapidPrivateKey, string VapidSubject);

/// <summary>Apps and their credentials: the console's Apps pages and the `apps create` verb go through here.</summary>
public sealed class AppService(IDbContextFactory<AppDbContext> contexts, AppSecrets secrets, AuditLog audit, AppKeyCache keyCache, IFcmCredentialCheck fcmCheck, TimeProvider clock)
{
    public const string DefaultVapidSubject = "mailto:push-admin@pushconsole.invalid";

    public async Task<IReadOnlyList<App>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<App>().AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
    }

    public async Task<App> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<App>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct)
               ?? throw new NotFoundException($"There is no app with id {id}.");
    }

    public async Task<CreatedApp> CreateAsync(NewApp request, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var errors = new FieldErrors();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "Give the app a name, e.g. \"Event app — staging\".");
        else if (name.Length > 100) errors.Add("name", "Keep the name under 100 characters.");
        else if (await db.Set<App>().AnyAsync(a => a.NormalizedName == name.ToUpperInvariant(), ct))
            errors.Add("name", $"An app named \"{name}\" already exists; choose another name.");

        // validate every credential before storing anything, so a bad file leaves nothing half-made
        FcmServiceAccountInfo? fcm = null;
        ApnsKeyInfo? apns = null;
        string subject = DefaultVapidSubject;
        Collect(errors, () => fcm = request.FcmServiceAccountJson is null ? null : CredentialValidation.ValidateServiceAccount(request.FcmServiceAccountJson));
        var anyApns = request.ApnsKeyP8 is not null || request.ApnsKeyId is not null || request.ApnsTeamId is not null || request.ApnsBundleId is not null;
        Collect(errors, () => apns = anyApns ? CredentialValidation.ValidateApns(request.ApnsKeyP8, request.ApnsKeyId, request.ApnsTeamId, request.ApnsBundleId, request.ApnsEnvironment ?? PlatformNames.Production) : null);
        Collect(errors, () => subject = request.VapidSubject is null ? DefaultVapidSubject : CredentialValidation.ValidateVapidSubject(request.VapidSubject));
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        var masterSecret = AppSecrets.NewMasterSecret();
        var (vapidPublic, vapidPrivate) = AppSecrets.NewVapidKeyPair();
        var app = new App
        {
            Name = name!,
            NormalizedName = name!.ToUpperInvariant(),
            AppKey = AppSecrets.NewAppKey(),
            MasterSecretHash = AppSecrets.Hash(masterSecret),
            MasterSecretRotatedAt = now,
            CreatedAt = now,
            Vapid = new VapidCredential { Subject = subject, PublicKey = vapidPublic, ProtectedPrivateKey = secrets.Protect(vapidPrivate), CreatedAt = now },
        };
        if (fcm is not null) app.Fcm = NewFcm(fcm, request.FcmServiceAccountJson!, now);
        if (apns is not null) app.Apns = NewApns(apns, request, now);
        db.Add(app);
        audit.Add(db, actor, "app.created", name, Describe(app));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // lost a race with a concurrent create of the same name: say so, like the check above
            if (await NameTakenAsync(name!, ct))
                throw new BadInputException("name", $"An app named \"{name}\" already exists; choose another name.");
            throw;
        }
        return new CreatedApp(app, masterSecret);
    }

    public Task RenameAsync(long appId, string? name, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "app.renamed", async (db, app) =>
        {
            name = name?.Trim();
            if (string.IsNullOrEmpty(name)) throw new BadInputException("name", "Give the app a name.");
            if (name.Length > 100) throw new BadInputException("name", "Keep the name under 100 characters.");
            if (await db.Set<App>().AnyAsync(a => a.Id != appId && a.NormalizedName == name.ToUpperInvariant(), ct))
                throw new BadInputException("name", $"An app named \"{name}\" already exists; choose another name.");
            var old = app.Name;
            app.Name = name;
            app.NormalizedName = name.ToUpperInvariant();
            return $"{old} → {name}";
        }, ct);

    /// <summary>The name attendees see; empty clears it (the attendee page then says "the event").</summary>
    public Task SetPublicNameAsync(long appId, string? publicName, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "app.public_name_changed", (_, app) =>
        {
            publicName = publicName?.Trim();
            if (publicName?.Length > 100) throw new BadInputException("publicName", "Keep the public name under 100 characters.");
            app.PublicName = string.IsNullOrEmpty(publicName) ? null : publicName;
            return Task.FromResult<string?>(app.PublicName ?? "(cleared)");
        }, ct);

    /// <summary>The public name of the app with this app key, for the attendee page; null when no app has the key.</summary>
    public async Task<string?> FindPublicNameAsync(string appKey, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var app = await db.Set<App>().AsNoTracking().Where(a => a.AppKey == appKey).Select(a => new { a.PublicName }).FirstOrDefaultAsync(ct);
        return app is null ? null : app.PublicName ?? "";
    }

    public Task SetDefaultLanguageAsync(long appId, string? language, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "app.default_language_changed", (_, app) =>
        {
            if (string.IsNullOrWhiteSpace(language) || !Languages.IsValidTag(language.Trim()))
                throw new BadInputException("defaultLanguage", "Use a language tag such as en, fr or pt-BR.");
            app.DefaultLanguage = language.Trim();
            return Task.FromResult<string?>(app.DefaultLanguage);
        }, ct);

    public async Task<string> RotateMasterSecretAsync(long appId, Actor actor, CancellationToken ct = default)
    {
        var secret = AppSecrets.NewMasterSecret();
        await UpdateAsync(appId, actor, "app.master_secret_rotated", (_, app) =>
        {
            app.MasterSecretHash = AppSecrets.Hash(secret);
            app.MasterSecretRotatedAt = clock.GetUtcNow().UtcDateTime;
            return Task.FromResult<string?>("the previous secret stops working now");
        }, ct);
        return secret;
    }

    public Task SetFcmAsync(long appId, string? serviceAccountJson, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "credentials.fcm.updated", (_, app) =>
        {
            var info = CredentialValidation.ValidateServiceAccount(serviceAccountJson);
            app.Fcm = NewFcm(info, serviceAccountJson!, clock.GetUtcNow().UtcDateTime);
            return Task.FromResult<string?>($"project {info.ProjectId}, {info.ClientEmail}, key {info.PrivateKeyId}");
        }, ct);

    public Task RemoveFcmAsync(long appId, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "credentials.fcm.removed", (_, app) => { app.Fcm = null; return Task.FromResult<string?>(null); }, ct);

    /// <summary>Fetches a real OAuth token with the stored service account and records the outcome.</summary>
    public async Task<(bool Ok, string Message)> CheckFcmAsync(long appId, Actor actor, CancellationToken ct = default)
    {
        var app = await GetAsync(appId, ct);
        if (app.Fcm is null) return (false, "No FCM service account is uploaded for this app.");
        var result = await fcmCheck.FetchTokenAsync(secrets.Unprotect(app.Fcm.ProtectedJson), ct);
        await UpdateAsync(appId, actor, "credentials.fcm.checked", (_, stored) =>
        {
            if (stored.Fcm is null) return Task.FromResult<string?>(null);
            stored.Fcm.LastCheckAt = clock.GetUtcNow().UtcDateTime;
            stored.Fcm.LastCheckOk = result.Ok;
            stored.Fcm.LastCheckMessage = result.Message;
            return Task.FromResult<string?>(result.Ok ? "ok" : result.Message);
        }, ct);
        return result;
    }

    public Task SetApnsAsync(long appId, string? p8, string? keyId, string? teamId, string? bundleId, string? environment, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "credentials.apns.updated", (_, app) =>
        {
            var info = CredentialValidation.ValidateApns(p8, keyId, teamId, bundleId, environment);
            app.Apns = NewApns(info, new NewApp(null, null, p8, keyId, teamId, bundleId, environment), clock.GetUtcNow().UtcDateTime);
            return Task.FromResult<string?>($"key {app.Apns.KeyId}, team {app.Apns.TeamId}, {app.Apns.BundleId}, {PlatformNames.Of(app.Apns.Environment)}");
        }, ct);

    public Task RemoveApnsAsync(long appId, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "credentials.apns.removed", (_, app) => { app.Apns = null; return Task.FromResult<string?>(null); }, ct);

    public Task SetVapidSubjectAsync(long appId, string? subject, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "credentials.vapid.subject_changed", (_, app) =>
        {
            app.Vapid.Subject = CredentialValidation.ValidateVapidSubject(subject);
            return Task.FromResult<string?>(app.Vapid.Subject);
        }, ct);

    /// <summary>New VAPID pair: browsers subscribed with the old public key must subscribe again.</summary>
    public Task RegenerateVapidAsync(long appId, Actor actor, CancellationToken ct = default) =>
        UpdateAsync(appId, actor, "credentials.vapid.regenerated", (_, app) =>
        {
            var (publicKey, privateKey) = AppSecrets.NewVapidKeyPair();
            app.Vapid.PublicKey = publicKey;
            app.Vapid.ProtectedPrivateKey = secrets.Protect(privateKey);
            app.Vapid.CreatedAt = clock.GetUtcNow().UtcDateTime;
            return Task.FromResult<string?>($"public key {publicKey[..12]}…");
        }, ct);

    /// <summary>For the dispatcher's provider clients only.</summary>
    public async Task<AppProviderSecrets> GetProviderSecretsAsync(long appId, CancellationToken ct = default)
    {
        var app = await GetAsync(appId, ct);
        return new AppProviderSecrets(app.Id,
            app.Fcm is null ? null : secrets.Unprotect(app.Fcm.ProtectedJson), app.Fcm,
            app.Apns is null ? null : secrets.Unprotect(app.Apns.ProtectedKey), app.Apns,
            app.Vapid.PublicKey, secrets.Unprotect(app.Vapid.ProtectedPrivateKey), app.Vapid.Subject);
    }

    private async Task UpdateAsync(long appId, Actor actor, string action, Func<AppDbContext, App, Task<string?>> change, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var app = await db.Set<App>().FirstOrDefaultAsync(a => a.Id == appId, ct) ?? throw new NotFoundException($"There is no app with id {appId}.");
        var details = await change(db, app);
        audit.Add(db, actor, action, app.Name, details);
        await db.SaveChangesAsync(ct);
        keyCache.Forget(app.AppKey);
    }

    private async Task<bool> NameTakenAsync(string name, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<App>().AnyAsync(a => a.NormalizedName == name.ToUpperInvariant(), ct);
    }

    private FcmCredential NewFcm(FcmServiceAccountInfo info, string json, DateTime now) => new()
    {
        ProjectId = info.ProjectId, ClientEmail = info.ClientEmail, PrivateKeyId = info.PrivateKeyId, TokenUri = info.TokenUri,
        ProtectedJson = secrets.Protect(json), UpdatedAt = now,
    };

    private ApnsCredential NewApns(ApnsKeyInfo info, NewApp request, DateTime now) => new()
    {
        KeyId = request.ApnsKeyId!.Trim(), TeamId = request.ApnsTeamId!.Trim(), BundleId = request.ApnsBundleId!.Trim(),
        Environment = PlatformNames.ParseApnsEnvironment(request.ApnsEnvironment) ?? ApnsEnvironment.Production, ProtectedKey = secrets.Protect(request.ApnsKeyP8!),
        PublicKeyFingerprint = info.PublicKeyFingerprint, UpdatedAt = now,
    };

    private static void Collect(FieldErrors errors, Action validate)
    {
        try { validate(); }
        catch (BadInputException e)
        {
            foreach (var (field, messages) in e.Errors)
                foreach (var message in messages) errors.Add(field, message);
        }
    }

    private static string Describe(App app) =>
        $"FCM: {(app.Fcm is null ? "none" : app.Fcm.ProjectId)}; APNs: {(app.Apns is null ? "none" : $"{app.Apns.KeyId}/{app.Apns.BundleId}")}; VAPID subject {app.Vapid.Subject}";
}
