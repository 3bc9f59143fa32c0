using PushConsole.Devices;

namespace PushConsole.Campaigns;

/// <summary>
/// Who gets it. <see cref="All"/> or any combination of filters, which intersect (EngageLab semantics):
/// installation ids, user ids, tags (any / all / none) and a platform filter. A tag matches when the
/// installation or its user carries it.
/// </summary>
public sealed record AudienceSpec
{
    public bool All { get; init; }
    public IReadOnlyList<string>? InstallationIds { get; init; }
    public IReadOnlyList<string>? UserIds { get; init; }
    public IReadOnlyList<string>? TagsAny { get; init; }
    public IReadOnlyList<string>? TagsAll { get; init; }
    public IReadOnlyList<string>? TagsNone { get; init; }
    /// <summary>The installations a console user (by sign-in name) keeps as "my test devices" (<c>test_devices</c>).</summary>
    public string? TestDevicesOf { get; init; }
    /// <summary>Null or empty = every platform.</summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }

    public static AudienceSpec Everyone { get; } = new() { All = true };
}
