using PushConsole.Sending;

namespace PushConsole.Campaigns.Interactive;

public sealed record FunnelStep(string Key, string Label, long Count, double? OfPrevious, double? OfSent, string Definition);

/// <summary>The funnel the campaign page shows, from <see cref="DeliveryStats"/> (the figures the API gives), so page and API cannot differ.</summary>
public static class CampaignFunnelSteps
{
    public static IReadOnlyList<FunnelStep> Of(DeliveryCounts s, Campaign campaign, TimeSpan influenceWindow)
    {
        var steps = new List<FunnelStep>();
        void Add(string key, string label, long count, long? previous, string definition) =>
            steps.Add(new FunnelStep(key, label, count, previous is { } p ? EngagementFigures.Rate(count, p) : null,
                key == "targeted" ? null : EngagementFigures.Rate(count, s.Sent), definition));
        Add("targeted", "Targeted", s.Targets, null, EngagementFigures.Targeted);
        Add("sent", "Sent", s.Sent, s.Targets, EngagementFigures.Sent);
        Add("delivered", "Delivered", s.Delivered, s.Sent, EngagementFigures.Delivered);
        // a device that reports nothing back can still be opened: opens are compared with sent when nothing was delivered
        Add("opened", "Opened", s.Opened, s.Delivered > 0 ? s.Delivered : s.Sent, EngagementFigures.Opened);
        Add("clicked", "Clicked", s.Clicked, s.Opened, EngagementFigures.Clicked);
        if (campaign.Options.Conversion is { } goal)
            Add("converted", $"Converted ({goal.Event})", s.Conversions, s.Sent,
                EngagementFigures.Converted + $" Goal: {goal.Event} within {TimeSpan.FromSeconds(goal.WithinSeconds):g}.");
        Add("influenced", $"Influenced opens ({EngagementFigures.Window(influenceWindow)})", s.InfluencedOpens, s.Sent, EngagementFigures.Influenced(influenceWindow));
        Add("unsubscribed", "Unsubscribed", s.Unsubscribed, s.Sent, EngagementFigures.Unsubscribed);
        return steps;
    }

    /// <summary>Each button of the campaign (every variant's, first title) with its clicks.</summary>
    public static IReadOnlyList<(string Id, string Title, long Clicks)> Buttons(DeliveryCounts s, Campaign campaign) =>
        campaign.Message.Variants.SelectMany(v => v.Actions ?? []).GroupBy(a => a.Id, StringComparer.Ordinal)
            .Select(g => (g.Key, g.First().Title, s.ClickedByAction.GetValueOrDefault(g.Key))).ToList();
}
