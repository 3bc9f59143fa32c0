namespace PushConsole.Sending;

public enum ScheduleKind
{
    /// <summary>At once.</summary>
    Now = 0,
    /// <summary>At one instant (<see cref="CampaignSchedule.At"/>, UTC).</summary>
    At = 1,
    /// <summary>At a wall-clock time in each recipient's own time zone.</summary>
    LocalTime = 2,
    /// <summary>At each recipient's most active hour within 24 h; backup wall time (or at once) without history.</summary>
    Intelligent = 3,
}

public sealed record CampaignSchedule
{
    public ScheduleKind Kind { get; init; } = ScheduleKind.Now;
    /// <summary>For <see cref="ScheduleKind.At"/>: the instant, UTC.</summary>
    public DateTime? At { get; init; }
    /// <summary>For <see cref="ScheduleKind.LocalTime"/>: the wall-clock time (no zone) each recipient gets it at.</summary>
    public DateTime? LocalTime { get; init; }
    /// <summary>For <see cref="ScheduleKind.Intelligent"/>: wall-clock time for recipients without history; null = at once.</summary>
    public DateTime? BackupLocalTime { get; init; }
    /// <summary>Time zone used to show and enter times on the page (the venue's), informational.</summary>
    public string? DisplayTimeZone { get; init; }

    public static CampaignSchedule Immediately { get; } = new();
}
