using System.Globalization;
using PushConsole.Sending;

namespace PushConsole.Campaigns.AbTest;

/// <summary>
/// How one variant (or the control group) did: recipients, sent, received, opened, clicked, converted. The control group gets nothing, so
/// its figures are what its people did anyway after their send time: <paramref name="AppOpened"/> opened the app within the influence
/// window, <paramref name="Converted"/> did the goal within its window.
/// </summary>
public sealed record VariantResult(string Key, bool IsControl, long Recipients, long Sent, long Received, long Opened, long Awaiting, long? AppOpened = null,
    long Clicked = 0, long Converted = 0)
{
    /// <summary>
    /// The successes and trials of a metric, as the test counts them (CTR as <see cref="Interactive.EngagementFigures.Ctr"/> defines it);
    /// for the control group, its counterpart over its recipients: app opens for open rate and CTR, conversions for conversion rate.
    /// </summary>
    public (long Successes, long Trials) Counts(WinnerMetric metric) => IsControl
        ? metric switch
        {
            WinnerMetric.ConversionRate => (Converted, Recipients),
            _ => (AppOpened ?? 0, Recipients),
        }
        : metric switch
        {
            WinnerMetric.Ctr => (Clicked, Received > 0 ? Received : Sent),
            WinnerMetric.ConversionRate => (Converted, Sent),
            _ => (Opened, Sent),
        };

    public double Rate(WinnerMetric metric) => Counts(metric) is var (s, t) && t > 0 ? (double)s / t : 0;

    /// <summary>95 % Wilson interval of the metric (null before anything was sent).</summary>
    public (double Low, double High)? Interval(WinnerMetric metric) => WinnerSelection.Wilson(Counts(metric).Successes, Counts(metric).Trials);

    /// <summary>Opened among those sent; the control group gets nothing, so it has none.</summary>
    public double OpenRate => Sent == 0 ? 0 : (double)Opened / Sent;
}

/// <summary>A variant's figure against the control group's: the difference in percentage points, the ratio, and the two-proportion test's p.</summary>
public sealed record ControlLift(double Points, double? Ratio, double P)
{
    /// <summary>"+4.2 pts (×1.6, p = 0.012)".</summary>
    public string Text => $"{(Points >= 0 ? "+" : "−")}{Math.Abs(Points).ToString("0.0", CultureInfo.InvariantCulture)} pts " +
                          $"({(Ratio is { } r ? "×" + r.ToString("0.0#", CultureInfo.InvariantCulture) + ", " : "")}{WinnerSelection.PText(P)})";
}

/// <summary>The variant the rest gets, whether the test found it significantly better, and a sentence saying why.</summary>
public sealed record WinnerVerdict(string Winner, bool Significant, string Because, double? Z = null, double? P = null);

/// <summary>
/// Picks an A/B test's winner: the variant with the best open rate when a two-proportion z-test says it opened
/// significantly more than every other variant (two-sided, 5 %), else the default variant.
/// </summary>
public static class WinnerSelection
{
    public const double Alpha = 0.05;

    public static WinnerVerdict Decide(IReadOnlyList<VariantResult> results, string defaultVariant, WinnerMetric metric = WinnerMetric.OpenRate)
    {
        var verb = metric switch { WinnerMetric.Ctr => "clicked", WinnerMetric.ConversionRate => "converted", _ => "opened" };
        var candidates = results.Where(r => !r.IsControl && r.Counts(metric).Trials > 0).OrderByDescending(r => r.Rate(metric))
            .ThenBy(r => r.Key == defaultVariant ? 0 : 1).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
            return new WinnerVerdict(defaultVariant, false, $"No test push was sent, so nothing could be compared: the default {defaultVariant} goes to the rest.");
        var best = candidates[0];
        if (candidates.Count == 1)
            return new WinnerVerdict(defaultVariant, false,
                $"Only {best.Key} was sent during the test, so nothing could be compared: the default {defaultVariant} goes to the rest.");
        var runnerUp = candidates[1];
        // significant against every other variant, i.e. against the weakest comparison
        var (z, p) = candidates.Skip(1).Select(other => TwoProportion(best.Counts(metric).Successes, best.Counts(metric).Trials,
            other.Counts(metric).Successes, other.Counts(metric).Trials)).MaxBy(t => t.P);
        var rates = $"{best.Key} {Percent(best.Rate(metric))} {verb} vs {runnerUp.Key} {Percent(runnerUp.Rate(metric))}, z = {z.ToString("F2", CultureInfo.InvariantCulture)}, {PText(p)}";
        if (z > 0 && p < Alpha)
            return new WinnerVerdict(best.Key, true, $"{best.Key} {verb} significantly more ({rates}).", z, p);
        return new WinnerVerdict(defaultVariant, false, $"No variant {verb} significantly more ({rates}): the default {defaultVariant} goes to the rest.", z, p);
    }

    /// <summary>The lift of a variant over the control group on the metric; null for the control itself or before either has trials.</summary>
    public static ControlLift? Lift(VariantResult variant, VariantResult control, WinnerMetric metric)
    {
        var (s1, t1) = variant.Counts(metric);
        var (s2, t2) = control.Counts(metric);
        if (variant.IsControl || !control.IsControl || t1 == 0 || t2 == 0) return null;
        var (r1, r2) = ((double)s1 / t1, (double)s2 / t2);
        return new ControlLift((r1 - r2) * 100, r2 > 0 ? r1 / r2 : null, TwoProportion(s1, t1, s2, t2).P);
    }

    /// <summary>The 95 % Wilson score interval of successes ÷ trials; null without trials.</summary>
    public static (double Low, double High)? Wilson(long successes, long trials)
    {
        if (trials <= 0) return null;
        const double Z = 1.959963984540054;
        var n = (double)trials;
        var p = successes / n;
        var centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n);
        var half = Z * Math.Sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Pooled two-proportion z-test of opened1/sent1 against opened2/sent2; p is two-sided.</summary>
    public static (double Z, double P) TwoProportion(long opened1, long sent1, long opened2, long sent2)
    {
        if (sent1 == 0 || sent2 == 0) return (0, 1);
        var p1 = (double)opened1 / sent1;
        var p2 = (double)opened2 / sent2;
        var pooled = (double)(opened1 + opened2) / (sent1 + sent2);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / sent1 + 1.0 / sent2));
        if (se == 0) return (0, 1);
        var z = (p1 - p2) / se;
        return (z, 2 * (1 - NormalCdf(Math.Abs(z))));
    }

    /// <summary>Standard normal CDF through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    public static double NormalCdf(double x)
    {
        var t = 1 / (1 + 0.3275911 * Math.Abs(x) / Math.Sqrt(2));
        var erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.Exp(-x * x / 2);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }

    public static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>"p < 0.001" or "p = 0.042": the operator belongs to the value, so it is never "p = < 0.001".</summary>
    public static string PText(double p) => p < 0.001 ? "p < 0.001" : "p = " + p.ToString("0.000", CultureInfo.InvariantCulture);
}
