using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>
/// A server API schedule (<c>/v4/schedules</c>): a named wrapper around one campaign, whose Quartz trigger does the
/// scheduling. The trigger and push objects are kept as the caller sent them, so GET returns them and PUT can change a part.
/// </summary>
public sealed class PushSchedule
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public required string Name { get; set; }
    /// <summary>Disabled: the campaign is kept as a draft with no trigger.</summary>
    public bool Enabled { get; set; }
    public required string TriggerJson { get; set; }
    public required string PushJson { get; set; }
    /// <summary>The campaign it schedules (origin <c>schedule:{id}</c>).</summary>
    public long? CampaignId { get; set; }
    /// <summary>push.request_id of the call that created it, so a replay finds it.</summary>
    public string? RequestId { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class PushScheduleConfiguration : IEntityTypeConfiguration<PushSchedule>
{
    public void Configure(EntityTypeBuilder<PushSchedule> builder)
    {
        builder.ToTable("push_schedules");
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.RequestId).HasMaxLength(PushParser.MaxRequestId);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.HasIndex(s => new { s.AppId, s.Id });
        builder.HasIndex(s => new { s.AppId, s.RequestId });
        builder.HasOne<Apps.App>().WithMany().HasForeignKey(s => s.AppId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(s => s.CampaignId).OnDelete(DeleteBehavior.SetNull);
    }
}
