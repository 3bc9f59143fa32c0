using System.CommandLine;
using System.Runtime.InteropServices;
using PushConsole.Sandbox;

namespace PushConsole.Cli;

/// <summary><c>sandbox --urls URL</c>: runs only the provider sandbox and prints what an app needs to use it.</summary>
public static class SandboxCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Control URL (OAuth token endpoint, /sandbox/*); the eight provider listeners take the next ports", DefaultValueFactory = _ => "http://127.0.0.1:9100" };
        var fcmStreams = new Option<int>("--fcm-streams") { Description = "SETTINGS_MAX_CONCURRENT_STREAMS of the FCM service", DefaultValueFactory = _ => 100 };
        var apnsStreams = new Option<int>("--apns-streams") { Description = "SETTINGS_MAX_CONCURRENT_STREAMS of APNs", DefaultValueFactory = _ => 1000 };
        var webPushStreams = new Option<int>("--webpush-streams") { Description = "SETTINGS_MAX_CONCURRENT_STREAMS of the Web Push service", DefaultValueFactory = _ => 100 };
        var command = new Command("sandbox", "Run only the provider sandbox (FCM, APNs, Web Push over HTTP/2, cleartext and TLS).") { urls, fcmStreams, apnsStreams, webPushStreams };
        command.SetAction(async (parse, ct) =>
        {
            var url = parse.GetValue(urls)!.Split(';')[0];
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            {
                Console.Error.WriteLine("--urls: give an http:// URL such as http://127.0.0.1:9100");
                return 2;
            }
            var options = new SandboxOptions
            {
                ControlUrl = url, FirstProviderPort = uri.Port == 0 ? null : uri.Port + 1,
                FcmMaxStreams = parse.GetValue(fcmStreams), ApnsMaxStreams = parse.GetValue(apnsStreams), WebPushMaxStreams = parse.GetValue(webPushStreams),
            };
            await using var sandbox = await SandboxHost.StartAsync(options, ct);
            Print(sandbox);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
            Console.WriteLine("Sandbox stopped.");
            return 0;
        });
        return command;
    }

    private static void Print(SandboxHost sandbox)
    {
        var e = sandbox.Endpoints;
        var control = sandbox.BaseAddress.ToString().TrimEnd('/');
        Console.WriteLine($"""
            PushConsole provider sandbox is running (Ctrl+C stops it).

            control (HTTP/1.1)   {control}   OAuth token endpoint {sandbox.State.TokenUri}
            FCM v1 (HTTP/2)      {e.Fcm}   TLS {e.FcmTls}
            APNs production      {e.ApnsProduction}   TLS {e.ApnsProductionTls}
            APNs development     {e.ApnsDevelopment}   TLS {e.ApnsDevelopmentTls}
            Web Push             {e.WebPush}   TLS {e.WebPushTls}
            TLS certificate      self-signed, SHA-256 {sandbox.CertificateSha256}

            Point PushConsole at it (cleartext HTTP/2; for TLS use the https URLs above, the pin is needed then):
            """);
        foreach (var (key, value) in sandbox.ProviderSettings())
            Console.WriteLine($"  --{key}={value}");
        Console.WriteLine($"""

            Credentials the sandbox trusts (upload them on the app's page, or pass them to `apps create`):
              curl -s -X POST '{control}/sandbox/fcm/service-accounts?projectId=event-app' > fcm-service-account.json
              curl -s -X POST {control}/sandbox/apns/keys -H 'content-type: application/json' -d '{"{"}"bundleId":"com.example.eventapp"{"}"}'
                (prints p8, keyId, teamId, bundleId)
              curl -s -X POST '{control}/sandbox/apns/device-tokens?environment=production'
              curl -s -X POST {control}/sandbox/webpush/subscriptions -H 'content-type: application/json' -d '{"{"}"applicationServerKey":"<the app's VAPID public key>"{"}"}'

            Knobs and counters:
              curl -s -X POST {control}/sandbox/knobs -H 'content-type: application/json' -d '{"{"}"provider":"apns","latencyMs":20,"tooManyRequestsShare":0.01,"unavailableShare":0.01{"}"}'
              curl -s -X POST {control}/sandbox/fail -H 'content-type: application/json' -d '{"{"}"provider":"fcm","token":"T","status":404,"reason":"UNREGISTERED"{"}"}'
              curl -s {control}/sandbox/stats      curl -s '{control}/sandbox/messages?provider=webpush&limit=20'
            """);
    }
}
