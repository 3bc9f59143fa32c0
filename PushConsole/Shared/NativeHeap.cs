using System.Runtime.InteropServices;

namespace PushConsole.Shared;

/// <summary>
/// Caps glibc's malloc arenas at two, as <c>MALLOC_ARENA_MAX=2</c> would. A thread that meets a busy arena gets its own
/// (up to 8 per core), and each keeps what SQLite and OpenSSL freed in it: 30–40 MB of the million's peak RSS on two
/// cores (docs/BENCHMARKS.md, issue 20). An operator's own MALLOC_ARENA_MAX wins; other C libraries are left alone.
/// Even two arenas keep what was freed inside them (only their top is given back): <see cref="NativeHeapTrimmer"/> returns it.
/// </summary>
public static class NativeHeap
{
    public const int Arenas = 2;
    private const int ArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Call first in Main, before the thread pool's threads allocate; true when glibc took the limit.</summary>
    public static bool LimitArenas(string[] args)
    {
        // the sandbox verb stays as the peers were measured against it
        if (args is ["sandbox", ..] || !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return false;
        try { return mallopt(ArenaMax, Arenas) == 1; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>Gives the free pages inside glibc's arenas back to the system; false where there is no glibc.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { malloc_trim(0); return true; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe blocks in the whole project for one blittable call
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
}

/// <summary>
/// Trims the native heap about once a second. glibc gives back only the top of an arena, so the pages SQLite's statements,
/// OpenSSL and the runtime free in its middle stay resident: 30–50 MB of the 50–60 MB native heap in the million
/// (docs/BENCHMARKS.md, sixth round), for under 1 ms a trim. A trim walks every free chunk holding its arena's lock, so in
/// a large, fragmented heap it is slow (seconds in the test suite's 3 GB process): the next one waits a hundred times as
/// long as the last took, which keeps trimming under 1 % of a core. One per process: the heap is the process's.
/// </summary>
public sealed class NativeHeapTrimmer(TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    public const int CostFactor = 100;
    private static int s_running;

    /// <summary>How long to wait after a trim that took <paramref name="took"/>.</summary>
    public static TimeSpan Pause(TimeSpan took) => TimeSpan.FromTicks(Math.Max(Every.Ticks, took.Ticks * CostFactor));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.CompareExchange(ref s_running, 1, 0) != 0) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = clock.GetTimestamp();
                if (!NativeHeap.Trim()) return;
                await Task.Delay(Pause(clock.GetElapsedTime(started)), clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) { }
        finally { Volatile.Write(ref s_running, 0); }
    }
}
