using System.Runtime.InteropServices;
using PushConsole.Shared;

namespace PushConsole.Tests.Shared;

/// <summary>The arena cap reaches glibc on this machine, and stays off for the sandbox and where the operator set one; a trim gives freed pages back.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void Glibc_takes_the_arena_limit_except_for_the_sandbox_verb()
    {
        // the product's machines (Debian, glibc); an operator's own MALLOC_ARENA_MAX is theirs to keep
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        Assert.True(NativeHeap.LimitArenas(["serve"]));
        Assert.False(NativeHeap.LimitArenas(["sandbox", "--urls", "http://127.0.0.1:0"]));
    }

    [Fact]
    public void A_trim_gives_back_the_pages_freed_in_the_middle_of_an_arena()
    {
        if (!OperatingSystem.IsLinux()) return;
        // 32 MB in 64 KB blocks (under malloc's mmap threshold, so inside an arena), written, then all freed but the last:
        // the last keeps the arena's top in place, so glibc alone would keep every freed page resident
        const int blocks = 512, size = 64 * 1024;
        var memory = new IntPtr[blocks];
        for (var i = 0; i < blocks; i++)
        {
            memory[i] = Marshal.AllocHGlobal(size);
            for (var offset = 0; offset < size; offset += 4096) Marshal.WriteByte(memory[i], offset, 1);
        }
        try
        {
            // the middle of the freed run: other threads' small allocations land at its edges, not here
            var first = memory[blocks / 4];
            var length = (nuint)(size * (blocks / 2));
            for (var i = 0; i < blocks - 1; i++) Marshal.FreeHGlobal(memory[i]);
            var before = ResidentShare(first, length);

            Assert.True(NativeHeap.Trim());

            var after = ResidentShare(first, length);
            Assert.True(before > 0.9, $"{before:P0} of the freed pages were resident before the trim");
            Assert.True(after < 0.1, $"{after:P0} of the freed pages are still resident after the trim");
        }
        finally
        {
            Marshal.FreeHGlobal(memory[blocks - 1]);
        }
    }

    /// <summary>The share of the pages in [start, start + length) that are in memory (mincore).</summary>
    private static double ResidentShare(IntPtr start, nuint length)
    {
        const long page = 4096;
        var from = (start.ToInt64() + page - 1) & ~(page - 1);
        var pages = (int)(((long)length - (from - start.ToInt64())) / page);
        var resident = new byte[pages];
        Assert.Equal(0, mincore(new IntPtr(from), (nuint)(pages * page), resident));
        return resident.Count(b => (b & 1) == 1) / (double)pages;
    }

#pragma warning disable SYSLIB1054 // one blittable call, no unsafe blocks in the tests
    [DllImport("libc", SetLastError = true)]
    private static extern int mincore(IntPtr start, nuint length, byte[] vector);
#pragma warning restore SYSLIB1054
}
