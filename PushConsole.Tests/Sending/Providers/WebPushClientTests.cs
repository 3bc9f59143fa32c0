using System.Text.Json;
using PushConsole.Sending.Providers;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Sending.Providers;

public sealed class WebPushClientTests : IAsyncLifetime
{
    private SandboxHost _sandbox = default!;
    private SandboxClients _clients = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync();
        _clients = new SandboxClients(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_push_is_encrypted_signed_and_decrypted_by_the_subscriber()
    {
        using var client = _clients.WebPush(out var vapidKey);
        var subscription = _sandbox.State.CreateWebPushSubscription(vapidKey);
        var message = SandboxClients.Alert(31, PushTarget.WebPush(subscription)) with
        {
            TimeToLive = TimeSpan.FromMinutes(10), CollapseId = "keynote-room", Priority = PushPriority.Normal,
            Content = new PushContent { Title = "Keynote moved", Body = "Hall B", Link = "https://event.example.com/s/42", Icon = "https://event.example.com/i.png" },
        };

        var result = await client.SendAsync(message);

        Assert.Equal(ProviderOutcome.Sent, result.Outcome);
        Assert.Equal(201, result.Answer.StatusCode);
        Assert.Contains("/m/", result.MessageId);
        var received = Assert.Single(_sandbox.State.WebPush.Recent());
        Assert.Equal("HTTP/2", received.Protocol);
        Assert.Equal(("600", "normal", "keynote-room", "aes128gcm"), (received.Headers["ttl"], received.Headers["urgency"], received.Headers["topic"], received.Headers["content-encoding"]));
        var json = JsonDocument.Parse(received.Payload!).RootElement;
        Assert.Equal(31, json.GetProperty("deliveryId").GetInt64());
        Assert.Equal("Keynote moved", json.GetProperty("title").GetString());
        Assert.Equal("https://event.example.com/s/42", json.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_collapse_id_that_is_not_a_valid_topic_is_left_out_and_ttl_defaults_to_four_weeks()
    {
        using var client = _clients.WebPush(out var vapidKey);
        var subscription = _sandbox.State.CreateWebPushSubscription(vapidKey);

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(subscription)) with { CollapseId = "room change: keynote!" });

        Assert.True(result.IsSent, result.ToString());
        var received = _sandbox.State.WebPush.Recent().Single();
        Assert.False(received.Headers.ContainsKey("topic"));
        Assert.Equal("2419200", received.Headers["ttl"]);
        Assert.Equal("high", received.Headers["urgency"]);
    }

    [Theory]
    [InlineData(true, "410")]
    [InlineData(false, "404")]
    public async Task A_gone_subscription_is_a_dead_token(bool gone, string reason)
    {
        using var client = _clients.WebPush(out var vapidKey);
        var subscription = _sandbox.State.CreateWebPushSubscription(vapidKey);
        _sandbox.State.ExpireWebPushSubscription(subscription, gone);

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(subscription)));

        Assert.Equal((ProviderOutcome.DeadToken, reason), (result.Outcome, result.Reason));
    }

    [Fact]
    public async Task A_subscription_the_service_never_issued_is_a_dead_token()
    {
        using var client = _clients.WebPush(out var vapidKey);
        var real = _sandbox.State.CreateWebPushSubscription(vapidKey);
        var unknown = real with { Endpoint = new Uri(_sandbox.Endpoints.WebPush, "push/never-issued").ToString() };

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(unknown)));

        Assert.Equal(ProviderOutcome.DeadToken, result.Outcome);
    }

    [Fact]
    public async Task Rate_limiting_says_retry_after_and_slows_the_lane()
    {
        using var client = _clients.WebPush(out var vapidKey);
        var subscription = _sandbox.State.CreateWebPushSubscription(vapidKey);
        _sandbox.State.WebPush.TooManyRequestsShare = 1;
        _sandbox.State.WebPush.RetryAfterSeconds = 20;

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(subscription)));

        Assert.Equal((ProviderOutcome.RetryLater, true, TimeSpan.FromSeconds(20)), (result.Outcome, result.SlowDownLane, result.RetryAfter));
    }

    [Fact]
    public async Task A_subscription_made_for_another_vapid_key_is_refused_as_a_credential_problem()
    {
        using var client = _clients.WebPush(out _);
        using var other = _clients.WebPush(out var otherKey);
        var subscription = _sandbox.State.CreateWebPushSubscription(otherKey);

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(subscription)));

        Assert.Equal((ProviderOutcome.CredentialProblem, 403), (result.Outcome, result.Answer.StatusCode));
    }

    [Fact]
    public async Task A_payload_over_3993_bytes_is_too_large_before_sending()
    {
        using var client = _clients.WebPush(out var vapidKey);
        var subscription = _sandbox.State.CreateWebPushSubscription(vapidKey);

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(subscription), body: new string('x', 3990)));

        Assert.Equal(ProviderOutcome.PayloadTooLarge, result.Outcome);
        Assert.Equal(0, _sandbox.State.WebPush.Stats().Requests);
    }

    [Fact]
    public async Task Broken_subscription_keys_are_a_dead_token_without_a_request()
    {
        using var client = _clients.WebPush(out _);
        var broken = new WebPushSubscription(new Uri(_sandbox.Endpoints.WebPush, "push/x").ToString(), "not-a-key", "short");

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(broken)));

        Assert.Equal((ProviderOutcome.DeadToken, "BadSubscription"), (result.Outcome, result.Reason));
    }

    [Fact]
    public async Task Over_tls_the_vapid_audience_is_the_https_origin()
    {
        using var tls = new SandboxClients(_sandbox, tls: true);
        using var client = tls.WebPush(out var vapidKey);
        var subscription = _sandbox.State.CreateWebPushSubscription(vapidKey, tls: true);

        var result = await client.SendAsync(SandboxClients.Alert(1, PushTarget.WebPush(subscription)));

        Assert.StartsWith("https://", subscription.Endpoint);
        Assert.True(result.IsSent, result.ToString());
        Assert.Equal("HTTP/2", result.Answer.HttpVersion);
    }
}
