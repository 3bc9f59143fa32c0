using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;
using PushConsole.Devices;

namespace PushConsole.Game;

/// <summary>One award in the points ledger: unique per (app, user, <see cref="AwardKey"/>), so a retry or a race never counts twice. Personal data.</summary>
public sealed class PointsEntry
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long AppUserId { get; set; }
    public required string AwardKey { get; set; }
    public required string Reason { get; set; }
    public int Points { get; set; }
    /// <summary>The challenge it came from (null for automations and other reasons): daily caps sum by it.</summary>
    public long? ChallengeId { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A player: the running total kept in the award's transaction (ranks read it) and the leaderboard choice.</summary>
public sealed class GamePlayer
{
    public long AppUserId { get; set; }
    public long AppId { get; set; }
    public long Points { get; set; }
    /// <summary>Shown by name on the leaderboard (preferences <c>"leaderboard": true</c>); otherwise "Attendee #id".</summary>
    public bool Leaderboard { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A user's way through one challenge: matching events or codes so far, when completed, when told. Anonymised on erasure (counts stay).</summary>
public sealed class ChallengeProgress
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long ChallengeId { get; set; }
    public long? AppUserId { get; set; }
    public int Count { get; set; }
    public DateTime? CompletedAt { get; set; }
    /// <summary>The completion push was handed to a campaign (or skipped); null = still to send.</summary>
    public DateTime? NotifiedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A QR code a user scanned: once per (challenge, user, code).</summary>
public sealed class QrScan
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long ChallengeId { get; set; }
    public long? AppUserId { get; set; }
    public int Code { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A quiz answer: the first one per user counts. Anonymised on erasure (the chart keeps its bars).</summary>
public sealed class QuizAnswer
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long ChallengeId { get; set; }
    public long? AppUserId { get; set; }
    public required string OptionId { get; set; }
    public bool Correct { get; set; }
    public DateTime At { get; set; }
}

/// <summary>The app's key that signs its QR codes (HMAC-SHA256), encrypted at rest with Data Protection.</summary>
public sealed class GameSecret
{
    public long AppId { get; set; }
    public required string ProtectedKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class GameRecordsConfiguration :
    IEntityTypeConfiguration<PointsEntry>, IEntityTypeConfiguration<GamePlayer>, IEntityTypeConfiguration<ChallengeProgress>,
    IEntityTypeConfiguration<QrScan>, IEntityTypeConfiguration<QuizAnswer>, IEntityTypeConfiguration<GameSecret>
{
    public void Configure(EntityTypeBuilder<PointsEntry> builder)
    {
        builder.ToTable("game_points");
        builder.HasIndex(p => new { p.AppId, p.AppUserId, p.AwardKey }).IsUnique();
        // per-day leaderboards and daily caps read by time
        builder.HasIndex(p => new { p.AppId, p.At });
        builder.Property(p => p.AwardKey).HasMaxLength(200);
        builder.Property(p => p.Reason).HasMaxLength(200);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.AppUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<App>().WithMany().HasForeignKey(p => p.AppId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<GamePlayer> builder)
    {
        builder.ToTable("game_players");
        builder.HasKey(p => p.AppUserId);
        builder.HasIndex(p => new { p.AppId, p.AppUserId }).IsUnique();
        // ranks count those above; the leaderboard reads the top
        builder.HasIndex(p => new { p.AppId, p.Points });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.AppUserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ChallengeProgress> builder)
    {
        builder.ToTable("game_progress");
        builder.HasIndex(p => new { p.ChallengeId, p.AppUserId }).IsUnique();
        builder.HasIndex(p => p.AppUserId);
        // the push worker looks for completions not yet told
        builder.HasIndex(p => new { p.NotifiedAt, p.CompletedAt });
        builder.HasOne<Challenge>().WithMany().HasForeignKey(p => p.ChallengeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.AppUserId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<QrScan> builder)
    {
        builder.ToTable("game_scans");
        builder.HasIndex(s => new { s.ChallengeId, s.AppUserId, s.Code }).IsUnique();
        builder.HasIndex(s => new { s.AppUserId, s.At });
        builder.HasOne<Challenge>().WithMany().HasForeignKey(s => s.ChallengeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.AppUserId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<QuizAnswer> builder)
    {
        builder.ToTable("game_answers");
        builder.HasIndex(a => new { a.ChallengeId, a.AppUserId }).IsUnique();
        builder.HasIndex(a => a.AppUserId);
        builder.Property(a => a.OptionId).HasMaxLength(32);
        builder.HasOne<Challenge>().WithMany().HasForeignKey(a => a.ChallengeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.AppUserId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<GameSecret> builder)
    {
        builder.ToTable("game_secrets");
        builder.HasKey(s => s.AppId);
        builder.HasOne<App>().WithMany().HasForeignKey(s => s.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
