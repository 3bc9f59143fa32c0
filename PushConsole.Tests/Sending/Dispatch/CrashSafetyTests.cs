using System.Diagnostics;
using Dapper;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Tests.Cli;
using PushConsole.Sending.Launch;

namespace PushConsole.Tests.Sending.Dispatch;

/// <summary>A real OS kill of the product's process in the middle of a campaign, then a restart.</summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int MaxInFlight = 1000;

    [Fact]
    public async Task A_killed_process_resumes_after_restart_losing_nothing_and_resending_at_most_the_in_flight_window()
    {
        var data = TempFolder.Create("pushconsole-kill");
        await using var sandbox = await PushConsole.Sandbox.SandboxHost.StartAsync();
        sandbox.State.Fcm.Latency = sandbox.State.Apns.Latency = sandbox.State.WebPush.Latency = TimeSpan.FromMilliseconds(5);
        try
        {
            long campaignId;
            // 1. seed 20,000 installations and launch a campaign, with sending switched off
            await using (var s = await DispatchScenario.StartAsync(o => { o.DataDirectory = data; o.Args.Add("--Dispatch:WorkerEnabled=false"); }, sandbox))
            {
                await s.RegisterAsync(android: 12_000, ios: 7_000, web: 1_000);
                var campaign = await s.SendAsync(name: "Kill me");
                await s.Host.Get<CampaignLauncher>().WhenIdleAsync();
                campaignId = campaign.Id;
                Assert.Equal(20_000, (await s.Host.Get<CampaignService>().GetAsync(campaignId)).AudienceSize);
            }

            // 2. the real executable sends until about a third is out, then dies without warning
            string[] args = ["--urls=http://127.0.0.1:0", .. sandbox.ProviderArgs(), .. DispatchScenario.FastDispatch, $"--Dispatch:MaxInFlight={MaxInFlight}"];
            using (var process = Process.Start(PushConsoleProcess.StartInfo(data, args))!)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                var until = DateTime.UtcNow.AddMinutes(2);
                while (Accepted(sandbox) < 6_000 && DateTime.UtcNow < until && !process.HasExited) await Task.Delay(10);
                Assert.False(process.HasExited, "the product exited by itself");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            var atKill = Accepted(sandbox);
            Assert.InRange(atKill, 6_000, 19_000);

            // 3. restart: it picks up where it stopped
            await using (var host = await AppHost.StartAsync(o =>
                         {
                             o.DataDirectory = data;
                             o.Args.AddRange(sandbox.ProviderArgs());
                             o.Args.AddRange(DispatchScenario.FastDispatch);
                         }))
            {
                await DispatchScenario.WaitForAsync(host, campaignId, CampaignStatus.Completed, TimeSpan.FromMinutes(3));
                await using var connection = await host.Get<Database>().OpenAsync();
                var sent = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE campaign_id = @campaignId AND status = @sent",
                    new { campaignId, sent = (int)DeliveryStatus.Sent });
                Assert.Equal(20_000, sent);
            }

            var stats = sandbox.State.Providers.Select(p => p.Stats()).ToList();
            var unique = stats.Sum(s => s.UniqueDeliveryIds);
            var duplicates = stats.Sum(s => s.Duplicates);
            output.WriteLine($"killed after {atKill} accepted; after restart: {unique} unique deliveries, {duplicates} sent twice (in-flight window at most {MaxInFlight})");
            Assert.Equal(20_000, unique);
            Assert.InRange(duplicates, 0, MaxInFlight);
        }
        finally { TempFolder.Delete(data); }
    }

    private static long Accepted(PushConsole.Sandbox.SandboxHost sandbox) => sandbox.State.Providers.Sum(p => p.Accepted);
}
