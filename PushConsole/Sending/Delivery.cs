using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending;

public enum DeliveryStatus
{
    Pending = 0,
    InFlight = 1,
    Sent = 2,
    Failed = 3,
    InvalidToken = 4,
    Expired = 5,
    Suppressed = 6,
    Cancelled = 7,
    /// <summary>Held by a paused campaign; back to pending on resume.</summary>
    Held = 8,
    /// <summary>The rest of an A/B test's audience, held until the winner is picked; pause and resume leave it alone.</summary>
    AwaitingWinner = 9,
}

/// <summary>
/// The outbox: one row per campaign × installation. Hot table, written and read with batched SQL
/// (Dapper), never per-row SaveChanges; times are Unix milliseconds so claims compare integers.
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public long AppId { get; set; }
    public long InstallationId { get; set; }
    public long? UserId { get; set; }
    public PushProvider Provider { get; set; }
    /// <summary>Stored as its number: 1 = APNs sandbox, 0 = APNs production and every other provider.</summary>
    public ApnsEnvironment Environment { get; set; }
    public required string Variant { get; set; }
    public required string Language { get; set; }
    public DeliveryStatus Status { get; set; }
    /// <summary>Suppression reason (no_consent, category_opted_out, frequency_cap, …), failure class, or a deferral note.</summary>
    public string? Reason { get; set; }
    public long DueAtMs { get; set; }
    public long ExpiresAtMs { get; set; }
    public int Attempts { get; set; }
    public long LeaseUntilMs { get; set; }
    public string? LeaseOwner { get; set; }
    public string? ProviderMessageId { get; set; }
    /// <summary>The provider's raw answer to the last attempt (status and body, trimmed).</summary>
    public string? ProviderAnswer { get; set; }
    public long CreatedAtMs { get; set; }
    public long? SentAtMs { get; set; }
    public long? ReceivedAtMs { get; set; }
    public long? OpenedAtMs { get; set; }
    public long? DismissedAtMs { get; set; }
    /// <summary>First tap on the notification or one of its buttons (a click is also an open).</summary>
    public long? ClickedAtMs { get; set; }
    /// <summary>The button of that first click; null = the body.</summary>
    public string? ClickedAction { get; set; }
    /// <summary>A session started within the influence window after the receipt, else the send (an influenced open while there is no direct open).</summary>
    public long? InfluencedAtMs { get; set; }
    /// <summary>The campaign's conversion event happened within its window after the send.</summary>
    public long? ConvertedAtMs { get; set; }
}

public sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("deliveries");
        builder.Property(d => d.Variant).HasMaxLength(20);
        builder.Property(d => d.Language).HasMaxLength(35);
        builder.Property(d => d.Reason).HasMaxLength(100);
        builder.Property(d => d.LeaseOwner).HasMaxLength(100);
        builder.Property(d => d.ProviderMessageId).HasMaxLength(200);
        builder.Property(d => d.ProviderAnswer).HasMaxLength(1000);
        builder.Property(d => d.ClickedAction).HasMaxLength(32);
        // the claim: pending rows in due order
        builder.HasIndex(d => new { d.Status, d.DueAtMs });
        // counters per campaign, pause/resume/cancel
        builder.HasIndex(d => new { d.CampaignId, d.Status });
        // a launch that resumes after a crash writes each recipient once
        builder.HasIndex(d => new { d.CampaignId, d.InstallationId }).IsUnique();
        // delivery history on the lookup page
        builder.HasIndex(d => new { d.InstallationId, d.Id });
        // frequency caps and unsubscribe attribution
        builder.HasIndex(d => new { d.UserId, d.SentAtMs });
        builder.HasOne<PushConsole.Sending.Campaign>().WithMany().HasForeignKey(d => d.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
