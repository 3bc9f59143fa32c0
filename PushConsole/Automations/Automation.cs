using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Devices;

namespace PushConsole.Automations;

/// <summary>"When this happens, then push": a trigger and a sequence of steps, stored as the validated JSON definition.</summary>
public sealed class Automation
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; }
    /// <summary>The definition as the API takes it (trigger, audience, steps, reentry, exit_on), snake_case JSON.</summary>
    public required string Definition { get; set; }
    /// <summary>event, inactivity, segment_entry or schedule (the engine's pollers look only at their own kind).</summary>
    public required string TriggerKind { get; set; }
    /// <summary>Next fire time of a schedule trigger, or next evaluation of a segment_entry trigger (UTC).</summary>
    public DateTime? NextCheckAt { get; set; }
    /// <summary>Bumped on each change, so every instance's trigger index knows to reload.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum RunStatus : short { Pending = 0, Active = 1, Waiting = 2, Completed = 3, Exited = 4, NotEligible = 5 }

/// <summary>
/// One user's way through one automation: where it is (<see cref="Position"/>, a step path such as <c>2.then.0</c>) and when it
/// resumes. A user in a 3-day delay costs this row and nothing in memory.
/// </summary>
public sealed class AutomationRun
{
    public long Id { get; set; }
    public long AutomationId { get; set; }
    public long AppId { get; set; }
    public long AppUserId { get; set; }
    public required string UserExternalId { get; set; }
    public RunStatus Status { get; set; }
    /// <summary>The step to run next (Active) or being waited on (Waiting); "" once ended.</summary>
    public required string Position { get; set; }
    /// <summary>When the engine takes it up again: after a delay, or a wait's timeout.</summary>
    public DateTime ResumeAt { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    /// <summary>What started it (an event's fingerprint, a schedule's fire time): the same trigger delivered twice starts one run.</summary>
    public required string TriggerKey { get; set; }
    /// <summary>The trigger event as tokens read it: name, properties, session and geofence ids (JSON).</summary>
    public string? Context { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>A step a run has executed (or skipped), claimed before its effect: a step never runs twice for a run.</summary>
public sealed class AutomationStepLog
{
    public long RunId { get; set; }
    public required string Path { get; set; }
    public long AutomationId { get; set; }
    public DateTime At { get; set; }
    /// <summary>The push step's campaign (null for other steps or a push not sent).</summary>
    public long? CampaignId { get; set; }
}

/// <summary>When a user counts as inactive for an inactivity trigger: moved on each session_start, so nothing scans all users.</summary>
public sealed class AutomationInactivity
{
    public long AutomationId { get; set; }
    public long AppUserId { get; set; }
    public DateTime DueAt { get; set; }
}

/// <summary>Users currently in a segment_entry automation's segment (an entry is a user not yet listed here).</summary>
public sealed class AutomationSegmentMember
{
    public long AutomationId { get; set; }
    public long AppUserId { get; set; }
}

public sealed class AutomationConfiguration : IEntityTypeConfiguration<Automation>
{
    public const int MaxName = 200;
    public const int MaxDefinition = 200_000;

    public void Configure(EntityTypeBuilder<Automation> builder)
    {
        builder.ToTable("automations");
        builder.Property(a => a.Name).HasMaxLength(MaxName);
        builder.Property(a => a.Definition).HasMaxLength(MaxDefinition);
        builder.Property(a => a.TriggerKind).HasMaxLength(20);
        builder.HasOne<Apps.App>().WithMany().HasForeignKey(a => a.AppId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.AppId, a.Name });
        builder.HasIndex(a => new { a.TriggerKind, a.NextCheckAt });
    }
}

public sealed class AutomationRunConfiguration : IEntityTypeConfiguration<AutomationRun>
{
    public void Configure(EntityTypeBuilder<AutomationRun> builder)
    {
        builder.ToTable("automation_runs");
        builder.Property(r => r.UserExternalId).HasMaxLength(AppUserConfiguration.MaxExternalId);
        builder.Property(r => r.Position).HasMaxLength(200);
        builder.Property(r => r.LeaseOwner).HasMaxLength(100);
        builder.Property(r => r.TriggerKey).HasMaxLength(100);
        builder.Property(r => r.Context).HasMaxLength(8192);
        builder.HasOne<Automation>().WithMany().HasForeignKey(r => r.AutomationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.AppUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.AutomationId, r.AppUserId, r.TriggerKey }).IsUnique();
        // the engine's due query walks open runs in resume order and stops at its batch (no sort of every due run, ended runs not indexed)
        builder.HasIndex(r => r.ResumeAt).HasFilter("status IN (0, 1, 2)");
        // waits and exits: the open runs of the users an event batch names
        builder.HasIndex(r => new { r.AppUserId, r.Status });
    }
}

public sealed class AutomationStepLogConfiguration : IEntityTypeConfiguration<AutomationStepLog>
{
    public void Configure(EntityTypeBuilder<AutomationStepLog> builder)
    {
        builder.ToTable("automation_step_log");
        builder.HasKey(s => new { s.RunId, s.Path });
        builder.Property(s => s.Path).HasMaxLength(200);
        builder.HasOne<AutomationRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.AutomationId, s.Path });
    }
}

public sealed class AutomationInactivityConfiguration : IEntityTypeConfiguration<AutomationInactivity>
{
    public void Configure(EntityTypeBuilder<AutomationInactivity> builder)
    {
        builder.ToTable("automation_inactivity");
        builder.HasKey(s => new { s.AutomationId, s.AppUserId });
        builder.HasOne<Automation>().WithMany().HasForeignKey(s => s.AutomationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.AppUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.DueAt);
    }
}

public sealed class AutomationSegmentMemberConfiguration : IEntityTypeConfiguration<AutomationSegmentMember>
{
    public void Configure(EntityTypeBuilder<AutomationSegmentMember> builder)
    {
        builder.ToTable("automation_segment_members");
        builder.HasKey(s => new { s.AutomationId, s.AppUserId });
        builder.HasOne<Automation>().WithMany().HasForeignKey(s => s.AutomationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.AppUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
