using PushConsole.Sending.Providers;

namespace PushConsole.Sending;

/// <summary>How the message travels: visible or background, lifetime, priority, replacement, consent category.</summary>
public sealed record DeliveryOptions
{
    public PushType PushType { get; init; } = PushType.Alert;
    /// <summary>Seconds the providers keep trying; deliveries not sent within it become <c>expired</c>. Max 28 days.</summary>
    public int TtlSeconds { get; init; } = 86_400;
    public PushPriority Priority { get; init; } = PushPriority.High;
    /// <summary>A newer push with the same collapse id replaces the older one on the device.</summary>
    public string? CollapseId { get; init; }
    /// <summary>Consent category key (e.g. "marketing", "program_changes"); null = uncategorised.</summary>
    public string? Category { get; init; }
    /// <summary>Extra data added to every payload (the server API's custom_args).</summary>
    public IReadOnlyDictionary<string, string>? CustomData { get; init; }
    /// <summary>What counts as a conversion of this push (<c>options.conversion</c>); null = none measured.</summary>
    public ConversionGoal? Conversion { get; init; }
    /// <summary>Which of a user's devices get it: every device (default) or only the one used last.</summary>
    public DeviceChoice Devices { get; init; } = DeviceChoice.All;

    public const int MaxTtlSeconds = 28 * 24 * 3600;
}

/// <summary>A recipient converts when their device or user records <see cref="Event"/> (a client event type or a custom event's name) within <see cref="WithinSeconds"/> after the push was sent.</summary>
public sealed record ConversionGoal
{
    public const int MaxWithinSeconds = 30 * 24 * 3600;
    public required string Event { get; init; }
    public int WithinSeconds { get; init; } = 86_400;
}

public enum DeviceChoice { All = 0, LastActive = 1 }
