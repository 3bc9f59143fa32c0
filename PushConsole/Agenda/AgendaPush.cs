using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Agenda;

public enum AgendaPushKind { Reminder = 0, ChangeAlert = 1, Survey = 2 }

/// <summary>
/// One agenda push that went out as a campaign. <see cref="PushKey"/> is unique per app and claimed before the campaign is
/// created, so a reminder fired twice, a change notified twice or a survey planned twice sends once.
/// </summary>
public sealed class AgendaPush
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public long SessionId { get; set; }
    public AgendaPushKind Kind { get; set; }
    /// <summary>e.g. "reminder:12:3:1774771200", "change:40", "survey:12".</summary>
    public required string PushKey { get; set; }
    public long? RuleId { get; set; }
    public long? ChangeId { get; set; }
    public long? CampaignId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class AgendaPushConfiguration : IEntityTypeConfiguration<AgendaPush>
{
    public void Configure(EntityTypeBuilder<AgendaPush> builder)
    {
        builder.ToTable("agenda_pushes");
        builder.Property(p => p.PushKey).HasMaxLength(100);
        builder.HasIndex(p => new { p.AppId, p.PushKey }).IsUnique();
        builder.HasIndex(p => p.SessionId);
        builder.HasOne<AgendaSession>().WithMany().HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PushConsole.Sending.Campaign>().WithMany().HasForeignKey(p => p.CampaignId).OnDelete(DeleteBehavior.SetNull);
    }
}
