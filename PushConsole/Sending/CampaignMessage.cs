namespace PushConsole.Sending;

/// <summary>
/// What recipients read: one or more variants (A/B test), each with content per language and optional
/// per-platform overrides. Stored as JSON on the campaign; the dispatcher renders it once per
/// (variant, language, platform).
/// </summary>
public sealed record CampaignMessage
{
    /// <summary>Content in this language is required; recipients whose language has no content get it.</summary>
    public required string DefaultLanguage { get; init; }
    /// <summary>One variant for a plain campaign; 2–5 for an A/B test (weights sum to 100).</summary>
    public required IReadOnlyList<CampaignVariant> Variants { get; init; }
    /// <summary>How an A/B test picks its winner; null for a plain campaign.</summary>
    public WinnerRule? Winner { get; init; }
}

public sealed record CampaignVariant
{
    /// <summary>"A", "B", …; "control" for the control group.</summary>
    public required string Key { get; init; }
    public string? Name { get; init; }
    /// <summary>Share of the audience in percent.</summary>
    public int Weight { get; init; } = 100;
    /// <summary>A control group gets nothing; it is measured for lift.</summary>
    public bool IsControl { get; init; }
    /// <summary>Language tag → content.</summary>
    public IReadOnlyDictionary<string, LocalizedContent> Content { get; init; } = new Dictionary<string, LocalizedContent>();
    public PlatformOverrides? Overrides { get; init; }
    /// <summary>Up to 3 action buttons, in order; their titles per language are in <see cref="LocalizedContent.ActionTitles"/>.</summary>
    public IReadOnlyList<PushAction>? Actions { get; init; }
}

/// <summary>An action button: <see cref="Id"/> is <c>[a-z0-9_-]{1,32}</c> and comes back as <c>actionId</c> on a click; <see cref="Url"/> is https or an app link.</summary>
public sealed record PushAction
{
    public required string Id { get; init; }
    /// <summary>The title in the message's default language.</summary>
    public required string Title { get; init; }
    public string? Url { get; init; }
}

public sealed record LocalizedContent
{
    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? ImageUrl { get; init; }
    /// <summary>Where a click leads (deep link or https URL).</summary>
    public string? Link { get; init; }
    /// <summary>Custom key/value pairs delivered with the push (all strings, as FCM requires).</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }
    /// <summary>Action id → button title in this language (falls back to the action's default title).</summary>
    public IReadOnlyDictionary<string, string>? ActionTitles { get; init; }
}

public sealed record PlatformOverrides
{
    public AndroidOverrides? Android { get; init; }
    public IosOverrides? Ios { get; init; }
    public WebOverrides? Web { get; init; }
}

public sealed record AndroidOverrides
{
    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? ChannelId { get; init; }
    public string? Icon { get; init; }
    public string? Color { get; init; }
    public IReadOnlyDictionary<string, string>? Data { get; init; }
}

public sealed record IosOverrides
{
    public string? Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Body { get; init; }
    public string? Sound { get; init; }
    public int? Badge { get; init; }
    public string? ThreadId { get; init; }
    /// <summary>The APNs notification category (action buttons), not the consent category.</summary>
    public string? Category { get; init; }
    public IReadOnlyDictionary<string, string>? Data { get; init; }
}

public sealed record WebOverrides
{
    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? Icon { get; init; }
    public string? Url { get; init; }
}

public enum WinnerMode { Manual = 0, Automatic = 1 }

/// <summary>What an A/B test compares: opens ÷ sent, CTR (clicks ÷ delivered, else ÷ sent) or conversions ÷ sent.</summary>
public enum WinnerMetric { OpenRate = 0, Ctr = 1, ConversionRate = 2 }

/// <summary>
/// Automatic: send the test to <see cref="TestPercent"/> of the audience, wait <see cref="WaitMinutes"/>,
/// then send the variant with the best open rate (when a two-proportion test says it is better, else the default) to the rest.
/// </summary>
public sealed record WinnerRule
{
    public WinnerMode Mode { get; init; }
    public int TestPercent { get; init; } = 20;
    public int WaitMinutes { get; init; } = 60;
    /// <summary>The variant the rest gets when no variant is significantly better.</summary>
    public string DefaultVariant { get; init; } = "A";
    /// <summary>The figure the test compares (two-proportion z-test on it).</summary>
    public WinnerMetric Metric { get; init; } = WinnerMetric.OpenRate;
    /// <summary>Set once a winner is chosen (manually or automatically).</summary>
    public string? ChosenVariant { get; init; }
    public DateTime? ChosenAt { get; init; }
    /// <summary>Why this variant: who picked it, or the open rates and the test's verdict.</summary>
    public string? ChosenBecause { get; init; }
}
