using System.Text.Json;
using PushConsole.Sending.Providers;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Sending.Providers;

public sealed class FcmClientTests : IAsyncLifetime
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
    public async Task An_alert_is_sent_with_strings_in_data_a_duration_ttl_and_the_delivery_id()
    {
        var fcm = _clients.Fcm("event-app");
        var message = SandboxClients.Alert(4711, PushTarget.Fcm("fcm-token-1")) with
        {
            TimeToLive = TimeSpan.FromHours(2), CollapseId = "keynote", Priority = PushPriority.High,
            Content = new PushContent
            {
                Title = "Keynote moved", Body = "Hall B", ImageUrl = "https://cdn.example.com/k.png", Link = "eventapp://sessions/42",
                ChannelId = "program_changes", Icon = "ic_stat", Sound = "default", Badge = 3, Data = new Dictionary<string, string> { ["sessionId"] = "s-42" },
            },
        };

        var result = await fcm.SendAsync(message);

        Assert.Equal(ProviderOutcome.Sent, result.Outcome);
        Assert.StartsWith("projects/event-app/messages/0:", result.MessageId);
        Assert.Equal(200, result.Answer.StatusCode);
        Assert.Equal("HTTP/2", result.Answer.HttpVersion);
        var sent = Assert.Single(_sandbox.State.Fcm.Recent());
        Assert.Equal("HTTP/2", sent.Protocol);
        Assert.Equal(4711, sent.DeliveryId);
        var json = JsonDocument.Parse(sent.Payload!).RootElement.GetProperty("message");
        Assert.Equal("fcm-token-1", json.GetProperty("token").GetString());
        Assert.Equal("Keynote moved", json.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("https://cdn.example.com/k.png", json.GetProperty("notification").GetProperty("image").GetString());
        Assert.Equal("4711", json.GetProperty("data").GetProperty("deliveryId").GetString());
        Assert.Equal("eventapp://sessions/42", json.GetProperty("data").GetProperty("link").GetString());
        Assert.Equal("s-42", json.GetProperty("data").GetProperty("sessionId").GetString());
        var android = json.GetProperty("android");
        Assert.Equal("7200s", android.GetProperty("ttl").GetString());
        Assert.Equal("HIGH", android.GetProperty("priority").GetString());
        Assert.Equal("keynote", android.GetProperty("collapse_key").GetString());
        Assert.Equal("program_changes", android.GetProperty("notification").GetProperty("channel_id").GetString());
    }

    [Fact]
    public async Task A_background_push_carries_data_only_at_normal_priority()
    {
        var fcm = _clients.Fcm();
        var message = SandboxClients.Alert(5, PushTarget.Fcm("fcm-token-bg")) with { Type = PushType.Background, Priority = PushPriority.Normal };

        var result = await fcm.SendAsync(message);

        Assert.True(result.IsSent, result.ToString());
        var json = JsonDocument.Parse(_sandbox.State.Fcm.Recent().Single().Payload!).RootElement.GetProperty("message");
        Assert.False(json.TryGetProperty("notification", out _));
        Assert.False(json.GetProperty("android").TryGetProperty("notification", out _));
        Assert.Equal("NORMAL", json.GetProperty("android").GetProperty("priority").GetString());
        Assert.Equal("5", json.GetProperty("data").GetProperty("deliveryId").GetString());
    }

    [Fact]
    public async Task One_oauth_token_serves_many_sends()
    {
        var fcm = _clients.Fcm();

        var results = await Task.WhenAll(Enumerable.Range(1, 300).Select(i => fcm.SendAsync(SandboxClients.Alert(i, PushTarget.Fcm($"token-{i}")))));

        Assert.All(results, r => Assert.Equal(ProviderOutcome.Sent, r.Outcome));
        Assert.Equal(1, _sandbox.State.TokensIssued);
        Assert.Equal(1, _sandbox.State.FcmAccessTokensUsed);
        Assert.Equal(300, _sandbox.State.Fcm.Stats().UniqueDeliveryIds);
    }

    [Fact]
    public async Task A_busy_client_spreads_its_sends_over_the_configured_connections_with_one_oauth_token_and_a_quiet_one_keeps_one()
    {
        using var clients = new SandboxClients(_sandbox, configure: o => o.Fcm.Connections = 4);
        var fcm = clients.Fcm();
        Assert.True((await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("quiet-1")))).IsSent);
        Assert.True((await fcm.SendAsync(SandboxClients.Alert(2, PushTarget.Fcm("quiet-2")))).IsSent);
        Assert.Equal(1, _sandbox.State.Fcm.Stats().Connections);

        // held in flight together: one handler would carry 200 streams on two connections (FCM's 100 each), the pool on four
        _sandbox.State.Fcm.Latency = TimeSpan.FromMilliseconds(300);
        var results = await Task.WhenAll(Enumerable.Range(10, 200).Select(i => fcm.SendAsync(SandboxClients.Alert(i, PushTarget.Fcm($"busy-{i}")))));

        Assert.All(results, r => Assert.True(r.IsSent, r.ToString()));
        // one handler would use 2; a handler may open one more while its first connection's SETTINGS are still on the way
        Assert.InRange(_sandbox.State.Fcm.Stats().Connections, 4, 8);
        Assert.Equal(202, _sandbox.State.Fcm.Stats().UniqueDeliveryIds);
        Assert.Equal((1, 1), (_sandbox.State.TokensIssued, _sandbox.State.FcmAccessTokensUsed));
    }

    [Fact]
    public async Task A_stale_oauth_token_is_refreshed_once_and_the_send_goes_through()
    {
        var fcm = _clients.Fcm();
        Assert.True((await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("t1")))).IsSent);
        _sandbox.State.RevokeAccessTokens();

        var results = await Task.WhenAll(Enumerable.Range(2, 20).Select(i => fcm.SendAsync(SandboxClients.Alert(i, PushTarget.Fcm($"t{i}")))));

        Assert.All(results, r => Assert.Equal(ProviderOutcome.Sent, r.Outcome));
        Assert.Equal(2, _sandbox.State.TokensIssued);
    }

    public static TheoryData<string?, int, ProviderOutcome> Refusals() => new()
    {
        { "UNREGISTERED", 404, ProviderOutcome.DeadToken },
        { "SENDER_ID_MISMATCH", 403, ProviderOutcome.DeadToken },
        { "INVALID_ARGUMENT", 400, ProviderOutcome.DeadToken },
        { "UNAVAILABLE", 503, ProviderOutcome.RetryLater },
        { "INTERNAL", 500, ProviderOutcome.RetryLater },
        { "QUOTA_EXCEEDED", 429, ProviderOutcome.RetryLater },
        { "THIRD_PARTY_AUTH_ERROR", 401, ProviderOutcome.CredentialProblem },
        { null, 401, ProviderOutcome.CredentialProblem },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Every_fcm_error_maps_to_its_outcome(string? errorCode, int status, ProviderOutcome expected)
    {
        var fcm = _clients.Fcm();
        _sandbox.State.Fcm.Fail("bad-token", new SandboxFailure(status, errorCode, RetryAfterSeconds: 7));

        var result = await fcm.SendAsync(SandboxClients.Alert(9, PushTarget.Fcm("bad-token")));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(status, result.Answer.StatusCode);
        Assert.Contains($"\"code\":{status}", result.Answer.Body);
        Assert.Equal(errorCode ?? "UNAUTHENTICATED", result.Reason);
        if (expected == ProviderOutcome.RetryLater)
            Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Equal(errorCode == "QUOTA_EXCEEDED", result.SlowDownLane);
    }

    [Fact]
    public async Task A_quota_error_without_retry_after_waits_at_least_a_minute()
    {
        var fcm = _clients.Fcm();
        _sandbox.State.Fcm.Fail("quota-token", new SandboxFailure(429, "QUOTA_EXCEEDED"));

        var result = await fcm.SendAsync(SandboxClients.Alert(10, PushTarget.Fcm("quota-token")));

        Assert.Equal(ProviderOutcome.RetryLater, result.Outcome);
        Assert.True(result.SlowDownLane);
        Assert.Equal(TimeSpan.FromMinutes(1), result.RetryAfter);
    }

    [Fact]
    public async Task Only_a_plain_401_is_retried_with_a_new_token_third_party_auth_errors_are_not()
    {
        var fcm = _clients.Fcm();
        _sandbox.State.Fcm.Fail("apns-broken", new SandboxFailure(401, "THIRD_PARTY_AUTH_ERROR"));
        _sandbox.State.Fcm.Fail("plain-401", new SandboxFailure(401));

        await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("apns-broken")));
        Assert.Equal(1, _sandbox.State.TokensIssued);
        await fcm.SendAsync(SandboxClients.Alert(2, PushTarget.Fcm("plain-401")));
        Assert.Equal(2, _sandbox.State.TokensIssued);
    }

    [Fact]
    public async Task Overload_from_the_service_says_retry_later_and_quota_slows_the_lane()
    {
        var fcm = _clients.Fcm();
        _sandbox.State.Fcm.TooManyRequestsShare = 1;
        _sandbox.State.Fcm.RetryAfterSeconds = 90;

        var quota = await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("t")));
        _sandbox.State.Fcm.TooManyRequestsShare = 0;
        _sandbox.State.Fcm.UnavailableShare = 1;
        var unavailable = await fcm.SendAsync(SandboxClients.Alert(2, PushTarget.Fcm("t")));

        Assert.Equal((ProviderOutcome.RetryLater, true, TimeSpan.FromSeconds(90)), (quota.Outcome, quota.SlowDownLane, quota.RetryAfter));
        Assert.Equal((ProviderOutcome.RetryLater, false, TimeSpan.FromSeconds(90)), (unavailable.Outcome, unavailable.SlowDownLane, unavailable.RetryAfter));
    }

    [Fact]
    public async Task Payload_problems_are_caught_before_sending()
    {
        var fcm = _clients.Fcm();
        var big = SandboxClients.Alert(1, PushTarget.Fcm("t")) with { Content = new PushContent { Title = "x", Body = new string('é', 2100) } };
        var reserved = SandboxClients.Alert(2, PushTarget.Fcm("t")) with { Content = new PushContent { Data = new Dictionary<string, string> { ["google.sent_time"] = "1" } } };

        var tooLarge = await fcm.SendAsync(big);
        var rejected = await fcm.SendAsync(reserved);

        Assert.Equal((ProviderOutcome.PayloadTooLarge, "PayloadTooLarge"), (tooLarge.Outcome, tooLarge.Reason));
        Assert.Equal((ProviderOutcome.PayloadRejected, "ReservedDataKey"), (rejected.Outcome, rejected.Reason));
        Assert.Null(tooLarge.Answer.StatusCode);
        Assert.Equal(0, _sandbox.State.Fcm.Stats().Requests);
    }

    [Fact]
    public async Task A_token_for_another_project_is_a_credential_problem_not_a_dead_token()
    {
        var json = _sandbox.State.CreateServiceAccountJson("project-a");
        var otherProject = json.Replace("\"project_id\":\"project-a\"", "\"project_id\":\"project-b\"");
        var fcm = PushConsole.Sending.Providers.Fcm.FcmClient.Create(new HttpClient(PushConsole.Sending.Providers.Http2Transport.CreateHandler(_clients.Options))
            { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact }, otherProject, _clients.Options, TimeProvider.System);

        var result = await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("t")));

        Assert.Equal((ProviderOutcome.CredentialProblem, "PERMISSION_DENIED"), (result.Outcome, result.Reason));
    }

    [Fact]
    public async Task A_refused_service_account_is_a_credential_problem()
    {
        var untrusted = TestKeys.NewServiceAccount(_sandbox.State.TokenUri!.ToString()).Json;
        var fcm = PushConsole.Sending.Providers.Fcm.FcmClient.Create(new HttpClient(), untrusted, _clients.Options, TimeProvider.System);

        var result = await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("t")));

        Assert.Equal((ProviderOutcome.CredentialProblem, "oauth_invalid_grant"), (result.Outcome, result.Reason));
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_means_retry_later()
    {
        using var impatient = new SandboxClients(_sandbox, configure: o => o.RequestTimeoutSeconds = 1);
        var fcm = impatient.Fcm();
        _sandbox.State.Fcm.Latency = TimeSpan.FromSeconds(3);

        var result = await fcm.SendAsync(SandboxClients.Alert(1, PushTarget.Fcm("t")));

        Assert.Equal((ProviderOutcome.RetryLater, "timeout"), (result.Outcome, result.Reason));
    }
}
