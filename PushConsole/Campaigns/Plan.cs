using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Campaigns;

/// <summary>A push plan (EngageLab Plan Push): groups campaigns of one operation for statistics.</summary>
public sealed class Plan
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>The caller's id, e.g. "promo_year_end_2025"; unique per app.</summary>
    public required string PlanKey { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.ToTable("plans");
        builder.Property(p => p.PlanKey).HasMaxLength(100);
        builder.Property(p => p.Description).HasMaxLength(500);
        builder.HasIndex(p => new { p.AppId, p.PlanKey }).IsUnique();
        builder.HasOne<Apps.App>().WithMany().HasForeignKey(p => p.AppId).OnDelete(DeleteBehavior.Cascade);
        // declared here, not on the campaign: Sending owns campaigns and knows nothing of plans
        builder.HasMany<Sending.Campaign>().WithOne().HasForeignKey(c => c.PlanId).OnDelete(DeleteBehavior.SetNull);
    }
}
