using PushConsole.Campaigns.AbTest;

namespace PushConsole.Tests.Campaigns.AbTest;

public sealed class WinnerSelectionTests
{
    private static VariantResult V(string key, long sent, long opened, bool control = false) => new(key, control, sent, sent, opened, opened, 0);

    [Fact]
    public void The_two_proportion_test_matches_the_textbook_values()
    {
        // 60/200 vs 30/200: pooled p = 0.225, se = 0.04176, z = 3.592, p ≈ 0.00033
        var (z, p) = WinnerSelection.TwoProportion(60, 200, 30, 200);
        Assert.Equal(3.592, z, 3);
        Assert.InRange(p, 0.0003, 0.0004);
        Assert.Equal(0.975, WinnerSelection.NormalCdf(1.959964), 5);
        Assert.Equal((0, 1), WinnerSelection.TwoProportion(0, 0, 3, 10));
    }

    [Fact]
    public void The_best_variant_wins_only_when_it_opened_significantly_more_than_every_other()
    {
        var clear = WinnerSelection.Decide([V("A", 200, 30), V("B", 200, 60), V("control", 0, 0, control: true)], "A");
        Assert.Equal("B", clear.Winner);
        Assert.True(clear.Significant);
        Assert.Contains("B opened significantly more (B 30.0 % opened vs A 15.0 %", clear.Because);

        // B beats A clearly but not C: the default goes to the rest
        var close = WinnerSelection.Decide([V("A", 200, 30), V("B", 200, 60), V("C", 200, 52)], "A");
        Assert.Equal("A", close.Winner);
        Assert.False(close.Significant);
        Assert.Contains("No variant opened significantly more", close.Because);

        var tiny = WinnerSelection.Decide([V("A", 10, 1), V("B", 10, 3)], "A");
        Assert.Equal("A", tiny.Winner);

        var none = WinnerSelection.Decide([V("A", 0, 0), V("B", 0, 0)], "B");
        Assert.Equal("B", none.Winner);
        Assert.Contains("No test push was sent", none.Because);
    }
}
