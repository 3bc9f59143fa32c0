using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Agenda;

/// <summary>Who gets the post-session survey.</summary>
public enum SurveyAudience { CheckedIn = 0, CheckedInOrFavorited = 1 }

/// <summary>
/// The event of an app (one per app): its venue time zone (sessions are entered and shown in it, stored in UTC),
/// its dates, agenda-aware quiet time and the post-session survey.
/// </summary>
public sealed class AgendaEvent
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public required string Name { get; set; }
    /// <summary>IANA id of the venue's zone, e.g. "Europe/Paris".</summary>
    public required string TimeZone { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    /// <summary>Hold non-urgent pushes to an attendee while a session they favourited is running.</summary>
    public bool QuietTime { get; set; }
    public bool SurveyEnabled { get; set; }
    /// <summary>Minutes after a session's end the survey push leaves (0–1440).</summary>
    public int SurveyDelayMinutes { get; set; } = 10;
    /// <summary>https link of the survey; <c>{session.id}</c> in it becomes the session's id.</summary>
    public string? SurveyUrl { get; set; }
    public SurveyAudience SurveyAudience { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class AgendaEventConfiguration : IEntityTypeConfiguration<AgendaEvent>
{
    public void Configure(EntityTypeBuilder<AgendaEvent> builder)
    {
        builder.ToTable("agenda_events");
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.Property(e => e.TimeZone).HasMaxLength(64);
        builder.Property(e => e.SurveyUrl).HasMaxLength(1000);
        builder.HasIndex(e => e.AppId).IsUnique();
        builder.HasOne<Apps.App>().WithMany().HasForeignKey(e => e.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
