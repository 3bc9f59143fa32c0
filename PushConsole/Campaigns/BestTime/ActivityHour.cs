using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Devices;

namespace PushConsole.Campaigns.BestTime;

/// <summary>
/// One cell of an installation's activity profile: how many sessions it started and pushes it opened in one hour of the
/// week (0 = Monday 00:00–00:59, …, 167 = Sunday 23:00), counted in the device's own time zone. Best-time sends read it.
/// </summary>
public sealed class ActivityHour
{
    public long InstallationId { get; set; }
    public long AppId { get; set; }
    public short HourOfWeek { get; set; }
    public int Sessions { get; set; }
    public int Opens { get; set; }
    /// <summary>The latest event counted in this cell (device time, UTC).</summary>
    public DateTime LastAt { get; set; }

    public const int HoursPerWeek = 168;

    /// <summary>0 = Monday 00:00 of a wall-clock time.</summary>
    public static int Of(DateTime local) => ((int)local.DayOfWeek + 6) % 7 * 24 + local.Hour;
}

public sealed class ActivityHourConfiguration : IEntityTypeConfiguration<ActivityHour>
{
    public void Configure(EntityTypeBuilder<ActivityHour> builder)
    {
        builder.ToTable("activity_hours");
        builder.HasKey(a => new { a.InstallationId, a.HourOfWeek });
        builder.HasOne<Installation>().WithMany().HasForeignKey(a => a.InstallationId).OnDelete(DeleteBehavior.Cascade);
    }
}
