using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Audit;

/// <summary>Who did what, when: sign-ins, app and credential changes, role changes, sends, token reveals.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>Console user's email, "cli", "system" or "api:{appKey}".</summary>
    public required string Actor { get; set; }
    /// <summary>Dotted verb, e.g. <c>app.created</c>, <c>credentials.fcm.updated</c>, <c>user.sign_in</c>.</summary>
    public required string Action { get; set; }
    public string? Target { get; set; }
    /// <summary>Human-readable details; never a secret.</summary>
    public string? Details { get; set; }
    public string? RemoteAddress { get; set; }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.Target).HasMaxLength(300);
        builder.Property(e => e.Details).HasMaxLength(2000);
        builder.Property(e => e.RemoteAddress).HasMaxLength(64);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.Action, e.At });
    }
}
