using PushConsole.Campaigns.AbTest;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns.Interactive;

public sealed class WinnerByMetricTests
{
    // A is opened more, B's buttons are tapped more; nobody converted
    private static readonly VariantResult[] Results =
    [
        new("A", false, 200, 200, Received: 200, Opened: 60, Awaiting: 0, Clicked: 10),
        new("B", false, 200, 200, Received: 200, Opened: 30, Awaiting: 0, Clicked: 40),
    ];

    [Fact]
    public void The_winner_follows_the_chosen_metric_with_the_same_two_proportion_test()
    {
        var byOpens = WinnerSelection.Decide(Results, "A", WinnerMetric.OpenRate);
        Assert.Equal(("A", true), (byOpens.Winner, byOpens.Significant));
        Assert.StartsWith("A opened significantly more", byOpens.Because);

        var byClicks = WinnerSelection.Decide(Results, "A", WinnerMetric.Ctr);
        Assert.Equal(("B", true), (byClicks.Winner, byClicks.Significant));
        Assert.StartsWith("B clicked significantly more (B 20.0 % clicked vs A 5.0 %", byClicks.Because);

        var byConversions = WinnerSelection.Decide(Results, "B", WinnerMetric.ConversionRate);
        Assert.Equal(("B", false), (byConversions.Winner, byConversions.Significant));
        Assert.StartsWith("No variant converted significantly more", byConversions.Because);
    }

    [Fact]
    public void Each_variants_figure_has_a_95_percent_wilson_interval()
    {
        var (low, high) = Results[0].Interval(WinnerMetric.OpenRate)!.Value;
        Assert.Equal(0.2407, low, 3);
        Assert.Equal(0.3668, high, 3);
        Assert.Null(new VariantResult("C", false, 0, 0, 0, 0, 0).Interval(WinnerMetric.Ctr));
        // CTR counts clicks over what devices confirmed, else over sent
        Assert.Equal(0.2, Results[1].Rate(WinnerMetric.Ctr));
        Assert.Equal(0.05, new VariantResult("D", false, 100, 100, 0, 0, 0, Clicked: 5).Rate(WinnerMetric.Ctr));
    }
}
