using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Campaigns;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Consent;

/// <summary>
/// A campaign's category as it was when it launched, so frequency caps can count a person's recent pushes by
/// joining <c>deliveries</c> to it in SQL (transactional pushes do not count).
/// </summary>
public sealed class ConsentCampaign
{
    public long CampaignId { get; set; }
    public long AppId { get; set; }
    public string? Category { get; set; }
    public bool Transactional { get; set; }
}

public sealed class ConsentCampaignConfiguration : IEntityTypeConfiguration<ConsentCampaign>
{
    public void Configure(EntityTypeBuilder<ConsentCampaign> builder)
    {
        builder.ToTable("consent_campaigns");
        builder.HasKey(c => c.CampaignId);
        builder.Property(c => c.CampaignId).ValueGeneratedNever();
        builder.Property(c => c.Category).HasMaxLength(64);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
