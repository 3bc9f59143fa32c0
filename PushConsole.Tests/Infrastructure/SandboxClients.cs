using PushConsole.Apps;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.Apns;
using PushConsole.Sending.Providers.Fcm;
using PushConsole.Sending.Providers.WebPush;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Infrastructure;

/// <summary>Provider clients pointed at a sandbox, made the way ProviderClients makes them, without an app host.</summary>
public sealed class SandboxClients : IDisposable
{
    private readonly HttpClient _shared;
    private readonly Http2Pool _fcm;

    public SandboxClients(SandboxHost sandbox, bool tls = false, TimeProvider? clock = null, Action<ProvidersOptions>? configure = null)
    {
        Sandbox = sandbox;
        Clock = clock ?? TimeProvider.System;
        Options = sandbox.ProvidersOptions(tls);
        configure?.Invoke(Options);
        _shared = Http2Transport.CreateClient(Http2Transport.CreateHandler(Options), Options, disposeHandler: true);
        // as ProviderClients builds it: one FCM pool of Providers:Fcm:Connections for every FCM client
        _fcm = Http2Pool.Create(Options.Fcm.Connections, Options, oneConnectionEach: false);
    }

    public SandboxHost Sandbox { get; }
    public TimeProvider Clock { get; }
    public ProvidersOptions Options { get; }

    public FcmClient Fcm(string projectId = "event-app") => FcmClient.Create(_fcm, Sandbox.State.CreateServiceAccountJson(projectId), Options, Clock);

    public ApnsClient Apns(SandboxApnsKey key, ApnsEnvironment environment = ApnsEnvironment.Production) =>
        ApnsClient.Create(key.P8, key.KeyId, key.TeamId, key.BundleId, environment, Options, Clock);

    public WebPushClient WebPush(out string vapidPublicKey, string subject = "mailto:ops@example.com")
    {
        var (publicKey, privateKey) = AppSecrets.NewVapidKeyPair();
        vapidPublicKey = publicKey;
        return WebPushClient.Create(_shared, publicKey, privateKey, subject, Options, Clock);
    }

    public static PushMessage Alert(long deliveryId, PushTarget target, string title = "Keynote moved", string body = "Now in Hall B at 10:30") =>
        new(deliveryId, target, new PushContent { Title = title, Body = body, Data = new Dictionary<string, string> { ["sessionId"] = "s-42" } });

    public void Dispose()
    {
        _fcm.Dispose();
        _shared.Dispose();
    }
}
