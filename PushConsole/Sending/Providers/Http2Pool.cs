namespace PushConsole.Sending.Providers;

/// <summary>
/// A few HTTP/2 clients that sends are spread over: each send goes to the one with the fewest in flight, the first one
/// on a tie, so a trickle keeps one connection and a burst uses all. One connection is one TLS stream and one frame loop
/// (and one lock) on each side; several let the streams of a busy client proceed side by side, as node-apn's pool does.
/// </summary>
/// <param name="owned">Whether disposing the pool disposes the clients.</param>
public sealed class Http2Pool(HttpClient[] clients, bool owned) : IDisposable
{
    private readonly HttpClient[] _clients = clients;
    // one counter per cache line: the counters of neighbouring clients are written from different threads on every send
    private const int Stride = 16;
    private readonly int[] _inFlight = new int[clients.Length * Stride];

    /// <summary>Sends over one client that someone else owns (tests, a shared pool).</summary>
    public static Http2Pool Over(HttpClient client) => new([client], owned: false);

    /// <summary><paramref name="connections"/> clients, each with its own handler.</summary>
    /// <param name="oneConnectionEach">
    /// Hold each handler to one connection (APNs: before Apple's SETTINGS arrive a burst would otherwise open several).
    /// Otherwise a handler opens another connection beyond the server's stream limit instead of queueing (FCM allows 100).
    /// </param>
    public static Http2Pool Create(int connections, ProvidersOptions options, bool oneConnectionEach)
    {
        var clients = new HttpClient[connections];
        for (var i = 0; i < clients.Length; i++)
        {
            var handler = Http2Transport.CreateHandler(options);
            handler.EnableMultipleHttp2Connections = !oneConnectionEach;
            clients[i] = Http2Transport.CreateClient(handler, options, disposeHandler: true);
        }
        return new Http2Pool(clients, owned: true);
    }

    public int Count => _clients.Length;

    /// <summary><see cref="ProviderHttp.SendAsync"/> on the client with the fewest sends in flight.</summary>
    public async Task<(HttpResponseMessage? Response, ProviderResult? Failure)> SendAsync(HttpRequestMessage request, PushProvider provider, CancellationToken ct)
    {
        if (_clients.Length == 1) return await ProviderHttp.SendAsync(_clients[0], request, provider, ct);
        var lane = LeastBusy();
        Interlocked.Increment(ref _inFlight[lane * Stride]);
        try { return await ProviderHttp.SendAsync(_clients[lane], request, provider, ct); }
        finally { Interlocked.Decrement(ref _inFlight[lane * Stride]); }
    }

    private int LeastBusy()
    {
        var best = 0;
        var fewest = Volatile.Read(ref _inFlight[0]);
        for (var i = 1; i < _clients.Length && fewest > 0; i++)
        {
            var n = Volatile.Read(ref _inFlight[i * Stride]);
            if (n < fewest) (best, fewest) = (i, n);
        }
        return best;
    }

    public void Dispose()
    {
        if (!owned) return;
        foreach (var client in _clients) client.Dispose();
    }
}
