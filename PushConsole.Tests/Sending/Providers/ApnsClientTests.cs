using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Sending.Providers;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Sending.Providers;

public sealed class ApnsClientTests : IAsyncLifetime
{
    private const string Bundle = "com.example.eventapp";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    private SandboxHost _sandbox = default!;
    private SandboxClients _clients = default!;
    private SandboxApnsKey _key = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { Clock = _clock });
        _clients = new SandboxClients(_sandbox, clock: _clock);
        _key = _sandbox.State.CreateApnsKey(Bundle);
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _sandbox.DisposeAsync();
    }

    private string Device(ApnsEnvironment environment = ApnsEnvironment.Production) => _sandbox.State.NewApnsDeviceToken(environment);

    [Fact]
    public async Task An_alert_goes_out_with_its_headers_aps_and_the_delivery_id_as_apns_id()
    {
        using var apns = _clients.Apns(_key);
        var message = SandboxClients.Alert(77, PushTarget.Apns(Device(), ApnsEnvironment.Production)) with
        {
            TimeToLive = TimeSpan.FromHours(1), CollapseId = "keynote",
            Content = new PushContent
            {
                Title = "Keynote moved", Body = "Hall B", Sound = "default", Badge = 2, ThreadId = "program", Category = "SESSION",
                ImageUrl = "https://cdn.example.com/k.png", Link = "eventapp://s/42", Data = new Dictionary<string, string> { ["sessionId"] = "s-42" },
            },
        };

        var result = await apns.SendAsync(message);

        Assert.Equal(ProviderOutcome.Sent, result.Outcome);
        Assert.Equal("00000000-0000-4000-8000-00000000004d", result.MessageId);
        Assert.Equal(77, DeliveryIds.FromApnsId(result.MessageId));
        Assert.Equal("HTTP/2", result.Answer.HttpVersion);
        var sent = Assert.Single(_sandbox.State.Apns.Recent());
        Assert.Equal(("alert", "10", Bundle, "keynote"), (sent.Headers["apns-push-type"], sent.Headers["apns-priority"], sent.Headers["apns-topic"], sent.Headers["apns-collapse-id"]));
        Assert.Equal(_clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(), sent.Headers["apns-expiration"]);
        var payload = JsonDocument.Parse(sent.Payload!).RootElement;
        var aps = payload.GetProperty("aps");
        Assert.Equal("Keynote moved", aps.GetProperty("alert").GetProperty("title").GetString());
        Assert.Equal(2, aps.GetProperty("badge").GetInt32());
        Assert.Equal("program", aps.GetProperty("thread-id").GetString());
        Assert.Equal("SESSION", aps.GetProperty("category").GetString());
        Assert.Equal(1, aps.GetProperty("mutable-content").GetInt32());
        Assert.False(aps.TryGetProperty("content-available", out _));
        Assert.Equal(77, payload.GetProperty("deliveryId").GetInt64());
        Assert.Equal("s-42", payload.GetProperty("sessionId").GetString());
        Assert.Equal("eventapp://s/42", payload.GetProperty("link").GetString());
    }

    [Fact]
    public async Task A_background_push_is_content_available_at_priority_5_without_alert()
    {
        using var apns = _clients.Apns(_key);

        var result = await apns.SendAsync(SandboxClients.Alert(8, PushTarget.Apns(Device(), ApnsEnvironment.Production)) with { Type = PushType.Background });

        Assert.True(result.IsSent, result.ToString());
        var sent = _sandbox.State.Apns.Recent().Single();
        Assert.Equal(("background", "5"), (sent.Headers["apns-push-type"], sent.Headers["apns-priority"]));
        var aps = JsonDocument.Parse(sent.Payload!).RootElement.GetProperty("aps");
        Assert.Equal(1, aps.GetProperty("content-available").GetInt32());
        Assert.False(aps.TryGetProperty("alert", out _));
        Assert.False(aps.TryGetProperty("sound", out _));
    }

    [Fact]
    public async Task One_provider_token_serves_a_thousand_sends()
    {
        using var apns = _clients.Apns(_key);
        var devices = Enumerable.Range(0, 1000).Select(_ => Device()).ToArray();

        var results = await Task.WhenAll(devices.Select((token, i) => apns.SendAsync(SandboxClients.Alert(i + 1, PushTarget.Apns(token, ApnsEnvironment.Production)))));

        Assert.All(results, r => Assert.Equal(ProviderOutcome.Sent, r.Outcome));
        Assert.Equal(1, apns.Token.Minted);
        Assert.Equal(1, _sandbox.State.ApnsProviderTokensSeen);
        Assert.Equal(1000, _sandbox.State.Apns.Stats().UniqueDeliveryIds);
    }

    [Fact]
    public async Task A_busy_client_shards_its_sends_over_the_configured_connections_and_a_quiet_one_keeps_one()
    {
        using var clients = new SandboxClients(_sandbox, clock: _clock, configure: o => o.Apns.Connections = 3);
        using var apns = clients.Apns(_key);
        Assert.True((await apns.SendAsync(SandboxClients.Alert(1, PushTarget.Apns(Device(), ApnsEnvironment.Production)))).IsSent);
        Assert.True((await apns.SendAsync(SandboxClients.Alert(2, PushTarget.Apns(Device(), ApnsEnvironment.Production)))).IsSent);
        Assert.Equal(1, _sandbox.State.Apns.Stats().Connections);

        var devices = Enumerable.Range(0, 600).Select(_ => Device()).ToArray();
        var results = await Task.WhenAll(devices.Select((token, i) => apns.SendAsync(SandboxClients.Alert(i + 10, PushTarget.Apns(token, ApnsEnvironment.Production)))));

        Assert.All(results, r => Assert.Equal(ProviderOutcome.Sent, r.Outcome));
        Assert.Equal(3, _sandbox.State.Apns.Stats().Connections);
        Assert.Equal(602, _sandbox.State.Apns.Stats().UniqueDeliveryIds);
        Assert.Equal(1, apns.Token.Minted);
    }

    [Fact]
    public async Task The_token_is_renewed_after_50_minutes_and_apns_accepts_the_new_one_on_the_same_connection()
    {
        using var apns = _clients.Apns(_key);
        Assert.True((await apns.SendAsync(SandboxClients.Alert(1, PushTarget.Apns(Device(), ApnsEnvironment.Production)))).IsSent);
        _clock.Advance(TimeSpan.FromMinutes(49));
        Assert.True((await apns.SendAsync(SandboxClients.Alert(2, PushTarget.Apns(Device(), ApnsEnvironment.Production)))).IsSent);
        Assert.Equal(1, apns.Token.Minted);
        _clock.Advance(TimeSpan.FromMinutes(2));

        var result = await apns.SendAsync(SandboxClients.Alert(3, PushTarget.Apns(Device(), ApnsEnvironment.Production)));

        Assert.True(result.IsSent, result.ToString());
        Assert.Equal(2, apns.Token.Minted);
        Assert.Equal(2, _sandbox.State.ApnsProviderTokensSeen);
        Assert.Equal(1, _sandbox.State.Apns.Stats().Connections);
    }

    [Fact]
    public async Task A_dead_token_gets_410_with_the_millisecond_timestamp()
    {
        using var apns = _clients.Apns(_key);
        var token = Device();
        _sandbox.State.Apns.Fail(token, new SandboxFailure(410, "Unregistered"));

        var result = await apns.SendAsync(SandboxClients.Alert(5, PushTarget.Apns(token, ApnsEnvironment.Production)));

        Assert.Equal((ProviderOutcome.DeadToken, "Unregistered"), (result.Outcome, result.Reason));
        Assert.Equal(_clock.GetUtcNow(), result.TokenInvalidSince);
        Assert.Contains($"\"timestamp\":{_clock.GetUtcNow().ToUnixTimeMilliseconds()}", result.Answer.Body);
    }

    [Fact]
    public async Task The_environment_picks_the_host_and_a_token_on_the_wrong_host_is_a_bad_device_token()
    {
        using var production = _clients.Apns(_key, ApnsEnvironment.Production);
        using var development = _clients.Apns(_key, ApnsEnvironment.Sandbox);
        var devToken = Device(ApnsEnvironment.Sandbox);

        var right = await development.SendAsync(SandboxClients.Alert(1, PushTarget.Apns(devToken, ApnsEnvironment.Sandbox)));
        var wrong = await production.SendAsync(SandboxClients.Alert(2, PushTarget.Apns(devToken, ApnsEnvironment.Production)));

        Assert.True(right.IsSent, right.ToString());
        Assert.Contains("apns-unique-id", right.Answer.Headers); // development only
        Assert.NotEqual("00000000-0000-4000-8000-000000000001", right.MessageId);
        Assert.Equal((ProviderOutcome.DeadToken, "BadDeviceToken"), (wrong.Outcome, wrong.Reason));
    }

    public static TheoryData<int, string, ProviderOutcome> Reasons() => new()
    {
        { 410, "ExpiredToken", ProviderOutcome.DeadToken },
        { 400, "DeviceTokenNotForTopic", ProviderOutcome.Failed },
        { 429, "TooManyRequests", ProviderOutcome.RetryLater },
        { 500, "InternalServerError", ProviderOutcome.RetryLater },
        { 503, "Shutdown", ProviderOutcome.RetryLater },
        { 403, "Forbidden", ProviderOutcome.CredentialProblem },
        { 413, "PayloadTooLarge", ProviderOutcome.PayloadTooLarge },
        { 400, "BadExpirationDate", ProviderOutcome.PayloadRejected },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public async Task Every_apns_reason_maps_to_its_outcome(int status, string reason, ProviderOutcome expected)
    {
        using var apns = _clients.Apns(_key);
        var token = Device();
        _sandbox.State.Apns.Fail(token, new SandboxFailure(status, reason, RetryAfterSeconds: 30));

        var result = await apns.SendAsync(SandboxClients.Alert(3, PushTarget.Apns(token, ApnsEnvironment.Production)));

        Assert.Equal((expected, reason, status), (result.Outcome, result.Reason, result.Answer.StatusCode));
        Assert.Equal(expected == ProviderOutcome.RetryLater ? TimeSpan.FromSeconds(30) : null, result.RetryAfter);
    }

    [Fact]
    public async Task A_key_apns_does_not_know_or_a_topic_it_does_not_cover_is_a_credential_problem()
    {
        var stranger = new SandboxApnsKey(TestKeys.NewP8(), "UNKNOWN123", _key.TeamId, Bundle);
        var otherApp = _key with { BundleId = "com.example.other" };
        using var unknown = _clients.Apns(stranger);
        using var wrongTopic = _clients.Apns(otherApp);

        var a = await unknown.SendAsync(SandboxClients.Alert(1, PushTarget.Apns(Device(), ApnsEnvironment.Production)));
        var b = await wrongTopic.SendAsync(SandboxClients.Alert(2, PushTarget.Apns(Device(), ApnsEnvironment.Production)));

        Assert.Equal((ProviderOutcome.CredentialProblem, "InvalidProviderToken", 403), (a.Outcome, a.Reason, a.Answer.StatusCode));
        Assert.Equal((ProviderOutcome.CredentialProblem, "TopicDisallowed", 400), (b.Outcome, b.Reason, b.Answer.StatusCode));
    }

    [Fact]
    public async Task A_token_older_than_an_hour_by_apns_clock_is_refused_as_expired_and_never_a_dead_token()
    {
        using var apns = _clients.Apns(_key);
        var late = new FakeTimeProvider(_clock.GetUtcNow().AddMinutes(61));
        await using var lateSandbox = await SandboxHost.StartAsync(new SandboxOptions { Clock = late });
        lateSandbox.State.RegisterApnsKey(_key.KeyId, _key.TeamId, PublicKey(_key.P8), [Bundle]);
        using var lateClients = new SandboxClients(lateSandbox, clock: _clock);
        using var client = lateClients.Apns(_key);

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.Apns(Device(), ApnsEnvironment.Production)));

        Assert.Equal((ProviderOutcome.CredentialProblem, "ExpiredProviderToken"), (result.Outcome, result.Reason));
    }

    [Fact]
    public async Task Overload_means_retry_after_what_apns_said()
    {
        using var apns = _clients.Apns(_key);
        _sandbox.State.Apns.UnavailableShare = 1;
        _sandbox.State.Apns.RetryAfterSeconds = 12;

        var result = await apns.SendAsync(SandboxClients.Alert(1, PushTarget.Apns(Device(), ApnsEnvironment.Production)));

        Assert.Equal((ProviderOutcome.RetryLater, "ServiceUnavailable", TimeSpan.FromSeconds(12)), (result.Outcome, result.Reason, result.RetryAfter));
    }

    [Fact]
    public async Task Too_large_payloads_and_long_collapse_ids_are_caught_before_sending()
    {
        using var apns = _clients.Apns(_key);
        var target = PushTarget.Apns(Device(), ApnsEnvironment.Production);

        var large = await apns.SendAsync(SandboxClients.Alert(1, target, body: new string('x', 4100)));
        var collapse = await apns.SendAsync(SandboxClients.Alert(2, target) with { CollapseId = new string('c', 65) });
        var fits = await apns.SendAsync(SandboxClients.Alert(3, target, body: new string('x', 3900)));

        Assert.Equal(ProviderOutcome.PayloadTooLarge, large.Outcome);
        Assert.Equal((ProviderOutcome.PayloadRejected, "BadCollapseId"), (collapse.Outcome, collapse.Reason));
        Assert.True(fits.IsSent, fits.ToString());
        Assert.Equal(1, _sandbox.State.Apns.Stats().Requests);
    }

    [Fact]
    public async Task Over_tls_the_client_trusts_exactly_the_pinned_sandbox_certificate()
    {
        using var tls = new SandboxClients(_sandbox, tls: true, clock: _clock);
        using var unpinned = new SandboxClients(_sandbox, tls: true, clock: _clock, configure: o => o.TrustedCertificateSha256.Clear());
        using var apns = tls.Apns(_key);
        using var untrusting = unpinned.Apns(_key);

        var result = await apns.SendAsync(SandboxClients.Alert(1, PushTarget.Apns(Device(), ApnsEnvironment.Production)));
        var refused = await untrusting.SendAsync(SandboxClients.Alert(2, PushTarget.Apns(Device(), ApnsEnvironment.Production)));

        Assert.True(result.IsSent, result.ToString());
        Assert.Equal("HTTP/2", result.Answer.HttpVersion);
        Assert.StartsWith("https://", tls.Options.Apns.ProductionUrl);
        Assert.Equal((ProviderOutcome.RetryLater, "connection_failed"), (refused.Outcome, refused.Reason));
    }

    private static System.Security.Cryptography.ECDsa PublicKey(string p8)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(p8);
        var publicKey = System.Security.Cryptography.ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return publicKey;
    }
}
