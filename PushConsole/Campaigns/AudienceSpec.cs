using PushConsole.Devices;

namespace PushConsole.Campaigns;

/// <summary>
/// Who gets it. <see cref="All"/> or any combination of filters, which intersect (EngageLab semantics):
/// installation ids, user ids, tags (any / all / none), a saved segment and a platform filter. A tag matches when the
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
    /// <summary>A saved segment of the app (<c>segments.id</c>): its rules are evaluated when the campaign launches.</summary>
    public long? SegmentId { get; init; }
    /// <summary>Null or empty = every platform.</summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }
    /// <summary>
    /// Agenda: users who favourited any of these sessions (row ids of <c>agenda_sessions</c>). Together with
    /// <see cref="CheckedInSessionIds"/> it is one filter — favourited any of the first OR checked in to any of the
    /// second — which intersects with the others.
    /// </summary>
    public IReadOnlyList<long>? FavoritedSessionIds { get; init; }
    /// <summary>Agenda: users who checked in to any of these sessions (see <see cref="FavoritedSessionIds"/>).</summary>
    public IReadOnlyList<long>? CheckedInSessionIds { get; init; }

    public static AudienceSpec Everyone { get; } = new() { All = true };
}
