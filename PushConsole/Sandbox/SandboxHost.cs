using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PushConsole.Sending.Providers;

namespace PushConsole.Sandbox;

/// <summary>Where each simulated provider listens: cleartext HTTP/2 (prior knowledge) and TLS HTTP/2.</summary>
public sealed record SandboxEndpoints(
    Uri Fcm, Uri FcmTls, Uri ApnsProduction, Uri ApnsProductionTls, Uri ApnsDevelopment, Uri ApnsDevelopmentTls, Uri WebPush, Uri WebPushTls);

/// <summary>
/// The provider side of the push protocols on loopback: a control server (HTTP/1.1: Google's OAuth token endpoint and
/// <c>/sandbox/*</c>) and one Kestrel server per provider, HTTP/2 only, each with an h2c and a TLS (self-signed) listener
/// and its own SETTINGS_MAX_CONCURRENT_STREAMS. Used by the demo, by tests (real HTTP/2 against real protocol checks)
/// and by the benchmark.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly List<WebApplication> _apps;

    private SandboxHost(List<WebApplication> apps, SandboxState state, Uri baseAddress, SandboxEndpoints endpoints, X509Certificate2 certificate)
    {
        _apps = apps;
        State = state;
        BaseAddress = baseAddress;
        Endpoints = endpoints;
        Certificate = certificate;
    }

    public SandboxState State { get; }

    /// <summary>The control server, e.g. http://127.0.0.1:41234/ (token endpoint at /token, stats at /sandbox/stats).</summary>
    public Uri BaseAddress { get; }

    public SandboxEndpoints Endpoints { get; }

    /// <summary>The TLS listeners' self-signed certificate; clients trust exactly it through <c>Providers:TrustedCertificateSha256</c>.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificateSha256 => Http2Transport.Sha256Fingerprint(Certificate);

    /// <summary>Provider settings that point an app at this sandbox, as configuration keys and values.</summary>
    public IReadOnlyDictionary<string, string> ProviderSettings(bool tls = false) => new Dictionary<string, string>
    {
        ["Providers:Fcm:BaseUrl"] = (tls ? Endpoints.FcmTls : Endpoints.Fcm).ToString(),
        ["Providers:Apns:ProductionUrl"] = (tls ? Endpoints.ApnsProductionTls : Endpoints.ApnsProduction).ToString(),
        ["Providers:Apns:SandboxUrl"] = (tls ? Endpoints.ApnsDevelopmentTls : Endpoints.ApnsDevelopment).ToString(),
        ["Providers:TrustedCertificateSha256:0"] = CertificateSha256,
        // the sandbox's Web Push endpoints are on loopback
        ["Providers:WebPush:AllowPrivateEndpoints"] = "true",
    };

    /// <summary>The same as <see cref="ProviderSettings"/>, as host arguments (<c>--Providers:Fcm:BaseUrl=…</c>).</summary>
    public IEnumerable<string> ProviderArgs(bool tls = false) => ProviderSettings(tls).Select(s => $"--{s.Key}={s.Value}");

    /// <summary>Provider options pointing at this sandbox, for clients made without the app host.</summary>
    public ProvidersOptions ProvidersOptions(bool tls = false) => new()
    {
        Fcm = new() { BaseUrl = (tls ? Endpoints.FcmTls : Endpoints.Fcm).ToString() },
        Apns = new() { ProductionUrl = (tls ? Endpoints.ApnsProductionTls : Endpoints.ApnsProduction).ToString(), SandboxUrl = (tls ? Endpoints.ApnsDevelopmentTls : Endpoints.ApnsDevelopment).ToString() },
        TrustedCertificateSha256 = [CertificateSha256],
        WebPush = new() { AllowPrivateEndpoints = true },
    };

    public static Task<SandboxHost> StartAsync(string url = "http://127.0.0.1:0", TimeProvider? clock = null, CancellationToken ct = default) =>
        StartAsync(new SandboxOptions { ControlUrl = url, Clock = clock }, ct);

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken ct = default)
    {
        var state = new SandboxState(options.Clock ?? TimeProvider.System);
        var certificate = SandboxCertificate.Create();
        var apps = new List<WebApplication>();
        try
        {
            var control = NewBuilder("control", state);
            control.WebHost.UseUrls(options.ControlUrl);
            var controlApp = control.Build();
            OAuthTokenEndpoint.Map(controlApp);
            SandboxHost? created = null;
            // routes must exist before the server starts; they read the host once it is complete
            SandboxControlEndpoints.Map(controlApp, state, () => created ?? throw new InvalidOperationException("The sandbox is still starting."));
            apps.Add(controlApp);
            await controlApp.StartAsync(ct);
            var address = controlApp.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var baseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1").TrimEnd('/') + "/");
            state.TokenUri = new Uri(baseAddress, "token");
            var ip = IPAddress.TryParse(baseAddress.Host.Trim('[', ']'), out var parsed) ? parsed : IPAddress.Loopback;
            int? Port(int offset) => options.FirstProviderPort is { } first ? first + offset : null;

            var fcm = await StartProviderAsync(apps, state, ip, certificate, options.FcmMaxStreams, [Port(0), Port(1)], (app, _) => FcmSendEndpoint.Map(app), ct);
            var apns = await StartProviderAsync(apps, state, ip, certificate, options.ApnsMaxStreams, [Port(2), Port(3), Port(4), Port(5)], (app, ports) =>
                ApnsEndpoint.Map(app, context => context.Connection.LocalPort == ports[2] || context.Connection.LocalPort == ports[3]
                    ? ApnsEnvironment.Sandbox : ApnsEnvironment.Production), ct);
            // push services accept HTTP/1.1 as well (node's web-push speaks only that): the TLS listener offers both through ALPN
            var push = await StartProviderAsync(apps, state, ip, certificate, options.WebPushMaxStreams, [Port(6), Port(7)], (app, _) => WebPushEndpoint.Map(app), ct,
                http1OnTls: true);

            var endpoints = new SandboxEndpoints(fcm[0], fcm[1], apns[0], apns[1], apns[2], apns[3], push[0], push[1]);
            state.WebPushBase = endpoints.WebPush;
            state.WebPushTlsBase = endpoints.WebPushTls;
            created = new SandboxHost(apps, state, baseAddress, endpoints, certificate);
            return created;
        }
        catch
        {
            foreach (var app in apps) await app.DisposeAsync();
            throw;
        }
    }

    private static WebApplicationBuilder NewBuilder(string name, SandboxState state)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = $"PushConsole.Sandbox.{name}", Args = Operations.RepositorySettings.ReadOnce([]),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(state);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }

    /// <summary>One Kestrel server, HTTP/2 only, with alternating h2c and TLS listeners; returns their base URLs in order.</summary>
    private static async Task<Uri[]> StartProviderAsync(List<WebApplication> apps, SandboxState state, IPAddress ip, X509Certificate2 certificate, int maxStreams,
        int?[] ports, Action<WebApplication, int[]> map, CancellationToken ct, bool http1OnTls = false)
    {
        var builder = NewBuilder("provider", state);
        var listeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.Http2.MaxStreamsPerConnection = maxStreams;
            for (var i = 0; i < ports.Length; i++)
            {
                var tls = i % 2 == 1;
                k.Listen(ip, ports[i] ?? 0, listen =>
                {
                    // HTTP/2 only: an HTTP/1.1 request (the h2c downgrade trap) is refused, as APNs does
                    listen.Protocols = tls && http1OnTls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2;
                    if (tls) listen.UseHttps(certificate);
                    listen.Use(next => async connection =>
                    {
                        try { await next(connection); }
                        finally { state.ApnsConnections.TryRemove(connection.ConnectionId, out _); }
                    });
                    listeners.Add(listen);
                });
            }
        });
        var app = builder.Build();
        apps.Add(app);
        var bound = new int[ports.Length];
        map(app, bound);
        await app.StartAsync(ct);
        var urls = new Uri[ports.Length];
        for (var i = 0; i < ports.Length; i++)
        {
            bound[i] = listeners[i].IPEndPoint!.Port;
            var host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
            urls[i] = new Uri($"{(i % 2 == 1 ? "https" : "http")}://{host}:{bound[i]}/");
        }
        return urls;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Certificate.Dispose();
    }
}
