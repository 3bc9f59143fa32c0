using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Devices;

/// <summary>An anonymous installation's own choice about a category (a user's choices are <see cref="UserCategory"/>).</summary>
public sealed class InstallationCategory
{
    public long InstallationId { get; set; }
    public required string Category { get; set; }
    public bool Enabled { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class InstallationCategoryConfiguration : IEntityTypeConfiguration<InstallationCategory>
{
    public void Configure(EntityTypeBuilder<InstallationCategory> builder)
    {
        builder.ToTable("installation_categories");
        builder.HasKey(c => new { c.InstallationId, c.Category });
        builder.Property(c => c.Category).HasMaxLength(64);
        builder.HasOne<Installation>().WithMany().HasForeignKey(c => c.InstallationId).OnDelete(DeleteBehavior.Cascade);
    }
}
