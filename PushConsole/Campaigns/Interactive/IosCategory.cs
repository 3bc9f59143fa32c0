using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;
using PushConsole.Data;

namespace PushConsole.Campaigns.Interactive;

/// <summary>
/// An iOS notification category the app registers (<c>UNNotificationCategory</c>): the buttons iOS shows for a push whose
/// <c>aps.category</c> names it. Listed per app so compose can suggest it and fill a push's buttons from it.
/// </summary>
public sealed class IosCategory
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>The identifier the app registers, e.g. SESSION_INVITE.</summary>
    public required string Identifier { get; set; }
    public IReadOnlyList<IosCategoryAction> Actions { get; set; } = [];
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One button of a category: its id comes back as <c>actionId</c> on a click, like a push's own buttons.</summary>
public sealed record IosCategoryAction(string Id, string Title);

public sealed class IosCategoryConfiguration : IEntityTypeConfiguration<IosCategory>
{
    public const int MaxIdentifier = 64;

    public void Configure(EntityTypeBuilder<IosCategory> builder)
    {
        builder.ToTable("ios_categories");
        builder.Property(c => c.Identifier).HasMaxLength(MaxIdentifier);
        builder.Property(c => c.Actions).HasJsonConversion();
        builder.HasIndex(c => new { c.AppId, c.Identifier }).IsUnique();
        builder.HasOne<App>().WithMany().HasForeignKey(c => c.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
