using PushConsole.Sending.Launch;
using System.Diagnostics;
using Dapper;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Tests.Cli;

namespace PushConsole.Tests.Operations;

/// <summary>A rolling deploy: SIGTERM to the real process in the middle of a campaign, then a new process finishes it.</summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const int Recipients = 8_000;

    [Fact]
    public async Task Sigterm_mid_campaign_then_restart_reaches_every_recipient_exactly_once()
    {
        var data = TempFolder.Create("pushconsole-sigterm");
        await using var sandbox = await PushConsole.Sandbox.SandboxHost.StartAsync();
        // slow answers keep many requests in flight when the signal arrives
        sandbox.State.Fcm.Latency = sandbox.State.Apns.Latency = sandbox.State.WebPush.Latency = TimeSpan.FromMilliseconds(150);
        try
        {
            long campaignId;
            await using (var s = await DispatchScenario.StartAsync(o => { o.DataDirectory = data; o.Args.Add("--Dispatch:WorkerEnabled=false"); }, sandbox))
            {
                await s.RegisterAsync(android: 5_000, ios: 2_500, web: 500);
                var campaign = await s.SendAsync(name: "Deploy during me");
                await s.Host.Get<CampaignLauncher>().WhenIdleAsync();
                campaignId = campaign.Id;
            }

            string[] args = ["--urls=http://127.0.0.1:0", .. sandbox.ProviderArgs(), .. DispatchScenario.FastDispatch, "--Dispatch:MaxInFlight=1500"];
            using (var process = Process.Start(PushConsoleProcess.StartInfo(data, args))!)
            {
                var log = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                var until = DateTime.UtcNow.AddMinutes(2);
                while (Accepted(sandbox) < 2_000 && DateTime.UtcNow < until && !process.HasExited) await Task.Delay(10);
                Assert.False(process.HasExited, "the product exited by itself");
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await kill.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await process.WaitForExitAsync(timeout.Token);
                output.WriteLine((await log).Split('\n').TakeLast(15).Aggregate("", (a, l) => a + l + "\n"));
                Assert.Equal(0, process.ExitCode);
            }
            var atStop = Accepted(sandbox);
            Assert.InRange(atStop, 2_000, Recipients - 1);

            // it wrote what it knew: nothing is left leased to the stopped process
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "pushconsole.db")}"))
            {
                var inFlight = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE status = @inFlight", new { inFlight = (int)DeliveryStatus.InFlight });
                var sent = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE status = @sent", new { sent = (int)DeliveryStatus.Sent });
                Assert.Equal(0, inFlight);
                Assert.Equal(atStop, sent);
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            await using (var host = await AppHost.StartAsync(o =>
                         {
                             o.DataDirectory = data;
                             o.Args.AddRange(sandbox.ProviderArgs());
                             o.Args.AddRange(DispatchScenario.FastDispatch);
                         }))
                await DispatchScenario.WaitForAsync(host, campaignId, CampaignStatus.Completed, TimeSpan.FromMinutes(3));

            var stats = sandbox.State.Providers.Select(p => p.Stats()).ToList();
            output.WriteLine($"SIGTERM after {atStop} accepted; in the end {stats.Sum(s => s.UniqueDeliveryIds)} unique, {stats.Sum(s => s.Duplicates)} twice");
            Assert.Equal(Recipients, stats.Sum(s => s.UniqueDeliveryIds));
            Assert.Equal(0, stats.Sum(s => s.Duplicates));
            Assert.Equal(Recipients, Accepted(sandbox));
        }
        finally { TempFolder.Delete(data); }
    }

    private static long Accepted(PushConsole.Sandbox.SandboxHost sandbox) => sandbox.State.Providers.Sum(p => p.Accepted);
}
