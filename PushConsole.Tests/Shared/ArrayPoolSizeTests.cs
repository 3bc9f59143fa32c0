using System.Diagnostics;
using PushConsole.Shared;
using PushConsole.Tests.Cli;

namespace PushConsole.Tests.Shared;

/// <summary>The product process sizes the shared array pool before the runtime first reads the limit (issue 20).</summary>
public sealed class ArrayPoolSizeTests
{
    [Fact]
    public async Task The_served_process_runs_with_the_larger_shared_array_pool()
    {
        var data = TempFolder.Create("pushconsole-pool");
        var info = PushConsoleProcess.StartInfo(data, "--urls=http://127.0.0.1:0");
        info.Environment.Remove(ArrayPoolSize.Variable);
        using var process = Process.Start(info)!;
        _ = process.StandardError.ReadToEndAsync();
        string? line = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } next)
            {
                if (next.Contains("Shared array pool", StringComparison.Ordinal)) { line = next; break; }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        // a pool sized too late logs the count it got instead, with a warning
        Assert.NotNull(line);
        Assert.Contains($"Shared array pool: {ArrayPoolSize.ArraysPerCore} arrays per size and core", line);
    }
}
