using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Data;

namespace PushConsole.Agenda;

/// <summary>Title and body of an agenda push in one language; placeholders such as <c>{session.title}</c> are filled per session.</summary>
public sealed record PushTemplate(string? Title, string? Body);

/// <summary>
/// "N minutes before, to those who favourited": for every session of its track (or every session), a reminder is planned
/// as a persistent Quartz trigger at start − offset, and moves or goes with the session.
/// </summary>
public sealed class ReminderRule
{
    public long Id { get; set; }
    public long EventId { get; set; }
    public long AppId { get; set; }
    /// <summary>Only sessions of this track; null = every session.</summary>
    public string? Track { get; set; }
    /// <summary>Minutes before the start (0–1440).</summary>
    public int OffsetMinutes { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Language whose template is required; recipients whose language has none get it.</summary>
    public required string DefaultLanguage { get; set; }
    /// <summary>Language tag → template.</summary>
    public required Dictionary<string, PushTemplate> Templates { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool Covers(AgendaSession session) => Enabled && (Track is null || string.Equals(Track, session.Track, StringComparison.OrdinalIgnoreCase));

    public string Describe() => $"{OffsetMinutes} min before{(Track is null ? "" : $", track {Track}")}";
}

public sealed class ReminderRuleConfiguration : IEntityTypeConfiguration<ReminderRule>
{
    public void Configure(EntityTypeBuilder<ReminderRule> builder)
    {
        builder.ToTable("agenda_reminder_rules");
        builder.Property(r => r.Track).HasMaxLength(100);
        builder.Property(r => r.DefaultLanguage).HasMaxLength(35);
        builder.Property(r => r.Templates).HasJsonConversion();
        builder.HasIndex(r => r.EventId);
        builder.HasOne<AgendaEvent>().WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}
