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
        // the app hosts in this process run a trimmer too: it may trim between our free and our first look
        for (var attempt = 1; ; attempt++)
        {
            var (before, after) = FreeThenTrim();
            if (before < 0.9 && attempt < 3) continue;
            Assert.True(before >= 0.9, $"{before:P0} of the freed pages were resident before the trim");
            Assert.True(after < 0.1, $"{after:P0} of the freed pages are still resident after the trim");
            return;
        }
    }

    [Fact]
    public void A_slow_trim_waits_a_hundred_times_as_long_before_the_next()
    {
        // a fast trim keeps the second's rhythm; a slow one (a large, fragmented heap) stays under 1 % of a core
        Assert.Equal(TimeSpan.FromSeconds(1), NativeHeapTrimmer.Pause(TimeSpan.FromMilliseconds(0.5)));
        Assert.Equal(TimeSpan.FromSeconds(5), NativeHeapTrimmer.Pause(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.FromMinutes(5), NativeHeapTrimmer.Pause(TimeSpan.FromSeconds(3)));
    }

    /// <summary>
    /// 32 MB in 64 KB blocks (under malloc's mmap threshold, so inside an arena), written, then all freed but the last, which
    /// keeps the arena's top in place: glibc alone keeps every freed page resident. The resident share of the middle half of
    /// the blocks (other threads' small allocations land at the edges of the freed run), before and after <see cref="NativeHeap.Trim"/>.
    /// </summary>
    private static (double Before, double After) FreeThenTrim()
    {
        const int blocks = 512, size = 64 * 1024;
        var memory = new IntPtr[blocks];
        for (var i = 0; i < blocks; i++)
        {
            memory[i] = Marshal.AllocHGlobal(size);
            for (var offset = 0; offset < size; offset += 4096) Marshal.WriteByte(memory[i], offset, 1);
        }
        try
        {
            var middle = memory[(blocks / 4)..(blocks * 3 / 4)];
            for (var i = 0; i < blocks - 1; i++) Marshal.FreeHGlobal(memory[i]);
            var before = ResidentShare(middle, size);
            Assert.True(NativeHeap.Trim());
            return (before, ResidentShare(middle, size));
        }
        finally
        {
            Marshal.FreeHGlobal(memory[blocks - 1]);
        }
    }

    /// <summary>The share of the blocks' inner pages that are in memory (mincore); a block's first and last page may hold malloc's bookkeeping.</summary>
    private static double ResidentShare(IntPtr[] blocks, int size)
    {
        const long page = 4096;
        int resident = 0, total = 0;
        foreach (var block in blocks)
        {
            var from = ((block.ToInt64() + page - 1) & ~(page - 1)) + page;
            var pages = (int)((block.ToInt64() + size - page - from) / page);
            var vector = new byte[pages];
            Assert.Equal(0, mincore(new IntPtr(from), (nuint)(pages * page), vector));
            resident += vector.Count(b => (b & 1) == 1);
            total += pages;
        }
        return resident / (double)total;
    }

#pragma warning disable SYSLIB1054 // one blittable call, no unsafe blocks in the tests
    [DllImport("libc", SetLastError = true)]
    private static extern int mincore(IntPtr start, nuint length, byte[] vector);
#pragma warning restore SYSLIB1054
}
