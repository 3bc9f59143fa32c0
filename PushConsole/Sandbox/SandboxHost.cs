using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace PushConsole.Sandbox;

/// <summary>
/// The provider side of the push protocols on its own Kestrel server (loopback): used by the demo,
/// by tests (real HTTP against real protocol checks) and by the benchmark.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, SandboxState state, Uri baseAddress)
    {
        _app = app;
        State = state;
        BaseAddress = baseAddress;
    }

    public SandboxState State { get; }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    public static async Task<SandboxHost> StartAsync(string url = "http://127.0.0.1:0", TimeProvider? clock = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "PushConsole.Sandbox" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var state = new SandboxState(clock ?? TimeProvider.System);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        OAuthTokenEndpoint.Map(app);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var baseAddress = new Uri(address.TrimEnd('/') + "/");
        state.TokenUri = new Uri(baseAddress, "token");
        return new SandboxHost(app, state, baseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
