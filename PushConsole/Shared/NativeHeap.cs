using System.Runtime.InteropServices;

namespace PushConsole.Shared;

/// <summary>
/// Caps glibc's malloc arenas at two, as <c>MALLOC_ARENA_MAX=2</c> would. A thread that meets a busy arena gets its own
/// (up to 8 per core), and each keeps what SQLite and OpenSSL freed in it: 30–40 MB of the million's peak RSS on two
/// cores (docs/BENCHMARKS.md, issue 20). An operator's own MALLOC_ARENA_MAX wins; other C libraries are left alone.
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

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe blocks in the whole project for one blittable call
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
#pragma warning restore SYSLIB1054
}
