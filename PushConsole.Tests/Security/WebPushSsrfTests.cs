using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PushConsole.Apps;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.WebPush;
using PushConsole.Devices;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>Issue 15 item 3: Web Push endpoints cannot point the dispatcher at loopback, the local network or cloud metadata.</summary>
public sealed class WebPushSsrfTests(SecurityKit kit) : IClassFixture<SecurityKit>
{
    private static readonly (string P256dh, string Auth) Keys = DeviceKit.WebPushKeys();

    private static string Web(string endpoint) =>
        JsonSerializer.Serialize(new { platform = "web", webPush = new { endpoint, keys = new { p256dh = Keys.P256dh, auth = Keys.Auth } } });

    public static TheoryData<string> Refused => new()
    {
        "http://127.0.0.1:9000/push/abc", "http://push.example.com/send/1",
        "https://127.0.0.1/", "https://127.0.0.1./", "https://127.1/", "https://2130706433/", "https://0x7f000001/", "https://0x7f.0.0.1/",
        "https://0177.0.0.1/", "https://0/", "https://localhost:22/", "https://LOCALHOST/x", "https://api.localhost/",
        "https://169.254.169.254/latest/meta-data/", "https://metadata.google.internal/computeMetadata/v1/", "https://metadata/",
        "https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.1.1/", "https://100.64.0.1/", "https://198.18.0.1/", "https://224.0.0.1/",
        "https://[::1]/", "https://[::]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/", "https://[::ffff:a9fe:a9fe]/",
        "https://[::127.0.0.1]/", "https://[fe80::1]/", "https://[fd00:ec2::254]/", "https://[fc00::1]/", "https://[64:ff9b::a9fe:a9fe]/",
        "https://[2002:7f00:1::]/", "https://[2001:db8::1]/", "https://[ff02::1]/", "https://printer.local/", "https://intranet/",
        "https://router.home.arpa/", "https://user:secret@push.example.com/",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_private_loopback_link_local_or_metadata_endpoint_is_refused_at_registration(string endpoint)
    {
        var response = await kit.Devices.PutRawAsync("browser-ssrf", Web(endpoint));
        await SecurityKit.FieldProblemAsync(response, "webPush.endpoint");
        Assert.Null(await kit.Devices.InstallationAsync("browser-ssrf"));
    }

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/abc")]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/abc")]
    [InlineData("https://8.8.8.8/x")]
    [InlineData("https://[2607:f8b0:4004:800::200e]/x")]
    public async Task A_public_push_service_is_accepted(string endpoint)
    {
        var response = await kit.Devices.PutRawAsync("browser-public", Web(endpoint));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Loopback_endpoints_are_accepted_only_with_AllowPrivateEndpoints()
    {
        await using var host = await AppHost.StartAsync(o => o.Args.Add("--Providers:WebPush:AllowPrivateEndpoints=true"));
        using var devices = await DeviceKit.CreateAsync(host);
        var response = await devices.PutRawAsync("browser", Web("http://127.0.0.1:9000/push/abc"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A name that passes registration may resolve to a private address later (DNS rebinding): the pool never connects there.</summary>
    [Fact]
    public async Task The_resolved_address_is_checked_again_when_connecting()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync();
                Interlocked.Increment(ref accepted);
            }
        });
        var endpoint = $"https://localhost:{((IPEndPoint)listener.LocalEndpoint).Port}/push/rebound";

        var refused = await SendAsync(endpoint, allowPrivate: false);
        Assert.Equal((ProviderOutcome.DeadToken, "EndpointRefused"), (refused.Outcome, refused.Reason));
        Assert.Contains("not a public address", refused.Detail);
        Assert.Equal(0, Volatile.Read(ref accepted));

        // the same send with private endpoints allowed does reach the listener: the refusal above came from the policy
        var allowed = await SendAsync(endpoint, allowPrivate: true);
        Assert.NotEqual("EndpointRefused", allowed.Reason);
        Assert.True(Volatile.Read(ref accepted) > 0);
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest")]
    [InlineData("https://[::ffff:10.0.0.1]/x")]
    public async Task A_stored_private_literal_is_refused_before_any_connection(string endpoint)
    {
        var result = await SendAsync(endpoint, allowPrivate: false);
        Assert.Equal((ProviderOutcome.DeadToken, "EndpointRefused"), (result.Outcome, result.Reason));
    }

    private static async Task<ProviderResult> SendAsync(string endpoint, bool allowPrivate)
    {
        var options = new ProvidersOptions { RequestTimeoutSeconds = 5, WebPush = new() { AllowPrivateEndpoints = allowPrivate } };
        using var http = Http2Transport.CreateClient(Http2Transport.CreateHandler(options, webPush: true), options, disposeHandler: true);
        var (publicKey, privateKey) = AppSecrets.NewVapidKeyPair();
        using var client = WebPushClient.Create(http, publicKey, privateKey, "mailto:ops@example.com", options, TimeProvider.System);
        var target = PushTarget.WebPush(new PushConsole.Sending.Providers.WebPushSubscription(endpoint, Keys.P256dh, Keys.Auth));
        return await client.SendAsync(new PushMessage(1, target, new PushContent { Title = "Hi", Body = "There" }));
    }
}
