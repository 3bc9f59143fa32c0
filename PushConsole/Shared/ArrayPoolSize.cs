using System.Buffers;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace PushConsole.Shared;

/// <summary>
/// Sizes the runtime's shared byte-array pool before anything uses it. .NET's HTTP/2 client rents a 32 KB header buffer for
/// every request and holds it until the connection's writer has sent it, so a few hundred concurrent pushes outnumber the
/// default 32 pooled arrays per core: each miss allocated a new one (30 GB of garbage for the million, half of it these
/// buffers, and most of the collections; docs/BENCHMARKS.md, issue 20). The runtime reads the limit from the environment
/// once, at first use of the pool, so it is set when this module loads; an operator's own value is left alone.
/// </summary>
public static class ArrayPoolSize
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Arrays kept per size and per core: 2 × 128 header buffers of 32 KB are 8 MB at most, against ~150 MB/s of garbage.</summary>
    public const int ArraysPerCore = 128;

#pragma warning disable CA2255 // an application's own initializer: it must run before the host touches the pool
    [ModuleInitializer]
    internal static void BeforeFirstUse()
#pragma warning restore CA2255
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Environment.SetEnvironmentVariable(Variable, ArraysPerCore.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The limit the runtime took (null where this runtime keeps it elsewhere), for the start-up log.</summary>
    public static int? Effective() =>
        typeof(ArrayPool<byte>).Assembly.GetType("System.Buffers.SharedArrayPoolStatics")
            ?.GetField("s_maxArraysPerPartition", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as int?;
}
