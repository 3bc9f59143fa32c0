using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PushConsole.Apps;
using PushConsole.Sending.Providers.Apns;
using PushConsole.Sending.Providers.Fcm;
using PushConsole.Sending.Providers.WebPush;

namespace PushConsole.Sending.Providers;

/// <summary>The app has no credentials for the provider the push needs.</summary>
public sealed class ProviderNotConfiguredException(long appId, PushProvider provider)
    : Exception($"App {appId} has no {provider} credentials.")
{
    public long AppId { get; } = appId;
    public PushProvider Provider { get; } = provider;
}

/// <summary>
/// Provider clients per app × provider × APNs environment, built from the stored credentials and rebuilt when they
/// change (their UpdatedAt stamps are compared at most every <c>Providers:CredentialRecheckSeconds</c>).
/// FCM shares one pool of HTTP/2 connections over all apps, Web Push another; APNs gets one per app and environment, since APNs binds a key to a connection.
/// </summary>
public sealed class ProviderClients(AppService apps, IOptions<ProvidersOptions> options, TimeProvider clock, ILogger<ProviderClients> logger) : IAsyncDisposable
{
    private readonly ProvidersOptions _options = options.Value;
    private readonly ConcurrentDictionary<long, Lazy<Task<AppClients>>> _apps = new();
    // FCM binds no credentials to a connection, so all apps share one pool (each app keeps its own OAuth token)
    private readonly Lazy<Http2Pool> _fcm = new(() => Http2Pool.Create(options.Value.Fcm.Connections, options.Value, oneConnectionEach: false));
    // Web Push endpoints come from devices, so their pool re-checks every resolved address (SSRF)
    private readonly Lazy<HttpClient> _webPush = new(() => Http2Transport.CreateClient(Http2Transport.CreateHandler(options.Value, webPush: true), options.Value, disposeHandler: true));

    /// <summary>Sends through the right client for the target (the dispatcher's one call per push).</summary>
    public async Task<ProviderResult> SendAsync(long appId, PushMessage message, CancellationToken ct = default)
    {
        IPushClient client;
        try { client = await GetAsync(appId, message.Target.Provider, message.Target.Environment, ct); }
        catch (ProviderNotConfiguredException e)
        {
            return ProviderHttp.Result(e.Provider, ProviderOutcome.CredentialProblem, "NotConfigured", $"The app has no {e.Provider} credentials; add them on the app's page.");
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException or InvalidOperationException or FormatException)
        {
            return ProviderHttp.Result(message.Target.Provider, ProviderOutcome.CredentialProblem, "BadCredentials", $"The stored credentials cannot be used: {e.Message}");
        }
        return await client.SendAsync(message, ct);
    }

    /// <summary>The client for an app and provider (and APNs host). Throws <see cref="ProviderNotConfiguredException"/> when the app lacks credentials.</summary>
    public async Task<IPushClient> GetAsync(long appId, PushProvider provider, ApnsEnvironment environment = ApnsEnvironment.Production, CancellationToken ct = default)
    {
        var clients = await CurrentAsync(appId, ct);
        return provider switch
        {
            PushProvider.Fcm => clients.Fcm ?? throw new ProviderNotConfiguredException(appId, provider),
            PushProvider.Apns => (environment == ApnsEnvironment.Sandbox ? clients.ApnsSandbox : clients.ApnsProduction)?.Value
                                 ?? throw new ProviderNotConfiguredException(appId, provider),
            PushProvider.WebPush => clients.WebPush,
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
    }

    /// <summary>Drops an app's clients now (credentials changed or the app was removed); the next send rebuilds them.</summary>
    public void Forget(long appId)
    {
        if (_apps.TryRemove(appId, out var old)) RetireLater(old);
    }

    private async Task<AppClients> CurrentAsync(long appId, CancellationToken ct)
    {
        var entry = _apps.GetOrAdd(appId, id => new Lazy<Task<AppClients>>(() => BuildAsync(id)));
        AppClients clients;
        try { clients = await entry.Value.WaitAsync(ct); }
        catch when (!ct.IsCancellationRequested)
        {
            _apps.TryRemove(new(appId, entry)); // do not cache a failure
            throw;
        }
        var now = clock.GetUtcNow();
        if (now - clients.CheckedAt < TimeSpan.FromSeconds(_options.CredentialRecheckSeconds) && _options.CredentialRecheckSeconds > 0) return clients;
        var app = await apps.GetAsync(appId, ct);
        if (Stamp.Of(app) == clients.Stamp)
        {
            clients.CheckedAt = now;
            return clients;
        }
        logger.LogInformation("Credentials of app {AppId} changed; rebuilding its provider clients", appId);
        var fresh = new Lazy<Task<AppClients>>(() => BuildAsync(appId));
        if (_apps.TryUpdate(appId, fresh, entry)) RetireLater(entry);
        return await CurrentAsync(appId, ct);
    }

    private async Task<AppClients> BuildAsync(long appId)
    {
        var secrets = await apps.GetProviderSecretsAsync(appId);
        var app = await apps.GetAsync(appId);
        var fcm = secrets.FcmServiceAccountJson is null ? null : FcmClient.Create(_fcm.Value, secrets.FcmServiceAccountJson, _options, clock);
        Lazy<ApnsClient>? Apns(ApnsEnvironment environment) => secrets.ApnsKeyP8 is not { } p8 || secrets.Apns is not { } apns ? null
            : new Lazy<ApnsClient>(() => ApnsClient.Create(p8, apns.KeyId, apns.TeamId, apns.BundleId, environment, _options, clock));
        var webPush = WebPushClient.Create(_webPush.Value, secrets.VapidPublicKey, secrets.VapidPrivateKey, secrets.VapidSubject, _options, clock);
        return new AppClients(Stamp.Of(app), fcm, Apns(ApnsEnvironment.Production), Apns(ApnsEnvironment.Sandbox), webPush)
        {
            CheckedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>In-flight sends may still use the old clients: close their connections a little later.</summary>
    private void RetireLater(Lazy<Task<AppClients>> old) =>
        _ = Task.Delay(TimeSpan.FromSeconds(Math.Max(_options.RequestTimeoutSeconds, 30)), clock).ContinueWith(async _ =>
        {
            if (old.IsValueCreated && await old.Value.ConfigureAwait(false) is { } clients) clients.Dispose();
        }, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _apps.Values)
            if (entry.IsValueCreated)
                try { (await entry.Value).Dispose(); }
                catch (Exception e) when (e is not OutOfMemoryException) { logger.LogDebug(e, "Provider clients were never built"); }
        _apps.Clear();
        if (_fcm.IsValueCreated) _fcm.Value.Dispose();
        if (_webPush.IsValueCreated) _webPush.Value.Dispose();
    }

    private readonly record struct Stamp(DateTime? Fcm, DateTime? Apns, string Vapid)
    {
        public static Stamp Of(App app) => new(app.Fcm?.UpdatedAt, app.Apns?.UpdatedAt, $"{app.Vapid.PublicKey}|{app.Vapid.Subject}");
    }

    private sealed record AppClients(Stamp Stamp, FcmClient? Fcm, Lazy<ApnsClient>? ApnsProduction, Lazy<ApnsClient>? ApnsSandbox, WebPushClient WebPush) : IDisposable
    {
        public DateTimeOffset CheckedAt { get; set; }

        public void Dispose()
        {
            if (ApnsProduction is { IsValueCreated: true }) ApnsProduction.Value.Dispose();
            if (ApnsSandbox is { IsValueCreated: true }) ApnsSandbox.Value.Dispose();
            WebPush.Dispose();
        }
    }
}
