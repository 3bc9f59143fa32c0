using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>What a condition's value is; drives validation, the SQL parameters and the builder's input.</summary>
public enum ValueKind
{
    /// <summary>No value (exists, opted in…).</summary>
    None,
    /// <summary>One or more of the field's fixed <see cref="SegmentField.Choices"/>.</summary>
    Choices,
    Text,
    TextList,
    Number,
    /// <summary>Two numbers, low and high, inclusive.</summary>
    NumberRange,
    /// <summary>yyyy-MM-dd (UTC day) or an ISO 8601 instant.</summary>
    Date,
    /// <summary>A whole number of days, 1–3650.</summary>
    Days,
    /// <summary>A whole number ≥ 0 (opens).</summary>
    Count,
    /// <summary>An app version such as 3.2 or 3.10.1; compared part by part, numerically.</summary>
    Version,
    VersionList,
    /// <summary>Ids of saved segments of the same app.</summary>
    Segments,
    /// <summary>Stable ids of agenda sessions of the same app (what apps and imports use).</summary>
    Sessions,
    /// <summary>One agenda track name, compared exactly.</summary>
    Track,
    /// <summary>A whole number of hours, 1–8760 (geofence entries).</summary>
    Hours,
}

/// <summary>Where the builder finds values to offer (tags, attribute names…); free text is accepted too unless the kind is Choices.</summary>
public enum Suggest { None, Tags, AttributeNames, AttributeValues, Languages, TimeZones, AppVersions, Categories, Segments, Sessions, Tracks, Geofences }

public sealed record FieldOperator(string Operator, ValueKind Kind);

public sealed record Choice(string Value, string Label);

/// <summary>A field a condition can test: its type, operators and where its values come from.</summary>
public sealed record SegmentField(
    string Id, string Label, string Group, string Description, IReadOnlyList<FieldOperator> Operators,
    IReadOnlyList<Choice>? Choices = null, Suggest Values = Suggest.None, Suggest Name = Suggest.None, string? NameLabel = null,
    int? DefaultDays = null)
{
    public bool HasName => Name != Suggest.None;
    public bool HasDays => DefaultDays is not null;
    public FieldOperator? Find(string op) => Operators.FirstOrDefault(o => o.Operator == op);
}

/// <summary>
/// The field catalogue: every field a segment may test, with the operators that fit its type. Validation,
/// the SQL translation and the builder all read it. A new field needs an entry, its SQL in <see cref="SegmentSql"/>
/// and its values in <see cref="SegmentSuggestions"/> (counts read it in SQL until <see cref="SegmentIndexEvaluator"/> learns it,
/// and its tables feed <see cref="SegmentChangeTriggers"/>); the agenda fields (favourited session, track) read the
/// agenda's tables through the installation's user.
/// </summary>
public static class SegmentFields
{
    public const string Platform = "platform", PushState = "push_state", AppVersion = "app_version", Language = "language",
        TimeZone = "time_zone", UtcOffset = "utc_offset", Country = "country", User = "user", Tags = "tags",
        Attribute = "attribute", Consent = "consent", Category = "category", FirstSeen = "first_seen", LastSeen = "last_seen",
        UserCreated = "user_created", UserLastActive = "user_last_active", Opens = "opens", Engagement = "engagement",
        Segment = "segment", FavoritedSession = "favorited_session", Track = "track", Geofence = "geofence";

    /// <summary>The group of the fields that read the agenda (the builder offers them once the app has sessions).</summary>
    public const string AgendaGroup = "Agenda";

    /// <summary>Engagement levels by opens in the window: none 0, low 1–2, high 3 or more.</summary>
    public const int HighEngagementOpens = 3;

    private static readonly FieldOperator[] Membership = [new("in", ValueKind.Choices), new("not_in", ValueKind.Choices)];
    private static readonly FieldOperator[] Presence = [new("exists", ValueKind.None), new("not_exists", ValueKind.None)];
    private static readonly FieldOperator[] Dates =
    [
        new("before", ValueKind.Date), new("after", ValueKind.Date),
        new("within_last_days", ValueKind.Days), new("more_than_days_ago", ValueKind.Days),
    ];

