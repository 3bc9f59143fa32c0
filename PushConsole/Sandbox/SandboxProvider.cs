using System.Collections.Concurrent;

namespace PushConsole.Sandbox;

/// <summary>A refusal the sandbox is told to give for one token: HTTP status and the provider's reason (FCM errorCode, APNs reason).</summary>
public sealed record SandboxFailure(int Status, string? Reason = null, int? RetryAfterSeconds = null);

/// <summary>One request the sandbox answered, for tests, the demo and <c>GET /sandbox/messages</c>.</summary>
public sealed record SandboxMessage(
    long Sequence, string Provider, DateTimeOffset At, int Status, string? Reason, string Target, long? DeliveryId,
    string? Payload, IReadOnlyDictionary<string, string> Headers, string Protocol, string ConnectionId);

/// <summary>Counters of one provider: accepted pushes, unique delivery ids and duplicates, refusals by reason.</summary>
public sealed record SandboxProviderStats(
    long Requests, long Accepted, long UniqueDeliveryIds, long Duplicates, long Connections, IReadOnlyDictionary<string, long> Refused);

/// <summary>
/// The knobs, counters and recent messages of one simulated provider (FCM, APNs or Web Push).
/// Knobs can change while the sandbox runs (code, or <c>POST /sandbox/knobs</c>).
/// </summary>
public sealed class SandboxProvider(string name, TimeProvider clock)
{
    public const int RecentCapacity = 1000;
    private readonly ConcurrentDictionary<string, SandboxFailure> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, byte> _deliveryIds = new();
    private readonly ConcurrentDictionary<string, byte> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SandboxMessage> _recent = new();
    private long _requests, _accepted, _duplicates, _sequence;

    public string Name => name;

    /// <summary>Raised for every answered request (the demo's simulated devices react to the pushes they get).</summary>
    public event Action<SandboxMessage>? Answered;

    /// <summary>Added before every answer (real network and provider latency).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Share (0–1) of requests answered 429 with Retry-After.</summary>
    public double TooManyRequestsShare { get; set; }

    /// <summary>Share (0–1) of requests answered 503 with Retry-After.</summary>
    public double UnavailableShare { get; set; }

    /// <summary>Retry-After (seconds) on injected 429/503 answers.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Answers this token with <paramref name="failure"/> from now on (a dead token, an auth error…).</summary>
    public void Fail(string token, SandboxFailure failure) => _failures[token] = failure;

    public void Heal(string token) => _failures.TryRemove(token, out _);

    internal SandboxFailure? FailureFor(string token) => _failures.GetValueOrDefault(token);

    /// <summary>Draws whether this request gets an injected 429 or 503 (null: answer normally).</summary>
    internal int? DrawOverload()
    {
        var draw = Random.Shared.NextDouble();
        if (draw < TooManyRequestsShare) return 429;
        if (draw < TooManyRequestsShare + UnavailableShare) return 503;
        return null;
    }

    internal async Task DelayAsync(CancellationToken ct)
    {
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, ct);
    }

    internal void Record(HttpContext context, int status, string? reason, string target, long? deliveryId, string? payload, IReadOnlyDictionary<string, string> headers)
    {
        Interlocked.Increment(ref _requests);
        _connections.TryAdd(context.Connection.Id, 0);
        if (status is >= 200 and < 300)
        {
            Interlocked.Increment(ref _accepted);
            if (deliveryId is { } id && !_deliveryIds.TryAdd(id, 0)) Interlocked.Increment(ref _duplicates);
        }
        else
        {
            _refused.AddOrUpdate($"{status} {reason}".Trim(), 1, (_, n) => n + 1);
        }
        var message = new SandboxMessage(Interlocked.Increment(ref _sequence), name, clock.GetUtcNow(), status, reason, target, deliveryId,
            payload, headers, context.Request.Protocol, context.Connection.Id);
        _recent.Enqueue(message);
        while (_recent.Count > RecentCapacity && _recent.TryDequeue(out _)) { }
        // an observer's failure must not turn into a provider error
        try { Answered?.Invoke(message); }
        catch (Exception) { }
    }

    public long Accepted => Interlocked.Read(ref _accepted);

    public SandboxProviderStats Stats() => new(
        Interlocked.Read(ref _requests), Interlocked.Read(ref _accepted), _deliveryIds.Count, Interlocked.Read(ref _duplicates),
        _connections.Count, new SortedDictionary<string, long>(_refused, StringComparer.Ordinal));

    /// <summary>The last requests, oldest first (at most <see cref="RecentCapacity"/>).</summary>
    public IReadOnlyList<SandboxMessage> Recent(int limit = RecentCapacity) => [.. _recent.TakeLast(limit)];

    /// <summary>Clears counters and recent messages (knobs and injected failures stay).</summary>
    public void ResetCounters()
    {
        _deliveryIds.Clear();
        _connections.Clear();
        _refused.Clear();
        _recent.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _accepted, 0);
        Interlocked.Exchange(ref _duplicates, 0);
    }
}
