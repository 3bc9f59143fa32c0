using PushConsole.Sandbox;

namespace PushConsole.Tests.Sending.Providers;

/// <summary>The <c>bench providers</c> command that docs/BENCHMARKS.md quotes: every push it times must be accepted by the sandbox.</summary>
public sealed class ProviderBenchmarkTests
{
    [Fact]
    public async Task Every_provider_client_gets_every_benchmark_push_accepted()
    {
        var settings = new ProviderBenchmark.Settings(["fcm", "apns", "webpush"], Count: 300, Concurrency: 64, Tls: true, ExternalSandbox: null) { ApnsConnections = 2, FcmConnections = 3 };

        var figures = await ProviderBenchmark.RunAsync(settings, TextWriter.Null, CancellationToken.None);

        Assert.Equal(["fcm", "apns", "webpush"], figures.Select(f => f.Provider));
        Assert.All(figures, f => Assert.Equal((300, 0), (f.Sent, f.Other)));
        Assert.All(figures, f => Assert.Equal(300, f.SandboxStats!.Value.GetProperty("uniqueDeliveryIds").GetInt64()));
        Assert.Equal((3, 2), (figures[0].Connections, figures[1].Connections));
    }
}
