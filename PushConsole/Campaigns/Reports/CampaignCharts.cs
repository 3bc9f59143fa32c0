using PushConsole.Campaigns.AbTest;
using PushConsole.Sending;
using PushConsole.Sending.Providers;

namespace PushConsole.Campaigns.Reports;

/// <summary>ApexCharts options and series of the campaign page, as plain data the chart component serialises.</summary>
public static class CampaignCharts
{
    private static readonly string[] OutcomeColors = ["#2e7d32", "#c62828", "#ef6c00", "#757575"];
    private const string Winner = "#2e7d32";
    private const string Other = "#5c6bc0";
    private const string Control = "#9e9e9e";

    private static Dictionary<string, object?> Base(string type, bool stacked = false) => new()
    {
        ["chart"] = new Dictionary<string, object?>
        {
            ["type"] = type, ["stacked"] = stacked, ["animations"] = new { enabled = false }, ["toolbar"] = new { show = false },
            ["zoom"] = new { enabled = false }, ["fontFamily"] = "inherit",
        },
        ["dataLabels"] = new { enabled = false },
        ["legend"] = new { position = "top" },
    };

    public static Dictionary<string, object?> OverTimeOptions(string type, IReadOnlyList<string> colors, string yTitle, bool stacked)
    {
        var options = Base(type, stacked);
        options["colors"] = colors;
        options["xaxis"] = new { type = "datetime" };
        options["yaxis"] = new { title = new { text = yTitle }, min = 0, forceNiceScale = true };
        options["stroke"] = new { width = 2, curve = "straight" };
        options["tooltip"] = new { x = new { format = "HH:mm:ss" } };
        return options;
    }

    public static Dictionary<string, object?> DeliveriesOptions() => OverTimeOptions("area", OutcomeColors, "deliveries per interval", stacked: true);

    public static Dictionary<string, object?> OpensOptions() => OverTimeOptions("line", ["#1e88e5", "#8e24aa"], "total so far", stacked: false);

    public static Dictionary<string, object?> ProvidersOptions()
    {
        var options = Base("bar", stacked: true);
        options["colors"] = new[] { OutcomeColors[0], OutcomeColors[1], OutcomeColors[2], "#90a4ae" };
        options["plotOptions"] = new { bar = new { horizontal = true } };
        options["xaxis"] = new { categories = new[] { "FCM (Android)", "APNs (iOS)", "Web Push" } };
        return options;
    }

    public static Dictionary<string, object?> VariantsOptions()
    {
        var options = Base("bar");
        options["dataLabels"] = new { enabled = true };
        options["plotOptions"] = new { bar = new { distributed = false, columnWidth = "45%" } };
        options["yaxis"] = new { title = new { text = "open rate (%)" }, min = 0, forceNiceScale = true };
        options["legend"] = new { show = false };
        return options;
    }

    /// <summary>Deliveries per bucket by outcome (sent, failed, invalid token, expired).</summary>
    public static object DeliveriesSeries(CampaignTimeline timeline, long nowMs)
    {
        var last = LastBucket(timeline, nowMs);
        return CampaignTimeline.Outcomes.Select((status, i) => new
        {
            name = Name(status),
            data = timeline.Points(timeline.Deliveries, row => row[i], last).ToList(),
        }).ToList();
    }

    /// <summary>Receipts and opens reported by the apps, accumulated.</summary>
    public static object OpensSeries(CampaignTimeline timeline, long nowMs)
    {
        var last = LastBucket(timeline, nowMs);
        return new object[]
        {
            new { name = "Received", data = timeline.Points(timeline.Reports, r => r.Received, last, cumulative: true).ToList() },
            new { name = "Opened", data = timeline.Points(timeline.Reports, r => r.Opened, last, cumulative: true).ToList() },
        };
    }

    /// <summary>Per provider: sent, failed, invalid token, still queued.</summary>
    public static object ProvidersSeries(CampaignCounters counters)
    {
        ProviderCounters Of(PushProvider p) => counters.ByProvider.GetValueOrDefault(p) ?? new ProviderCounters(0, 0, 0, 0);
        PushProvider[] order = [PushProvider.Fcm, PushProvider.Apns, PushProvider.WebPush];
        return new object[]
        {
            new { name = "Sent", data = order.Select(p => Of(p).Sent).ToArray() },
            new { name = "Failed", data = order.Select(p => Of(p).Failed).ToArray() },
            new { name = "Invalid token", data = order.Select(p => Of(p).InvalidToken).ToArray() },
            new { name = "Queued", data = order.Select(p => Of(p).Queued).ToArray() },
        };
    }

    /// <summary>Open rate per variant, the winner in green and labelled.</summary>
    public static object VariantsSeries(IReadOnlyList<VariantResult> results, string? winner) =>
        new object[]
        {
            new
            {
                name = "Open rate",
                data = results.Where(r => !r.IsControl).Select(r => new
                {
                    x = r.Key == winner ? $"{r.Key} ★ winner" : r.Key,
                    y = Math.Round(r.OpenRate * 100, 1),
                    fillColor = r.Key == winner ? Winner : r.IsControl ? Control : Other,
                }).ToList(),
            },
        };

    public static string Name(DeliveryStatus status) => status switch
    {
        DeliveryStatus.InvalidToken => "Invalid token",
        _ => status.ToString(),
    };

    private static long LastBucket(CampaignTimeline timeline, long nowMs)
    {
        var lastData = new[] { timeline.Deliveries.Keys.LastOrDefault(), timeline.Reports.Keys.LastOrDefault() }.Max();
        return Math.Max(lastData, Math.Min(timeline.BucketOf(nowMs), lastData + 120));
    }
}
