using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;

namespace PushConsole.Game;

public enum ChallengeKind { Events = 0, Qr = 1, Quiz = 2 }

/// <summary>
/// Something attendees do for points (<c>/v4/challenges</c>): repeat an event <see cref="EventCount"/> times, find
/// <see cref="CodeCount"/> printed QR codes, or answer a flash quiz. <see cref="ExternalId"/> is the id the API names it by.
/// </summary>
public sealed class Challenge
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public ChallengeKind Kind { get; set; }
    /// <summary>Awarded on completion (events, a right quiz answer) or per code found (qr).</summary>
    public int Points { get; set; }
    public DateTime? ActiveFrom { get; set; }
    public DateTime? ActiveUntil { get; set; }
    /// <summary>Badge earned on completion (a short name, e.g. "Explorer").</summary>
    public string? Badge { get; set; }
    /// <summary>Events kind: what counts (type, optional name / session / geofence) and how many times.</summary>
    public string? EventType { get; set; }
    public string? EventName { get; set; }
    public string? EventSessionId { get; set; }
    public string? EventGeofenceId { get; set; }
    public int EventCount { get; set; }
    /// <summary>QR kind: how many printable codes, and a hint per code (JSON array of strings).</summary>
    public int CodeCount { get; set; }
    public string? HintsJson { get; set; }
    /// <summary>Quiz kind: question, options, correct option, close time, audience and push body (<see cref="QuizSpec"/> as JSON).</summary>
    public string? QuizJson { get; set; }
    public DateTime? LaunchedAt { get; set; }
    public DateTime? ClosesAt { get; set; }
    public long? CampaignId { get; set; }
    /// <summary>When the "the answer was B" push went to those who answered (once, after the close).</summary>
    public DateTime? RevealedAt { get; set; }
    public long? RevealCampaignId { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool IsActive(DateTime now) => (ActiveFrom is null || ActiveFrom <= now) && (ActiveUntil is null || now < ActiveUntil);

    public bool IsOpenQuiz(DateTime now) => Kind == ChallengeKind.Quiz && LaunchedAt is not null && ClosesAt is { } c && now < c;
}

public sealed class ChallengeConfiguration : IEntityTypeConfiguration<Challenge>
{
    public const int MaxExternalId = 64;

    public void Configure(EntityTypeBuilder<Challenge> builder)
    {
        builder.ToTable("game_challenges");
        builder.HasIndex(c => new { c.AppId, c.ExternalId }).IsUnique();
        // clicks on a quiz push find their quiz by the campaign
        builder.HasIndex(c => c.CampaignId);
        builder.Property(c => c.ExternalId).HasMaxLength(MaxExternalId);
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Badge).HasMaxLength(60);
        builder.Property(c => c.EventType).HasMaxLength(40);
        builder.Property(c => c.EventName).HasMaxLength(100);
        builder.Property(c => c.EventSessionId).HasMaxLength(128);
        builder.Property(c => c.EventGeofenceId).HasMaxLength(64);
        builder.Property(c => c.CreatedBy).HasMaxLength(200);
        builder.HasOne<App>().WithMany().HasForeignKey(c => c.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
