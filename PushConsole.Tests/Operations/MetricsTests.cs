using PushConsole.Sending;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using PushConsole.Campaigns;
using PushConsole.Devices;
using PushConsole.Operations;

namespace PushConsole.Tests.Operations;

/// <summary>/metrics: the dispatcher's own figures move with a real campaign to the sandbox; only allowed networks may read them.</summary>
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_show_the_dispatchers_counters_moving_during_a_sandbox_campaign()
    {
        await using var s = await DispatchScenario.StartAsync();
        s.Sandbox.State.WebPush.TooManyRequestsShare = 0.3;
        var devices = await s.RegisterAsync(android: 120, ios: 60, web: 40);
        using var client = s.Host.CreateClient();
        // the meter is process-wide and other tests may send at the same time: compare growth, never absolute values
        var before = Parse(await client.GetStringAsync("metrics"));

        var campaign = await s.SendAsync();
        await s.WaitForAsync(campaign.Id, CampaignStatus.Completed, TimeSpan.FromMinutes(2));
        await s.Host.Get<ClientEvents>().RecordAsync(s.App.Id,
            [new ClientEventRequest { InstallationId = devices[0].InstallationId, Type = ClientEventTypes.SessionStart }], isArray: false);
        await Task.Delay(1500); // the exporter may serve a cached scrape for a moment
        var after = Parse(await client.GetStringAsync("metrics"));

        double Grew(string name, params string[] labels) => Sum(after, name, labels) - Sum(before, name, labels);
        Assert.True(Grew("pushconsole_deliveries_total", "provider=\"fcm\"", "outcome=\"sent\"") >= 120);
        Assert.True(Grew("pushconsole_deliveries_total", "provider=\"apns\"", "outcome=\"sent\"") >= 60);
        Assert.True(Grew("pushconsole_deliveries_total", "provider=\"webpush\"", "outcome=\"sent\"") >= 40);
        Assert.True(Grew("pushconsole_provider_duration_seconds_count", "provider=\"fcm\"", "result=\"sent\"") >= 120);
        Assert.True(Grew("pushconsole_provider_throttled_total", "provider=\"webpush\"") >= 1);
        Assert.True(Grew("pushconsole_retries_total", "provider=\"webpush\"") >= 1);
        Assert.True(Grew("pushconsole_lane_pauses_total", "provider=\"webpush\"") >= 1);
        Assert.True(Grew("pushconsole_launch_duration_seconds_count", "result=\"done\"") >= 1);
        Assert.True(Grew("pushconsole_events_ingested_total", "type=\"session_start\"") >= 1);
        // the outbox gauge and the standard instrumentation are there too
        Assert.True(after.Any(m => m.Name == "pushconsole_outbox_deliveries" && m.Labels.Contains("state=\"due\"")),
            string.Join("\n", after.Where(m => m.Name.Contains("outbox", StringComparison.Ordinal))) + s.Host.Logs.Problems(5));
        Assert.Contains(after, m => m.Name.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));
        Assert.Contains(after, m => m.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_count_only_this_hosts_requests_and_outlive_another_host_in_the_process()
    {
        // the demo runs the provider sandbox as a second host in the process; the test suite runs many
        await using var host = await AppHost.StartAsync();
        using var client = host.CreateClient();
        var before = Parse(await client.GetStringAsync("metrics"));
        await using (var other = await AppHost.StartAsync())
        {
            using var otherClient = other.CreateClient();
            for (var i = 0; i < 20; i++) await otherClient.GetStringAsync("health/live");
        }
        // a metric whose instruments ended is exported once more, then dropped: scrape twice after the other host stopped
        await client.GetStringAsync("metrics");
        await Task.Delay(1500);
        var after = Parse(await client.GetStringAsync("metrics"));

        var served = Sum(after, "http_server_request_duration_seconds_count", []) - Sum(before, "http_server_request_duration_seconds_count", []);
        Assert.InRange(served, 1, 5); // its own scrapes, none of the other host's 20 probes
        Assert.Contains(after, m => m.Name == "kestrel_active_connections");
    }

    [Fact]
    public async Task Metrics_are_refused_to_addresses_outside_the_allowed_networks()
    {
        await using (var host = await AppHost.StartAsync())
        {
            using var client = host.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("metrics")).StatusCode);
            // through a reverse proxy on this machine: the client it names is not loopback
            using var proxied = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { { "X-Forwarded-For", "203.0.113.7" } } };
            var refused = await client.SendAsync(proxied);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Metrics:AllowedNetworks", await refused.Content.ReadAsStringAsync());
        }
        await using (var host = await AppHost.StartAsync(o => o.Args.Add("--Metrics:AllowedNetworks:0=10.0.0.0/8")))
        {
            using var client = host.CreateClient();
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("metrics")).StatusCode);
        }
    }

    [Fact]
    public void Network_check_matches_cidr_ranges_mapped_addresses_and_every_forwarded_hop()
    {
        var loopback = new MetricsOptions().Networks();
        Assert.True(loopback.Allows(IPAddress.Loopback));
        Assert.True(loopback.Allows(IPAddress.IPv6Loopback));
        Assert.True(loopback.Allows(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(loopback.Allows(IPAddress.Parse("10.1.2.3")));
        Assert.False(loopback.Allows((IPAddress?)null));

        var office = new MetricsOptions { AllowedNetworks = ["10.0.0.0/8", "2001:db8::/32"] }.Networks();
        Assert.True(office.Allows(IPAddress.Parse("10.200.0.1")));
        Assert.True(office.Allows(IPAddress.Parse("2001:db8::5")));
        Assert.False(office.Allows(IPAddress.Parse("11.0.0.1")));
        Assert.False(office.Allows(IPAddress.Loopback));

        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.2");
        Assert.True(office.Allows(context));
        context.Request.Headers["X-Forwarded-For"] = "10.9.9.9, 198.51.100.1";
        Assert.False(office.Allows(context));
        context.Request.Headers["X-Forwarded-For"] = "not an address";
        Assert.False(office.Allows(context));

        var invalid = new MetricsOptions { AllowedNetworks = ["10.0.0.0/33"] };
        Assert.Contains(invalid.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(invalid)), r => r.ErrorMessage!.Contains("Metrics:AllowedNetworks"));
    }

    private sealed record Sample(string Name, string Labels, double Value);

    private static List<Sample> Parse(string text) =>
        [.. text.Split('\n').Select(l => SampleLine().Match(l)).Where(m => m.Success)
            .Select(m => new Sample(m.Groups[1].Value, m.Groups[2].Value, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))];

    private static double Sum(List<Sample> samples, string name, string[] labels) =>
        samples.Where(s => s.Name == name && labels.All(s.Labels.Contains)).Sum(s => s.Value);

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([-+0-9.eE]+|NaN|\+Inf)(?: \d+)?$")]
    private static partial Regex SampleLine();
}
