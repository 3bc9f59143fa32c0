using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending;

/// <summary>
/// Counts of deliveries the retention job purged, per campaign × provider × variant × status × reason × clicked button, so campaign
/// and plan statistics outlive the rows (anonymous: no installation, no user).
/// </summary>
public sealed class DeliveryRollup
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public long AppId { get; set; }
    public Providers.PushProvider Provider { get; set; }
    public required string Variant { get; set; }
    public DeliveryStatus Status { get; set; }
    /// <summary>The deliveries' reason, "" when they had none.</summary>
    public required string Reason { get; set; }
    public long Count { get; set; }
    public long Received { get; set; }
    public long Opened { get; set; }
    public long Dismissed { get; set; }
    public long Clicked { get; set; }
    /// <summary>The button the deliveries' first click was on, "" for taps on the body or no click.</summary>
    public string ClickedAction { get; set; } = "";
    /// <summary>Sessions within the influence window, never opened directly.</summary>
    public long InfluencedOpens { get; set; }
    public long Conversions { get; set; }
}

public sealed class DeliveryRollupConfiguration : IEntityTypeConfiguration<DeliveryRollup>
{
    public void Configure(EntityTypeBuilder<DeliveryRollup> builder)
    {
        builder.ToTable("delivery_rollups");
        builder.Property(r => r.Variant).HasMaxLength(20);
        builder.Property(r => r.Reason).HasMaxLength(100);
        builder.Property(r => r.ClickedAction).HasMaxLength(32);
        builder.HasIndex(r => new { r.CampaignId, r.Provider, r.Variant, r.Status, r.Reason, r.ClickedAction }).IsUnique();
        builder.HasOne<PushConsole.Sending.Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
