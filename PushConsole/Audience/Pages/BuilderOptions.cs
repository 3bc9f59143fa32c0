using System.Globalization;

namespace PushConsole.Audience.Pages;

/// <summary>What the builder's inputs offer for one app: loaded once per page, attribute values on demand.</summary>
public sealed class BuilderOptions
{
    public static readonly BuilderOptions Empty = new();

    public long AppId { get; init; }
    public long? SegmentId { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> AttributeNames { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = [];
    public IReadOnlyList<string> AppVersions { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>The agenda's sessions: stable id and "title (day time)".</summary>
    public IReadOnlyList<(string Value, string Label)> Sessions { get; init; } = [];
    public IReadOnlyList<string> Tracks { get; init; } = [];
    /// <summary>Ids of the app's geofences (the "geofence" field's name).</summary>
    public IReadOnlyList<string> Geofences { get; init; } = [];
    /// <summary>Agenda fields are offered once the app has sessions (a saved rule keeps showing its own).</summary>
    public bool HasAgenda => Sessions.Count > 0;
    /// <summary>Other saved segments of the app (not this one).</summary>
    public IReadOnlyList<(long Id, string Name)> Segments { get; init; } = [];
    public Dictionary<string, IReadOnlyList<string>> AttributeValues { get; } = [];

    public static async Task<BuilderOptions> LoadAsync(SegmentSuggestions suggestions, SegmentService segments, long appId, long? segmentId, CancellationToken ct = default) => new()
    {
        AppId = appId,
        SegmentId = segmentId,
        Tags = await suggestions.TagsAsync(appId, ct),
        AttributeNames = await suggestions.AttributeNamesAsync(appId, ct),
        Languages = await suggestions.LanguagesAsync(appId, ct),
        AppVersions = await suggestions.AppVersionsAsync(appId, ct),
        Categories = await suggestions.CategoriesAsync(ct),
        Sessions = await suggestions.SessionsAsync(appId, ct),
        Tracks = await suggestions.TracksAsync(appId, ct),
        Geofences = await suggestions.GeofencesAsync(appId, ct),
        Segments = [.. (await segments.ListAsync(appId, ct)).Where(s => s.Id != segmentId).Select(s => (s.Id, s.Name))],
    };

    /// <summary>Values to suggest for a list or text input of <paramref name="field"/>.</summary>
    public IReadOnlyList<(string Value, string Label)> Suggestions(SegmentField field, string? name) => field.Values switch
    {
        Suggest.Tags => Plain(Tags),
        Suggest.Languages => Plain(Languages),
        Suggest.TimeZones => Plain(TimeZoneCountries.ZoneIds),
        Suggest.AppVersions => Plain(AppVersions),
        Suggest.AttributeValues => Plain(name is not null && AttributeValues.TryGetValue(name, out var values) ? values : []),
        Suggest.Segments => [.. Segments.Select(s => (s.Id.ToString(CultureInfo.InvariantCulture), s.Name))],
        Suggest.Sessions => Sessions,
        Suggest.Tracks => Plain(Tracks),
        _ => field.Choices?.Select(c => (c.Value, c.Label)).ToList() ?? [],
    };

    public string Label(SegmentField field, string value) =>
        field.Values == Suggest.Segments ? Segments.FirstOrDefault(s => s.Id.ToString(CultureInfo.InvariantCulture) == value).Name ?? $"segment {value}"
        : field.Values == Suggest.Sessions ? Sessions.FirstOrDefault(s => s.Value == value).Label ?? $"session {value}"
        : field.Choices?.FirstOrDefault(c => c.Value == value)?.Label ?? value;

    private static List<(string, string)> Plain(IEnumerable<string> values) => [.. values.Select(v => (v, v))];
}
