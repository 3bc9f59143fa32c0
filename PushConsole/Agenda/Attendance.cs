using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Devices;

namespace PushConsole.Agenda;

/// <summary>A user favourited a session (<c>PUT /api/v1/users/{userId}/favorites/{sessionId}</c>). Personal data.</summary>
public sealed class SessionFavorite
{
    public long SessionId { get; set; }
    public long AppUserId { get; set; }
    public long AppId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A user checked in to a session (<c>PUT /api/v1/users/{userId}/checkins/{sessionId}</c>). Personal data.</summary>
public sealed class SessionCheckIn
{
    public long SessionId { get; set; }
    public long AppUserId { get; set; }
    public long AppId { get; set; }
    public DateTime At { get; set; }
}

public sealed class SessionFavoriteConfiguration : IEntityTypeConfiguration<SessionFavorite>
{
    public void Configure(EntityTypeBuilder<SessionFavorite> builder)
    {
        builder.ToTable("agenda_favorites");
        builder.HasKey(f => new { f.SessionId, f.AppUserId });
        // audiences and quiet time look favourites up by user
        builder.HasIndex(f => new { f.AppUserId, f.SessionId });
        builder.HasOne<AgendaSession>().WithMany().HasForeignKey(f => f.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(f => f.AppUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SessionCheckInConfiguration : IEntityTypeConfiguration<SessionCheckIn>
{
    public void Configure(EntityTypeBuilder<SessionCheckIn> builder)
    {
        builder.ToTable("agenda_checkins");
        builder.HasKey(c => new { c.SessionId, c.AppUserId });
        builder.HasIndex(c => new { c.AppUserId, c.SessionId });
        builder.HasOne<AgendaSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.AppUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
