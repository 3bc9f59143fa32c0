using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Data;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending;

public enum CampaignStatus { Draft = 0, Scheduled = 1, Sending = 2, Paused = 3, Completed = 4, Cancelled = 5 }

/// <summary>Where a campaign came from: the compose page, the server API, a schedule, the agenda, a test push, an automation's push step, the game.</summary>
public enum CampaignOrigin { Console = 0, Api = 1, Schedule = 2, Agenda = 3, Test = 4, Automation = 5, Game = 6 }

/// <summary>
/// One notification to one audience: content per variant and language, options, schedule, throttle.
/// Its deliveries (one per installation) are the outbox the dispatcher works through.
/// </summary>
public sealed class Campaign
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public required string Name { get; set; }
    public CampaignStatus Status { get; set; }
    public CampaignOrigin Origin { get; set; }
    /// <summary>What produced it, e.g. "schedule:12" or "agenda:session:42:rule:3"; shown as a label.</summary>
    public string? OriginRef { get; set; }
    /// <summary>The plan it is attributed to (EngageLab Plan Push), if any.</summary>
    public long? PlanId { get; set; }
    public required AudienceSpec Audience { get; set; }
    public required CampaignMessage Message { get; set; }
    public required DeliveryOptions Options { get; set; }
    public required CampaignSchedule Schedule { get; set; }
    /// <summary>Messages per minute for this campaign; null = as fast as the lanes allow.</summary>
    public int? ThrottlePerMinute { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When the launch runs (UTC); for local-time and best-time schedules, the earliest recipient's time.</summary>
    public DateTime? LaunchAt { get; set; }
    public DateTime? LaunchedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    /// <summary>Why sending stopped by itself (e.g. rejected credentials), shown on the campaign page.</summary>
    public string? PausedReason { get; set; }
    /// <summary>Recipients written to the outbox so far (including suppressed ones).</summary>
    public long AudienceSize { get; set; }
    /// <summary>Highest installation id already written by the launch, so a launch cut short resumes.</summary>
    public long LaunchCursor { get; set; }
    public bool LaunchDone { get; set; }
    /// <summary><see cref="DeliveryOptions.Conversion"/>'s event, as a column so each stored event finds its campaigns with one query.</summary>
    public string? ConversionEvent { get; set; }
    /// <summary>The conversion window in milliseconds (see <see cref="ConversionEvent"/>).</summary>
    public long? ConversionWindowMs { get; set; }

    /// <summary>Copies the conversion goal of <see cref="Options"/> into its columns; call whenever the options are set.</summary>
    public void SyncConversion()
    {
        ConversionEvent = Options.Conversion?.Event;
        ConversionWindowMs = Options.Conversion is { } goal ? goal.WithinSeconds * 1000L : null;
    }
}

public sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.ToTable("campaigns");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.OriginRef).HasMaxLength(200);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.Property(c => c.PausedReason).HasMaxLength(1000);
        builder.Property(c => c.Audience).HasJsonConversion();
        builder.Property(c => c.Message).HasJsonConversion();
        builder.Property(c => c.Options).HasJsonConversion();
        builder.Property(c => c.Schedule).HasJsonConversion();
        builder.HasIndex(c => new { c.AppId, c.CreatedAt });
        builder.HasIndex(c => new { c.Status, c.LaunchAt });
        builder.HasIndex(c => c.PlanId);
        builder.HasIndex(c => new { c.Origin, c.OriginRef });
        builder.Property(c => c.ConversionEvent).HasMaxLength(100);
        builder.HasIndex(c => new { c.AppId, c.ConversionEvent });
        builder.HasOne<Apps.App>().WithMany().HasForeignKey(c => c.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
