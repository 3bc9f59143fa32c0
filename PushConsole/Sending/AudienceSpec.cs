using PushConsole.Devices;

namespace PushConsole.Sending;

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

    /// <summary>Everyone, or at least one filter: an audience without any names nobody.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // derived: not part of the stored audience
    public bool HasFilter =>
        All || InstallationIds is { Count: > 0 } || UserIds is { Count: > 0 } || TagsAny is { Count: > 0 } || TagsAll is { Count: > 0 }
        || TagsNone is { Count: > 0 } || FavoritedSessionIds is { Count: > 0 } || CheckedInSessionIds is { Count: > 0 }
        || !string.IsNullOrEmpty(TestDevicesOf) || SegmentId is not null;

    public static AudienceSpec Everyone { get; } = new() { All = true };
}
