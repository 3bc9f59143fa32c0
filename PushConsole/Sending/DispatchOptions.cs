using System.ComponentModel.DataAnnotations;

namespace PushConsole.Sending;

/// <summary>Settings of the send worker (section <c>Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Rows claimed per round trip.</summary>
    [Range(1, 20_000)] public int ClaimBatchSize { get; set; } = 2000;
    /// <summary>Claimed rows in memory at most (sending or waiting for a lane).</summary>
    [Range(1, 100_000)] public int MaxInFlight { get; set; } = 6000;
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
    [Range(1, 20_000)] public int OutcomeBatchSize { get; set; } = 2000;
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Rows written per transaction by a launch.</summary>
    [Range(100, 100_000)] public int LaunchBatchSize { get; set; } = 5000;
    /// <summary>On shutdown (SIGTERM), how long requests already sent may take to finish before they are cancelled and released.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>How often scheduled campaigns are checked for their launch trigger (and given it back when it is missing).</summary>
    public TimeSpan ScheduleRepairInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Set false on an instance that should only serve the console and APIs.</summary>
    public bool WorkerEnabled { get; set; } = true;
}
