using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Agenda;

/// <summary>
/// A session of the agenda. <see cref="ExternalId"/> is the stable id apps use (<c>/favorites/{sessionId}</c>) and
/// imports match on (CSV <c>id</c>, iCalendar <c>UID</c>). Times are UTC; the console shows them in the venue's zone.
/// </summary>
public sealed class AgendaSession
{
    public long Id { get; set; }
    public long EventId { get; set; }
    public long AppId { get; set; }
    public required string ExternalId { get; set; }
    public required string Title { get; set; }
    public string? Track { get; set; }
    public string? Room { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    /// <summary>Names separated by "; ".</summary>
    public string? Speakers { get; set; }
    public string? Description { get; set; }
    public bool Cancelled { get; set; }
    /// <summary>Bumped by every saved change; a change record is unique per (session, revision), so one change alerts once.</summary>
    public int Revision { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool IsRunningAt(DateTime utc) => !Cancelled && StartsAt <= utc && utc < EndsAt;
}

public sealed class AgendaSessionConfiguration : IEntityTypeConfiguration<AgendaSession>
{
    public const int MaxExternalId = 100;
    public const int MaxTrack = 100;

    public void Configure(EntityTypeBuilder<AgendaSession> builder)
    {
        builder.ToTable("agenda_sessions");
        builder.Property(s => s.ExternalId).HasMaxLength(MaxExternalId);
        builder.Property(s => s.Title).HasMaxLength(200);
        builder.Property(s => s.Track).HasMaxLength(MaxTrack);
        builder.Property(s => s.Room).HasMaxLength(100);
        builder.Property(s => s.Speakers).HasMaxLength(1000);
        builder.Property(s => s.Description).HasMaxLength(4000);
        builder.Property(s => s.Revision).IsConcurrencyToken();
        builder.HasIndex(s => new { s.AppId, s.ExternalId }).IsUnique();
        builder.HasIndex(s => new { s.EventId, s.StartsAt });
        builder.HasIndex(s => new { s.AppId, s.Track });
        builder.HasOne<AgendaEvent>().WithMany().HasForeignKey(s => s.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}
