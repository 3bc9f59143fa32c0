using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Apps;

namespace PushConsole.Consent;

/// <summary>An app's sending rules: whether consent must be explicit, quiet hours, frequency cap. One row per app.</summary>
public sealed class ConsentSettings
{
    public long AppId { get; set; }
    /// <summary>
    /// True: only people who granted consent get non-transactional pushes (unknown is suppressed).
    /// False: the device's notification permission counts as consent until the person withdraws it.
    /// </summary>
    public bool RequireExplicitConsent { get; set; }
    public bool QuietHoursEnabled { get; set; } = true;
    /// <summary>Minutes after local midnight; the window may wrap midnight (22:00–08:00).</summary>
    public int QuietStartMinute { get; set; } = DefaultQuietStart;
    public int QuietEndMinute { get; set; } = DefaultQuietEnd;
    /// <summary>At most this many non-transactional pushes per person in <see cref="CapWindowHours"/>; null = no cap.</summary>
    public int? FrequencyCap { get; set; }
    public int CapWindowHours { get; set; } = 24;
    public DateTime UpdatedAt { get; set; }

    public const int DefaultQuietStart = 22 * 60;
    public const int DefaultQuietEnd = 8 * 60;

    public static ConsentSettings DefaultsFor(long appId, DateTime now) => new() { AppId = appId, UpdatedAt = now };
}

public sealed class ConsentSettingsConfiguration : IEntityTypeConfiguration<ConsentSettings>
{
    public void Configure(EntityTypeBuilder<ConsentSettings> builder)
    {
        builder.ToTable("consent_settings");
        builder.HasKey(s => s.AppId);
        builder.Property(s => s.AppId).ValueGeneratedNever();
        builder.HasOne<App>().WithMany().HasForeignKey(s => s.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
