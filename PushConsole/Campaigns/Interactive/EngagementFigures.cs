namespace PushConsole.Campaigns.Interactive;

/// <summary>The definition of each engagement figure, once: the formulas the API and the console compute with, and the words the console shows on hover.</summary>
public static class EngagementFigures
{
    /// <summary>Clicked ÷ delivered (device receipts), or ÷ sent when no device reported receipts; null before anything was sent.</summary>
    public static double? Ctr(long clicked, long delivered, long sent) =>
        delivered > 0 ? (double)clicked / delivered : sent > 0 ? (double)clicked / sent : null;

    public static double? Rate(long part, long whole) => whole > 0 ? (double)part / whole : null;

    public const string Targeted = "Recipients the audience selected (written to the outbox, suppressed ones included).";
    public const string Sent = "Accepted by FCM, APNs or the browser's push service.";
    public const string Delivered = "Devices that reported the push arrived (notification_received, or an open or click, which imply it).";
    public const string Opened = "Direct opens: the notification was tapped (notification_opened, or a click) — a click is also an open.";
    public const string Clicked = "Pushes tapped, on the body or a button (notification_clicked; the first click counts). CTR = clicked ÷ delivered, else ÷ sent.";
    public const string Converted = "Recipients who did the campaign's conversion event within its window after the send (one per recipient).";
    public const string Unsubscribed = "Opt-outs (consent withdrawn, a category or notifications turned off) within 24 h after this push reached the person.";

    public static string Influenced(TimeSpan window) =>
        $"A session started within {Window(window)} after the push reached the device (its receipt; the send when the device reported none), on a device that did not open the push directly.";

    /// <summary>What the control group's figure counts on each metric: it gets nothing, so it is what its people did anyway.</summary>
    public static string ControlFigure(Sending.WinnerMetric metric, TimeSpan window) => metric == Sending.WinnerMetric.ConversionRate
        ? "The control group gets no push: its figure is the share of its recipients who did the conversion event within the goal's window after the time the push would have been sent."
        : $"The control group gets no push: its figure is the share of its recipients who opened the app (a session start) within {Window(window)} after the time the push would have been sent.";

    public const string Lift = "The variant's figure minus the control group's, in percentage points; × is their ratio, p the two-proportion test's (two-sided).";

    public static string Window(TimeSpan window) => window.TotalHours >= 1 && window.TotalMinutes % 60 == 0 ? $"{window.TotalHours:0} h" : $"{window.TotalMinutes:0} min";
}
