using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Dispatch;

/// <summary>
/// One lane per app × provider × APNs environment: a bound on concurrent requests, a pause a 429 sets for the whole
/// lane (no request leaves before it runs out), and for FCM the project's per-minute quota.
/// </summary>
public sealed class Lanes(DispatchOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<LaneKey, Lane> _lanes = new();

    public Lane this[LaneKey key] => _lanes.GetOrAdd(key, k => new Lane(k, options, clock));

    /// <summary>Lanes paused now, for the claim to skip.</summary>
    public IReadOnlyCollection<LaneKey> Paused()
    {
        var now = clock.GetUtcNow();
        return _lanes.Values.Where(l => l.PausedUntil > now).Select(l => l.Key).ToArray();
    }

    /// <summary>When the first paused lane may send again (null when none is paused).</summary>
    public DateTimeOffset? EarliestResume()
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? earliest = null;
        foreach (var lane in _lanes.Values)
            if (lane.PausedUntil > now && (earliest is null || lane.PausedUntil < earliest)) earliest = lane.PausedUntil;
        return earliest;
    }
}

public sealed class Lane
{
    private readonly TimeProvider _clock;
    private long _pausedUntilTicks;

    internal Lane(LaneKey key, DispatchOptions options, TimeProvider clock)
    {
        Key = key;
        _clock = clock;
        Concurrency = new SemaphoreSlim(key.Provider switch
        {
            PushProvider.Fcm => options.FcmConcurrency,
            PushProvider.Apns => options.ApnsConcurrency,
            _ => options.WebPushConcurrency,
        });
        if (key.Provider == PushProvider.Fcm)
            // FCM counts messages per minute, so any minute may carry the whole quota: a campaign goes at full speed up to it
            // (a token bucket held it to a sixtieth of it each second). 61 one-second segments keep every 60 s, aligned or not, within it.
            Quota = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.FcmProjectPerMinute,
                Window = TimeSpan.FromSeconds(61),
                SegmentsPerWindow = 61,
                // nobody queues: a row the window refuses goes back to pending and the lane pauses (DispatchWorker)
                QueueLimit = 0,
                AutoReplenishment = true,
            });
    }

    public LaneKey Key { get; }

    public SemaphoreSlim Concurrency { get; }

    /// <summary>FCM's per-project messages-per-minute quota (600,000 by default).</summary>
    public RateLimiter? Quota { get; }

    public DateTimeOffset PausedUntil => new(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero);

    public bool IsPaused => PausedUntil > _clock.GetUtcNow();

    /// <summary>Extends the pause (never shortens it): the provider said slow down.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntilTicks);
            if (until.UtcTicks <= current) return;
        } while (Interlocked.CompareExchange(ref _pausedUntilTicks, until.UtcTicks, current) != current);
    }
}
