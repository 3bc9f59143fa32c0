using System.Text.Json.Serialization;

namespace PushConsole.Sending;

/// <summary>The four kinds of schedule, for forms and summaries; each <see cref="CampaignSchedule"/> type has one.</summary>
public enum ScheduleKind
{
    /// <summary>At once (<see cref="NowSchedule"/>).</summary>
    Now = 0,
    /// <summary>At one instant (<see cref="AtSchedule"/>).</summary>
    At = 1,
    /// <summary>At a wall-clock time in each recipient's own time zone (<see cref="LocalTimeSchedule"/>).</summary>
    LocalTime = 2,
    /// <summary>At each recipient's most active hour within 24 h (<see cref="BestTimeSchedule"/>).</summary>
    Intelligent = 3,
}

/// <summary>
/// When a campaign goes: now, at an instant, at a wall-clock time in each recipient's zone, or at each one's best time —
/// a closed set, so each case carries exactly its own times. Stored as JSON with a <c>kind</c> discriminator and the field
/// names of the earlier flat record (<c>{"kind":"at","at":"…Z","displayTimeZone":"Europe/Warsaw"}</c>): old rows read as they are.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NowSchedule), "now")]
[JsonDerivedType(typeof(AtSchedule), "at")]
[JsonDerivedType(typeof(LocalTimeSchedule), "local_time")]
[JsonDerivedType(typeof(BestTimeSchedule), "intelligent")]
public abstract record CampaignSchedule
{
    // only the four cases below
    private protected CampaignSchedule() { }

    [JsonIgnore]
    public ScheduleKind Kind => this switch
    {
        AtSchedule => ScheduleKind.At,
        LocalTimeSchedule => ScheduleKind.LocalTime,
        BestTimeSchedule => ScheduleKind.Intelligent,
        _ => ScheduleKind.Now,
    };

    /// <summary>Time zone used to show and enter times on the page (the venue's), informational.</summary>
    public string? DisplayTimeZone { get; init; }

    /// <summary>The first UTC instant any recipient may get it: local times start in the easternmost zone (UTC+14).</summary>
    public abstract DateTime FirstLaunch(DateTime nowUtc);

    public static CampaignSchedule Immediately { get; } = new NowSchedule();

    private protected static DateTime Later(DateTime utc, DateTime nowUtc) => utc > nowUtc ? utc : nowUtc;
}

/// <summary>At once.</summary>
public sealed record NowSchedule : CampaignSchedule
{
    public override DateTime FirstLaunch(DateTime nowUtc) => nowUtc;
}

/// <summary>At one instant for everyone.</summary>
public sealed record AtSchedule(DateTime At) : CampaignSchedule
{
    /// <summary>The instant, UTC.</summary>
    public DateTime At { get; init; } = DateTime.SpecifyKind(At, DateTimeKind.Utc);
    public override DateTime FirstLaunch(DateTime nowUtc) => Later(At, nowUtc);
}

/// <summary>At the same wall-clock time on each recipient's own clock.</summary>
public sealed record LocalTimeSchedule(DateTime LocalTime) : CampaignSchedule
{
    /// <summary>The wall-clock time (no zone).</summary>
    public DateTime LocalTime { get; init; } = DateTime.SpecifyKind(LocalTime, DateTimeKind.Unspecified);
    public override DateTime FirstLaunch(DateTime nowUtc) => Later(DateTime.SpecifyKind(LocalTime, DateTimeKind.Utc).AddHours(-14), nowUtc);
}

/// <summary>
/// At each recipient's most active hour within 24 h (the best-time launch rule decides it from their activity); without
/// history at <see cref="BackupLocalTime"/> on their clock, or at once when there is none.
/// </summary>
public sealed record BestTimeSchedule(DateTime? BackupLocalTime = null) : CampaignSchedule
{
    public DateTime? BackupLocalTime { get; init; } = BackupLocalTime is { } b ? DateTime.SpecifyKind(b, DateTimeKind.Unspecified) : null;
    public override DateTime FirstLaunch(DateTime nowUtc) => nowUtc;
}