    public static readonly IReadOnlyList<SegmentField> All =
    [
        new(Platform, "Platform", "Device", "android, ios or web.", Membership,
            Choices: [.. PlatformNames.All.Select(p => new Choice(PlatformNames.Of(p), PlatformNames.Describe(p)))]),
        new(PushState, "Push state", "Device", "Whether pushes reach the device.", Membership,
            Choices: [.. Enum.GetValues<PushState>().Select(s => new Choice(DeviceNames.Of(s), DeviceNames.Of(s).Replace('_', ' ')))]),
        new(AppVersion, "App version", "Device", "Compared part by part: 3.10 is after 3.9.",
            [new("equals", ValueKind.Version), new("not_equals", ValueKind.Version), new("in", ValueKind.VersionList), new("not_in", ValueKind.VersionList),
             new("gte", ValueKind.Version), new("gt", ValueKind.Version), new("lt", ValueKind.Version), new("lte", ValueKind.Version), .. Presence],
            Values: Suggest.AppVersions),
        new(Language, "Language", "Device", "The device's language, else the user's (as pushes are localised).",
            [new("in", ValueKind.TextList), new("not_in", ValueKind.TextList), .. Presence], Values: Suggest.Languages),
        new(TimeZone, "Time zone", "Location", "The device's IANA time zone, else the user's.",
            [new("in", ValueKind.TextList), new("not_in", ValueKind.TextList), .. Presence], Values: Suggest.TimeZones),
        new(UtcOffset, "UTC offset (hours)", "Location", "The time zone's offset from UTC right now, e.g. 1 to 3 for most of Europe.",
            [new("between", ValueKind.NumberRange)]),
        new(Country, "Country (from time zone)", "Location", "The country of the time zone (Europe/Paris → France).",
            Membership, Choices: TimeZoneCountries.Countries),
        new(User, "Logged-in user", "User", "Whether a user is logged in on the device.", Presence),
        new(Tags, "Tags", "User", "Tags of the device or of its user.",
            [new("has_any", ValueKind.TextList), new("has_all", ValueKind.TextList), new("has_none", ValueKind.TextList)], Values: Suggest.Tags),
        new(Attribute, "User attribute", "User", "An attribute the back-end set (role, company, any custom one).",
            [new("equals", ValueKind.Text), new("not_equals", ValueKind.Text), new("in", ValueKind.TextList), new("not_in", ValueKind.TextList),
             new("contains", ValueKind.Text), new("not_contains", ValueKind.Text), .. Presence,
             new("gt", ValueKind.Number), new("gte", ValueKind.Number), new("lt", ValueKind.Number), new("lte", ValueKind.Number)],
            Values: Suggest.AttributeValues, Name: Suggest.AttributeNames, NameLabel: "attribute"),
        new(Consent, "Consent", "User", "What the app reported: granted, withdrawn, or nothing yet.", Membership,
            Choices: [new("granted", "granted"), new("withdrawn", "withdrawn"), new("unknown", "not reported")]),
        new(Category, "Notification category", "User", "A category the user opted in to or out of (reminders, marketing…).",
            [new("opted_in", ValueKind.None), new("opted_out", ValueKind.None)], Name: Suggest.Categories, NameLabel: "category"),
        new(FirstSeen, "Device registered", "Activity", "When the device first registered.", Dates),
        new(LastSeen, "Device last active", "Activity", "The device's last registration or event.", Dates),
        new(UserCreated, "User created", "Activity", "When the user first appeared.", Dates),
        new(UserLastActive, "User last active", "Activity", "The user's last event on any device.", [.. Dates, .. Presence]),
        new(Opens, "Opens", "Engagement", "Notifications opened on the device in the last N days.",
            [new("gte", ValueKind.Count), new("lte", ValueKind.Count)], DefaultDays: 30),
        new(Engagement, "Engagement", "Engagement", $"Opens on the device in the last N days: none (0), low (1–{HighEngagementOpens - 1}), high ({HighEngagementOpens}+).",
            Membership, Choices: [new("none", "none"), new("low", "low"), new("high", "high")], DefaultDays: 30),
        new(FavoritedSession, "Favourited session", AgendaGroup, "The device's user favourited any (or none) of the sessions.",
            [new("in", ValueKind.Sessions), new("not_in", ValueKind.Sessions)], Values: Suggest.Sessions),
        new(Track, "Track", AgendaGroup, "The device's user favourited or checked in to any session of the track.",
            [new("favorited", ValueKind.Track), new("not_favorited", ValueKind.Track), new("checked_in", ValueKind.Track), new("not_checked_in", ValueKind.Track),
             new("favorited_or_checked_in", ValueKind.Track), new("not_favorited_or_checked_in", ValueKind.Track)], Values: Suggest.Tracks),
        new(Geofence, "Geofence", "Location", "The device, or another device of its user, reported entering the geofence (within the last N hours, ever or never).",
            [new("entered_within_hours", ValueKind.Hours), new("not_entered_within_hours", ValueKind.Hours), new("entered", ValueKind.None), new("not_entered", ValueKind.None)],
            Name: Suggest.Geofences, NameLabel: "geofence"),
        new(Segment, "Member of segment", "Segments", "Matches another saved segment of the app.",
            [new("in", ValueKind.Segments), new("not_in", ValueKind.Segments)], Values: Suggest.Segments),
    ];

    private static readonly Dictionary<string, SegmentField> ById = All.ToDictionary(f => f.Id, StringComparer.Ordinal);

    public static SegmentField? Find(string? id) => id is not null && ById.TryGetValue(id, out var f) ? f : null;

    public static string OperatorLabel(string field, string op) => (field, op) switch
    {
        (Segment, "in") => "is in any of",
        (Segment, "not_in") => "is in none of",
        (Track, "favorited") => "favourited a session of",
        (Track, "not_favorited") => "favourited no session of",
        (Track, "checked_in") => "checked in to a session of",
        (Track, "not_checked_in") => "checked in to no session of",
        (Track, "favorited_or_checked_in") => "favourited or checked in to a session of",
        (Track, "not_favorited_or_checked_in") => "neither favourited nor checked in to a session of",
        (Geofence, "entered_within_hours") => "entered within the last (hours)",
        (Geofence, "not_entered_within_hours") => "did not enter within the last (hours)",
        (Geofence, "entered") => "entered at some time",
        (Geofence, "not_entered") => "never entered",
        (Opens, "gte") => "at least",
        (Opens, "lte") => "at most",
        (_, "in") => "is any of",
        (_, "not_in") => "is none of",
        (_, "equals") => "is",
        (_, "not_equals") => "is not",
        (_, "contains") => "contains",
        (_, "not_contains") => "does not contain",
        (_, "exists") => "is set",
        (_, "not_exists") => "is not set",
        (_, "gt") => "is greater than",
        (_, "gte") => "is at least",
        (_, "lt") => "is less than",
        (_, "lte") => "is at most",
        (_, "between") => "is between",
        (_, "before") => "is before",
        (_, "after") => "is after",
        (_, "within_last_days") => "is within the last (days)",
        (_, "more_than_days_ago") => "is more than (days) ago",
        (_, "has_any") => "has any of",
        (_, "has_all") => "has all of",
        (_, "has_none") => "has none of",
        (_, "opted_in") => "opted in",
        (_, "opted_out") => "opted out",
        _ => op,
    };
}
