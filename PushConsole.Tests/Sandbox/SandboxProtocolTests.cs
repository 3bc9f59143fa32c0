using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.Apns;
using PushConsole.Sending.Providers.WebPush;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Sandbox;

/// <summary>The sandbox's own checks, with raw HTTP/2 requests a careless client would make.</summary>
public sealed class SandboxProtocolTests : IAsyncLifetime
{
    private SandboxHost _sandbox = default!;
    private HttpClient _h2 = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync();
        _h2 = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    public async Task DisposeAsync()
    {
        _h2.Dispose();
        await _sandbox.DisposeAsync();
    }

    private HttpRequestMessage H2(HttpMethod method, Uri uri, HttpContent? content = null) =>
        new(method, uri) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };

    [Fact]
    public async Task The_h2c_trap_a_default_http_client_silently_speaks_http11_and_is_refused()
    {
        using var careless = new HttpClient();
        var uri = new Uri(_sandbox.Endpoints.ApnsProduction, $"3/device/{new string('a', 64)}");

        using var response = await careless.PostAsync(uri, new StringContent("{\"aps\":{}}"));

        Assert.Equal(new Version(1, 1), response.Version);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP/2 only endpoint", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _sandbox.State.Apns.Stats().Requests);
    }

    [Fact]
    public async Task Fcm_checks_the_message_shape()
    {
        var bearer = await BearerAsync("shape-project");
        async Task<(int Status, string Body)> Send(string json)
        {
            using var request = H2(HttpMethod.Post, new Uri(_sandbox.Endpoints.Fcm, "v1/projects/shape-project/messages:send"), new StringContent(json, Encoding.UTF8, "application/json"));
            request.Headers.Authorization = new("Bearer", bearer);
            using var response = await _h2.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var number = await Send("""{"message":{"token":"t","data":{"a":"x","count":12}}}""");
        var ttl = await Send("""{"message":{"token":"t","android":{"ttl":3600}}}""");
        var twoTargets = await Send("""{"message":{"token":"t","topic":"news"}}""");
        var camel = await Send("""{"message":{"token":"t","android":{"collapseKey":"k","priority":"high","ttl":"3.5s","notification":{"channelId":"c"}}}}""");
        var dryRun = await Send("""{"validateOnly":true,"message":{"token":"t","data":{"deliveryId":"9"}}}""");

        Assert.Equal(400, number.Status);
        Assert.Contains("message.data[1].value", number.Body);
        Assert.Equal(400, ttl.Status);
        Assert.Contains("message.android.ttl", ttl.Body);
        Assert.Equal(400, twoTargets.Status);
        Assert.Equal(200, camel.Status);
        Assert.Contains("messages/fake_message_id", dryRun.Body);
        Assert.Equal(0, _sandbox.State.Fcm.Stats().UniqueDeliveryIds); // a dry run delivers nothing
    }

    [Fact]
    public async Task Fcm_refuses_a_missing_or_foreign_bearer_with_a_plain_401()
    {
        using var request = H2(HttpMethod.Post, new Uri(_sandbox.Endpoints.Fcm, "v1/projects/p/messages:send"), new StringContent("{}"));
        request.Headers.Authorization = new("Bearer", "ya29.not-from-here");

        using var response = await _h2.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("UNAUTHENTICATED", body);
        Assert.DoesNotContain("FcmError", body);
    }

    [Fact]
    public async Task Apns_refuses_a_token_refresh_within_20_minutes_on_the_same_connection()
    {
        var key = _sandbox.State.CreateApnsKey("com.example.app");
        using var first = new ApnsProviderToken(key.P8, key.KeyId, key.TeamId, TimeProvider.System, TimeSpan.FromMinutes(50));
        using var second = new ApnsProviderToken(key.P8, key.KeyId, key.TeamId, TimeProvider.System, TimeSpan.FromMinutes(50));
        async Task<(int, string)> Send(string jwt)
        {
            using var request = H2(HttpMethod.Post, new Uri(_sandbox.Endpoints.ApnsProduction, $"3/device/{_sandbox.State.NewApnsDeviceToken()}"), new StringContent("{\"aps\":{\"alert\":\"hi\"}}"));
            request.Headers.TryAddWithoutValidation("authorization", "bearer " + jwt);
            request.Headers.TryAddWithoutValidation("apns-topic", "com.example.app");
            request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
            using var response = await _h2.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var accepted = await Send(first.Current());
        await Task.Delay(1100); // a second later: a different iat, so a different token
        var refused = await Send(second.Current());

        Assert.Equal(200, accepted.Item1);
        Assert.Equal((429, "{\"reason\":\"TooManyProviderTokenUpdates\"}"), refused);
    }

    [Fact]
    public async Task Apns_checks_headers_and_size()
    {
        var key = _sandbox.State.CreateApnsKey("com.example.app");
        using var token = new ApnsProviderToken(key.P8, key.KeyId, key.TeamId, TimeProvider.System, TimeSpan.FromMinutes(50));
        async Task<string> Send(string body, params (string Name, string Value)[] headers)
        {
            using var request = H2(HttpMethod.Post, new Uri(_sandbox.Endpoints.ApnsProduction, $"3/device/{_sandbox.State.NewApnsDeviceToken()}"), new StringContent(body));
            request.Headers.TryAddWithoutValidation("authorization", "bearer " + token.Current());
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            using var response = await _h2.SendAsync(request);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}".Trim();
        }
        const string ok = "{\"aps\":{\"alert\":\"hi\"}}";

        Assert.Equal("200", await Send(ok, ("apns-topic", "com.example.app"), ("apns-push-type", "alert")));
        Assert.Equal("400 {\"reason\":\"MissingTopic\"}", await Send(ok));
        Assert.Equal("400 {\"reason\":\"InvalidPushType\"}", await Send(ok, ("apns-topic", "com.example.app"), ("apns-push-type", "loud")));
        Assert.Equal("400 {\"reason\":\"BadPriority\"}", await Send(ok, ("apns-topic", "com.example.app"), ("apns-push-type", "background"), ("apns-priority", "10")));
        Assert.Equal("400 {\"reason\":\"BadMessageId\"}", await Send(ok, ("apns-topic", "com.example.app"), ("apns-id", "4711")));
        Assert.Equal("400 {\"reason\":\"PayloadEmpty\"}", await Send("", ("apns-topic", "com.example.app")));
        Assert.Equal("413 {\"reason\":\"PayloadTooLarge\"}", await Send($"{{\"aps\":{{}},\"x\":\"{new string('x', 4100)}\"}}", ("apns-topic", "com.example.app")));
        Assert.Equal("200", await Send($"{{\"aps\":{{}},\"x\":\"{new string('x', 4100)}\"}}", ("apns-topic", "com.example.app.voip"), ("apns-push-type", "voip")));
    }

    [Fact]
    public async Task Web_push_checks_ttl_vapid_audience_and_expiry_and_the_padding_delimiter()
    {
        var (publicKey, privateKey) = PushConsole.Apps.AppSecrets.NewVapidKeyPair();
        var subscription = _sandbox.State.CreateWebPushSubscription(publicKey);
        var endpoint = new Uri(subscription.Endpoint);
        using var signer = new VapidSigner(publicKey, privateKey, "mailto:ops@example.com", TimeProvider.System, TimeSpan.FromHours(12));
        using var farSigner = new VapidSigner(publicKey, privateKey, "mailto:ops@example.com", new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(2)), TimeSpan.FromHours(12));
        using var pastSigner = new VapidSigner(publicKey, privateKey, "mailto:ops@example.com", new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2)), TimeSpan.FromHours(12));
        var body = WebPushEncryption.Encrypt("{\"deliveryId\":1}"u8, Base64Url.DecodeFromChars(subscription.P256dh), Base64Url.DecodeFromChars(subscription.Auth));
        async Task<int> Send(byte[] payload, string? ttl, string authorization)
        {
            var content = new ByteArrayContent(payload);
            content.Headers.ContentEncoding.Add("aes128gcm");
            using var request = H2(HttpMethod.Post, endpoint, content);
            if (ttl is not null) request.Headers.TryAddWithoutValidation("TTL", ttl);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await _h2.SendAsync(request);
            return (int)response.StatusCode;
        }
        var wrongOrigin = signer.AuthorizationFor(new Uri("https://push.example.net/x"));
        var noDelimiter = body.ToArray();
        noDelimiter[^20] ^= 0xFF; // tamper with the record: it no longer decrypts to ...0x02

        Assert.Equal(201, await Send(body, "60", signer.AuthorizationFor(endpoint)));
        Assert.Equal(400, await Send(body, null, signer.AuthorizationFor(endpoint)));
        Assert.Equal(401, await Send(body, "60", "WebPush abc"));
        Assert.Equal(403, await Send(body, "60", wrongOrigin));
        Assert.Equal(403, await Send(body, "60", farSigner.AuthorizationFor(endpoint)));
        Assert.Equal(403, await Send(body, "60", pastSigner.AuthorizationFor(endpoint)));
        Assert.Equal(400, await Send(noDelimiter, "60", signer.AuthorizationFor(endpoint)));
        Assert.Equal(413, await Send(new byte[4097], "60", signer.AuthorizationFor(endpoint)));
        Assert.Equal(1, _sandbox.State.WebPush.Accepted);
    }

    [Fact]
    public async Task Web_push_requires_the_0x02_delimiter_on_the_final_record()
    {
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        using var sender = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var salt = RandomNumberGenerator.GetBytes(16);
        var body = WebPushEncryption.Encrypt("hello"u8, WebPushEncryption.RawPublicKey(ua), auth, sender, salt);
        // re-encrypt "hello" || 0x01 (a non-final delimiter) with the same keys: it must be refused
        var (cek, nonce) = WebPushEncryption.DeriveKeys(sender.DeriveRawSecretAgreement(ua.PublicKey), auth, WebPushEncryption.RawPublicKey(ua), WebPushEncryption.RawPublicKey(sender), salt);
        using (var aes = new AesGcm(cek, 16))
            aes.Encrypt(nonce, [.. "hello"u8, 0x01], body.AsSpan(86, 6), body.AsSpan(92, 16));

        Assert.Null(WebPushEncryption.Decrypt(body, ua, auth, out var problem));
        Assert.Contains("0x02", problem);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Counters_recent_messages_knobs_and_helpers_are_reachable_over_http()
    {
        using var control = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        var account = await (await control.PostAsync("sandbox/fcm/service-accounts?projectId=over-http", null)).Content.ReadAsStringAsync();
        var keyResponse = await control.PostAsJsonAsync("sandbox/apns/keys", new { bundleId = "com.example.http" });
        Assert.True(keyResponse.IsSuccessStatusCode, $"{keyResponse.StatusCode} {await keyResponse.Content.ReadAsStringAsync()}");
        var key = await keyResponse.Content.ReadFromJsonAsync<SandboxApnsKey>(JsonSerializerOptions.Web);
        var subscription = await (await control.PostAsJsonAsync("sandbox/webpush/subscriptions", new { })).Content.ReadFromJsonAsync<JsonElement>();
        (await control.PostAsJsonAsync("sandbox/knobs", new { provider = "fcm", latencyMs = 1, tooManyRequestsShare = 0.0 })).EnsureSuccessStatusCode();
        (await control.PostAsJsonAsync("sandbox/fail", new { provider = "fcm", token = "dead", status = 404, reason = "UNREGISTERED" })).EnsureSuccessStatusCode();

        using var clients = new SandboxClients(_sandbox);
        var fcm = PushConsole.Sending.Providers.Fcm.FcmClient.Create(new HttpClient(Http2Transport.CreateHandler(clients.Options)), account, clients.Options, TimeProvider.System);
        Assert.True((await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("alive")))).IsSent);
        Assert.Equal(ProviderOutcome.DeadToken, (await fcm.SendAsync(SandboxClients.Alert(2, PushTarget.Fcm("dead")))).Outcome);
        Assert.True((await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("alive")))).IsSent); // a duplicate delivery

        var stats = await control.GetFromJsonAsync<JsonElement>("sandbox/stats");
        var messages = await control.GetFromJsonAsync<JsonElement>("sandbox/messages?provider=fcm");
        var describe = await control.GetFromJsonAsync<JsonElement>("sandbox/");

        Assert.Equal("com.example.http", key!.BundleId);
        Assert.StartsWith("http://", subscription.GetProperty("endpoint").GetString());
        var fcmStats = stats.GetProperty("fcm");
        Assert.Equal((2, 1, 1), (fcmStats.GetProperty("accepted").GetInt64(), fcmStats.GetProperty("uniqueDeliveryIds").GetInt64(), fcmStats.GetProperty("duplicates").GetInt64()));
        Assert.Equal(1, fcmStats.GetProperty("refused").GetProperty("404 UNREGISTERED").GetInt64());
        Assert.Equal(3, messages.GetArrayLength());
        Assert.Equal(_sandbox.CertificateSha256, describe.GetProperty("certificateSha256").GetString());
    }

    [Fact]
    public async Task More_concurrent_sends_than_the_stream_limit_open_more_connections()
    {
        using var clients = new SandboxClients(_sandbox);
        var fcm = clients.Fcm();
        _sandbox.State.Fcm.Latency = TimeSpan.FromMilliseconds(300);

        var results = await Task.WhenAll(Enumerable.Range(1, 250).Select(i => fcm.SendAsync(SandboxClients.Alert(i, PushTarget.Fcm($"t{i}")))));

        Assert.All(results, r => Assert.True(r.IsSent));
        Assert.True(_sandbox.State.Fcm.Stats().Connections >= 3, $"{_sandbox.State.Fcm.Stats().Connections} connections for 250 streams at 100 per connection");
    }

    private async Task<string> BearerAsync(string projectId)
    {
        var json = _sandbox.State.CreateServiceAccountJson(projectId);
        return await PushConsole.Sending.Providers.Fcm.FcmAccessTokens.FromServiceAccountJson(json).GetAsync(CancellationToken.None);
    }
}
