using System.Globalization;

namespace PushConsole.Sending.Providers;

/// <summary>
/// A deeper shared byte pool for the provider clients. System.Net.Http rents a 32 KB header buffer (one frame and its header, rounded up)
/// and 16 KB response blocks per HTTP/2 stream from <c>ArrayPool&lt;byte&gt;.Shared</c>; with hundreds of sends in flight its default 32 arrays
/// per core run out and every miss is a new array (27 KB allocated per FCM push; 6 KB with 256, docs/BENCHMARKS.md).
/// </summary>
public static class ProviderBuffers
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
    public const int ArraysPerPartition = 256;

    /// <summary>Call first in Main: the runtime reads the variable once, when the pool is first used; an operator's own value wins.</summary>
    public static void DeepenSharedPool(string[] args)
    {
        // the sandbox verb stays as the peers were measured against it
        if (args is ["sandbox", ..]) return;
        if (Environment.GetEnvironmentVariable(Variable) is null)
            Environment.SetEnvironmentVariable(Variable, ArraysPerPartition.ToString(CultureInfo.InvariantCulture));
    }
}
