using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;

namespace PushConsole.Consent;

/// <summary>
/// A kind of notification an app sends (reminders, program changes, marketing…), defined per app in the console.
/// People turn categories on or off; a campaign names one (<c>DeliveryOptions.Category</c>).
/// </summary>
public sealed class ConsentCategory
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>What apps and campaigns send, e.g. "program_changes".</summary>
    public required string Key { get; set; }
    /// <summary>What people read, e.g. "Program changes".</summary>
    public required string Label { get; set; }
    /// <summary>Whether someone who never said anything about this category gets it.</summary>
    public bool DefaultEnabled { get; set; }
    /// <summary>Needed information (program changes, safety): not gated by consent, never held by quiet hours, not capped.</summary>
    public bool Transactional { get; set; }
    /// <summary>At most this many pushes of this category per person in the cap window; null = only the app's cap.</summary>
    public int? FrequencyCap { get; set; }
    public int SortOrder { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class ConsentCategoryConfiguration : IEntityTypeConfiguration<ConsentCategory>
{
    public const int MaxLabel = 100;

    public void Configure(EntityTypeBuilder<ConsentCategory> builder)
    {
        builder.ToTable("consent_categories");
        builder.Property(c => c.Key).HasMaxLength(64);
        builder.Property(c => c.Label).HasMaxLength(MaxLabel);
        builder.HasIndex(c => new { c.AppId, c.Key }).IsUnique();
        builder.HasOne<App>().WithMany().HasForeignKey(c => c.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
