using System.Text.Json;

namespace PushConsole.Tests.Operations;

/// <summary>The built app carries the GC settings its million-recipient figures were measured with (docs/BENCHMARKS.md).</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void The_app_runs_a_workstation_GC_without_tiered_PGO_that_compacts_a_fragmented_oldest_generation()
    {
        // the build copies the app's runtimeconfig beside the tests; the runtime reads these properties at start
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PushConsole.runtimeconfig.json")));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.Equal(9, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }
}
