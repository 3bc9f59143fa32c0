using Microsoft.Extensions.Time.Testing;
using PushConsole.Api;

namespace PushConsole.Tests.Shared;

/// <summary>A page's live count: one count of the last input after the pause, a replaced count cancelled and never overlapping the next.</summary>
public sealed class LiveCountTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Changes_within_the_pause_count_only_the_last_input_once_the_pause_has_passed()
    {
        var clock = new FakeTimeProvider();
        using var live = new LiveCount<string>(clock, Pause);
        var counted = new List<string>();
        Func<CancellationToken, Task<string>> Count(string input) => _ =>
        {
            lock (counted) counted.Add(input);
            return Task.FromResult(input);
        };

        var typed = new[] { "a", "ab", "abc" }.Select(input => live.RequestAsync(Count(input))).ToList();
        Assert.True(live.Counting);
        lock (counted) Assert.Empty(counted);
        clock.Advance(Pause);

        // a replaced request answers null: the page keeps what it shows until the last one answers
        Assert.Equal(["replaced", "replaced", "abc"], (await Task.WhenAll(typed).WaitAsync(Bound)).Select(r => r ?? "replaced"));
        Assert.Equal(["abc"], counted);
        Assert.False(live.Counting);
    }

    [Fact]
    public async Task A_change_cancels_the_running_count_through_its_token()
    {
        using var live = new LiveCount<string>(TimeProvider.System, TimeSpan.Zero);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = live.RequestAsync(async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "old";
        });
        await started.Task.WaitAsync(Bound);

        var second = live.RequestAsync(_ => Task.FromResult("new"));

        Assert.Null(await first.WaitAsync(Bound));
        Assert.Equal("new", await second.WaitAsync(Bound));
        Assert.False(live.Counting);
    }

    [Fact]
    public async Task The_next_count_starts_only_once_the_replaced_one_has_stopped()
    {
        using var live = new LiveCount<string>(TimeProvider.System, TimeSpan.Zero);
        var running = 0;
        var most = 0;
        void Enter() => InterlockedMax(ref most, Interlocked.Increment(ref running));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = live.RequestAsync(async _ =>
        {
            Enter();
            started.SetResult();
            // ignores its token, as a statement the database cannot stop: it ends when the next count overlaps it, or after a while
            await Task.WhenAny(secondEntered.Task, Task.Delay(TimeSpan.FromSeconds(1)));
            Interlocked.Decrement(ref running);
            return "old";
        });
        await started.Task.WaitAsync(Bound);

        var second = live.RequestAsync(_ =>
        {
            Enter();
            secondEntered.TrySetResult();
            Interlocked.Decrement(ref running);
            return Task.FromResult("new");
        });

        Assert.Null(await first.WaitAsync(Bound));
        Assert.Equal("new", await second.WaitAsync(Bound));
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task Bad_input_of_the_latest_count_reaches_the_page()
    {
        using var live = new LiveCount<string>(TimeProvider.System, TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<BadInputException>(() => live.RequestAsync(_ => throw new BadInputException("rules.root", "Fix it.")));
        Assert.Contains("rules.root", e.Errors.Keys);
        Assert.False(live.Counting);
    }

    [Fact]
    public async Task A_disposed_live_count_counts_nothing_more()
    {
        var live = new LiveCount<string>(TimeProvider.System, Pause);
        var pending = live.RequestAsync(_ => Task.FromResult("late"));
        live.Dispose();

        Assert.Null(await pending.WaitAsync(Bound));
        Assert.Null(await live.RequestAsync(_ => Task.FromResult("after"), now: true));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
