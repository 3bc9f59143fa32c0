using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;

namespace PushConsole.Shared;

/// <summary>
/// CPU seconds spent in each stage of sending (audience read and planning, outbox write, claim, targets, outcome write,
/// follow-ups, statistics), for the per-stage breakdown of the million (docs/BENCHMARKS.md). Measured as the calling
/// thread's CPU time around synchronous work (SQLite runs on the caller's thread), per batch, never per message.
/// </summary>
public static class StageCpu
{
    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<double> Seconds = Meter.CreateCounter<double>("pushconsole.dispatch.stage.cpu", "s",
        "CPU time of the calling thread in each stage of sending (launch_read, launch_write, claim, targets, outcome_write, follow_ups, statistics).");
    private static bool _supported = OperatingSystem.IsLinux();

    public const string MeterName = "PushConsole.Stages";

    /// <summary>Starts measuring a stage; dispose (or <see cref="Timer.Stop"/>) to add its CPU time.</summary>
    public static Timer Start(string stage) => new(stage, Now(), Environment.CurrentManagedThreadId);

    public readonly struct Timer(string stage, long startedNs, int thread) : IDisposable
    {
        public void Dispose() => Stop();

        public void Stop()
        {
            // a stage that resumed on another thread (a truly asynchronous call, e.g. on PostgreSQL) cannot be measured this way
            if (startedNs < 0 || thread != Environment.CurrentManagedThreadId) return;
            var now = Now();
            if (now >= startedNs) Seconds.Add((now - startedNs) / 1e9, new KeyValuePair<string, object?>("stage", stage));
        }
    }

    /// <summary>This thread's CPU time in nanoseconds (-1 where unsupported).</summary>
    private static long Now()
    {
        if (!_supported) return -1;
        try
        {
            return clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // a libc without the call must never stop sending: the stages just go unmeasured
            _supported = false;
            return -1;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe blocks in the whole project for one blittable call
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054
}
