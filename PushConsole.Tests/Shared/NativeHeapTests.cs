using PushConsole.Shared;

namespace PushConsole.Tests.Shared;

/// <summary>The arena cap reaches glibc on this machine, and stays off for the sandbox and where the operator set one.</summary>
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
}
