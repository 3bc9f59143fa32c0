using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Agenda;

[Flags]
public enum SessionChangeKind { None = 0, Time = 1, Room = 2, Cancelled = 4, Restored = 8 }

/// <summary>
/// A change of a session's time or room, or its cancellation, old → new. Unique per (session, revision it was made
/// on): two saves of the same change race for one row, so the change alert goes out once.
/// </summary>
public sealed class SessionChange
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public long AppId { get; set; }
    /// <summary>The session's revision before the change.</summary>
    public int Revision { get; set; }
    public SessionChangeKind Kind { get; set; }
    public DateTime OldStartsAt { get; set; }
    public DateTime OldEndsAt { get; set; }
    public string? OldRoom { get; set; }
    public DateTime NewStartsAt { get; set; }
    public DateTime NewEndsAt { get; set; }
    public string? NewRoom { get; set; }
    public DateTime At { get; set; }
    public required string By { get; set; }
}

public sealed class SessionChangeConfiguration : IEntityTypeConfiguration<SessionChange>
{
    public void Configure(EntityTypeBuilder<SessionChange> builder)
    {
        builder.ToTable("agenda_changes");
        builder.Property(c => c.OldRoom).HasMaxLength(100);
        builder.Property(c => c.NewRoom).HasMaxLength(100);
        builder.Property(c => c.By).HasMaxLength(256);
        builder.HasIndex(c => new { c.SessionId, c.Revision }).IsUnique();
        builder.HasOne<AgendaSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}
