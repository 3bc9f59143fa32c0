using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;

namespace PushConsole.Audience;

/// <summary>A saved audience of one app: a name and a rule tree (JSON with a schema version).</summary>
public sealed class Segment
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>Unique per app (as typed; compared case-insensitively through <see cref="NormalizedName"/>).</summary>
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    /// <summary><see cref="RulesJson"/> text.</summary>
    public required string Rules { get; set; }
    public int RulesVersion { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

public sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public const int MaxName = 100;
    public const int MaxRules = 64_000;

    public void Configure(EntityTypeBuilder<Segment> builder)
    {
        builder.ToTable("segments");
        builder.Property(s => s.Name).HasMaxLength(MaxName);
        builder.Property(s => s.NormalizedName).HasMaxLength(MaxName);
        builder.Property(s => s.Rules).HasMaxLength(MaxRules);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
        builder.HasOne<App>().WithMany().HasForeignKey(s => s.AppId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.AppId, s.NormalizedName }).IsUnique();
    }
}
