using System.Text.Json;
using PushConsole.Sandbox;
using PushConsole.Sending.Providers;
using PushConsole.Tests.Cli;

namespace PushConsole.Tests.Sending.Providers;

/// <summary>The app's process deepens ArrayPool.Shared before first use, so HTTP/2's per-stream buffers come from the pool.</summary>
public sealed class ProviderBuffersTests
{
    [Fact]
    public async Task The_app_process_deepens_the_shared_byte_pool_so_a_busy_fcm_client_allocates_far_less_per_push()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        var deep = await AllocatedPerPushAsync(sandbox, operatorValue: null);
        // an operator's own value wins: the runtime's default depth (32) brings the misses back
        var shallow = await AllocatedPerPushAsync(sandbox, operatorValue: "32");

        Assert.True(deep < 12_000, $"{deep:0} bytes allocated per push with the deeper pool");
        Assert.True(shallow > 2 * deep, $"{shallow:0} bytes per push at the default depth, {deep:0} deeper");
    }

    private static async Task<double> AllocatedPerPushAsync(SandboxHost sandbox, string? operatorValue)
    {
        var data = TempFolder.Create("pushconsole-buffers");
        try
        {
            var info = PushConsoleProcess.StartInfo(data, "bench", "providers", "--provider", "fcm", "--tls", "--sandbox", sandbox.BaseAddress.ToString(),
                "--count", "4000", "--concurrency", "256", "--json");
            if (operatorValue is not null) info.Environment[ProviderBuffers.Variable] = operatorValue;
            var (code, output, error) = await PushConsoleProcess.RunAsync(info);
            Assert.True(code == 0, error);
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            Assert.Equal(4000, json.RootElement.GetProperty("clientOk").GetInt32());
            return json.RootElement.GetProperty("allocatedBytesPerMessage").GetDouble();
        }
        finally
        {
            TempFolder.Delete(data);
        }
    }
}
