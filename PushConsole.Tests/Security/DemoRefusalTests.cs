using PushConsole.Sending.Launch;
using Dapper;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Tests.Cli;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>Issue 15 item 8: a demo refused on a database that has apps starts nothing: no delivery of a campaign in flight is leased.</summary>
public sealed class DemoRefusalTests : IDisposable
{
    private readonly string _data = TempFolder.Create("pushconsole-demo-refused");

    public void Dispose() => TempFolder.Delete(_data);

    [Fact]
    public async Task A_refused_demo_decides_before_starting_any_hosted_service()
    {
        // a campaign in flight: launched, its deliveries due, no worker has claimed them yet
        string before;
        await using (var host = await AppHost.StartAsync(o => { o.DataDirectory = _data; o.Args.Add("--Dispatch:WorkerEnabled=false"); }))
        {
            using var kit = await DeviceKit.CreateAsync(host, "Production app");
            for (var i = 0; i < 20; i++) await kit.RegisterAndroidAsync($"phone-{i}", DeviceKit.FcmToken($"phone-{i}"));
            using var api = kit.ServerClient();
            var sent = await api.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/push", """{"to": "all", "body": {"notification": {"alert": "Doors open"}}}"""));
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
            await host.Get<CampaignLauncher>().WhenIdleAsync();
            before = await DeliveriesAsync(host);
        }
        Assert.Contains("|0|", before); // unleased

        var demo = await PushConsoleProcess.RunAsync(_data, "demo", "--attendees", "10", "--urls", "http://127.0.0.1:0", $"--Data:Directory={_data}");
        Assert.Equal(2, demo.Code);
        Assert.Contains("has apps already", demo.Error);

        await using var after = await AppHost.StartAsync(o => { o.DataDirectory = _data; o.Args.Add("--Dispatch:WorkerEnabled=false"); });
        Assert.Equal(before, await DeliveriesAsync(after));
    }

    private static async Task<string> DeliveriesAsync(AppHost host)
    {
        await using var connection = await host.Get<Database>().OpenAsync();
        var rows = await connection.QueryAsync<(long Id, long Status, long Lease, string? Owner, long Attempts)>(
            "SELECT id, status, lease_until_ms, lease_owner, attempts FROM deliveries ORDER BY id");
        Assert.NotEmpty(rows);
        return string.Join("\n", rows.Select(r => $"{r.Id}|{r.Status}|{r.Lease}|{r.Owner}|{r.Attempts}"));
    }
}
