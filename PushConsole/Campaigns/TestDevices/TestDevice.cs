using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Devices;

namespace PushConsole.Campaigns.TestDevices;

/// <summary>
/// One installation a console user keeps as "my test devices": compose sends them a test before the real send,
/// and an audience can be exactly them. Added from the lookup page.
/// </summary>
public sealed class TestDevice
{
    public long Id { get; set; }
    /// <summary>The console user's sign-in name (what <see cref="Audit.Actor"/> and <see cref="Campaign.CreatedBy"/> carry).</summary>
    public required string ConsoleUser { get; set; }
    public long AppId { get; set; }
    public long InstallationId { get; set; }
    public DateTime AddedAt { get; set; }
}

public sealed class TestDeviceConfiguration : IEntityTypeConfiguration<TestDevice>
{
    public void Configure(EntityTypeBuilder<TestDevice> builder)
    {
        builder.ToTable("test_devices");
        builder.Property(t => t.ConsoleUser).HasMaxLength(256);
        builder.HasIndex(t => new { t.ConsoleUser, t.InstallationId }).IsUnique();
        builder.HasIndex(t => t.InstallationId);
        builder.HasOne<Installation>().WithMany().HasForeignKey(t => t.InstallationId).OnDelete(DeleteBehavior.Cascade);
    }
}
