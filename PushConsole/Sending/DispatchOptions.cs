using System.ComponentModel.DataAnnotations;

namespace PushConsole.Sending;

/// <summary>Settings of the send worker (section <c>Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Rows claimed per round trip (at most the free part of <see cref="MaxInFlight"/>): after a 429's pause, the burst a lane sends.</summary>
    [Range(1, 20_000)] public int ClaimBatchSize { get; set; } = 1000;
    /// <summary>
    /// Claimed rows in memory at most (sending, waiting for a lane or for their outcome's write). Rows that wait outlive
    /// two collections and churn the GC's oldest generation: 6,000 cost the million ≈ 90 MB of peak RSS and 6 s of GC
    /// pauses (issue 20). 1,000 at 50–100 ms a request still carries 10,000–20,000 sends a second (FCM's default quota is 10,000).
    /// </summary>
    [Range(1, 100_000)] public int MaxInFlight { get; set; } = 1000;
    /// <summary>Concurrent requests per lane (app × provider × environment).</summary>
    [Range(1, 10_000)] public int FcmConcurrency { get; set; } = 200;
    [Range(1, 10_000)] public int ApnsConcurrency { get; set; } = 1000;
    [Range(1, 10_000)] public int WebPushConcurrency { get; set; } = 200;
    /// <summary>Messages per minute per FCM project (Google's default quota).</summary>
    [Range(1, 100_000_000)] public int FcmProjectPerMinute { get; set; } = 600_000;
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(2);
    [Range(1, 100)] public int MaxAttempts { get; set; } = 8;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>A 429 without Retry-After pauses its lane this long.</summary>
    public TimeSpan DefaultLanePause { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Outcomes are written when this many are waiting, or after <see cref="FlushInterval"/>.</summary>
    [Range(1, 20_000)] public int OutcomeBatchSize { get; set; } = 500;
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Rows written per transaction by a launch.</summary>
    [Range(100, 100_000)] public int LaunchBatchSize { get; set; } = 1000;
    /// <summary>On shutdown (SIGTERM), how long requests already sent may take to finish before they are cancelled and released.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>How often scheduled campaigns are checked for their launch trigger (and given it back when it is missing).</summary>
    public TimeSpan ScheduleRepairInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Set false on an instance that should only serve the console and APIs.</summary>
    public bool WorkerEnabled { get; set; } = true;
}
