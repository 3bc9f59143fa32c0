using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;

namespace PushConsole.Consent;

/// <summary>
/// One opt-out (consent withdrawn, a category turned off, notifications turned off on the device), attributed to the
/// campaign last delivered to that person within 24 hours. Counted once per person and campaign. Erasure and retention
/// drop the link to the person; the count stays.
/// </summary>
public sealed class Unsubscribe
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>The campaign it is attributed to; null when nothing reached the person in the 24 hours before.</summary>
    public long? CampaignId { get; set; }
    public long? AppUserId { get; set; }
    public long? InstallationId { get; set; }
    /// <summary>See <see cref="UnsubscribeKinds"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>The category turned off, for <see cref="UnsubscribeKinds.CategoryOff"/>.</summary>
    public string? Category { get; set; }
    public DateTime At { get; set; }
}

public static class UnsubscribeKinds
{
    public const string ConsentWithdrawn = "consent_withdrawn";
    public const string CategoryOff = "category_off";
    public const string PermissionOff = "permission_off";
}

public sealed class UnsubscribeConfiguration : IEntityTypeConfiguration<Unsubscribe>
{
    public void Configure(EntityTypeBuilder<Unsubscribe> builder)
    {
        builder.ToTable("unsubscribes");
        builder.Property(u => u.Kind).HasMaxLength(30);
        builder.Property(u => u.Category).HasMaxLength(64);
        builder.HasIndex(u => new { u.CampaignId, u.AppUserId });
        builder.HasIndex(u => new { u.CampaignId, u.InstallationId });
        builder.HasIndex(u => u.AppUserId);
        builder.HasIndex(u => u.InstallationId);
        builder.HasIndex(u => new { u.AppId, u.At });
        builder.HasOne<App>().WithMany().HasForeignKey(u => u.AppId).OnDelete(DeleteBehavior.Cascade);
        // no foreign keys to people or campaigns: an opt-out outlives the person (erasure) as an anonymous count
    }
}
