using System.ComponentModel.DataAnnotations;

namespace PushConsole.Campaigns.Interactive;

/// <summary>Settings of the engagement figures and the message centre (section <c>Engagement</c>).</summary>
public sealed class EngagementOptions
{
    public const string Section = "Engagement";

    /// <summary>A session started this long after a push (with no direct open) counts as an influenced open.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")] public TimeSpan InfluenceWindow { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How far back a user's message centre (inbox) reaches.</summary>
    [Range(1, 365)] public int InboxDays { get; set; } = 30;
}
