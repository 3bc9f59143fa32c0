using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PushConsole.Api;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Devices;
using static PushConsole.Campaigns.ServerApi.ServerApiJson;

namespace PushConsole.Game;

public sealed record QuizOption(string Id, string Title);

/// <summary>A quiz as stored: the question, its options, the right one, how long it stays open, and the raw <c>to</c> / <c>push</c> it is sent with.</summary>
public sealed record QuizSpec(string Question, IReadOnlyList<QuizOption> Options, string Correct, int ClosesInSeconds, string? To, string? Push);

/// <summary>A challenge as the API and the console describe it, checked.</summary>
public sealed record ChallengeInput
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public ChallengeKind Kind { get; init; }
    public int Points { get; init; }
    public DateTime? ActiveFrom { get; init; }
    public DateTime? ActiveUntil { get; init; }
    public string? Badge { get; init; }
    public string? EventType { get; init; }
    public string? EventName { get; init; }
    public string? EventSessionId { get; init; }
    public string? EventGeofenceId { get; init; }
    public int EventCount { get; init; }
    public int Codes { get; init; }
    public IReadOnlyList<string> Hints { get; init; } = [];
    public QuizSpec? Quiz { get; init; }
}

/// <summary>Reads <c>/v4/challenges</c> bodies by hand so every problem names its field (<c>quiz.options[3].id</c>) and nothing is stored.</summary>
public static partial class ChallengeParser
{
    public const int MaxOptions = 10, MaxCodes = 200, MaxEventCount = 1000, MaxQuizSeconds = 86_400;
    private static readonly string[] RootKeys = ["id", "name", "kind", "points", "active_from", "active_until", "badge", "events", "codes", "hints", "quiz"];
    private static readonly string[] EventsKeys = ["event", "count"];
    private static readonly string[] EventKeys = ["type", "name", "session_id", "geofence_id"];
    private static readonly string[] QuizKeys = ["question", "options", "correct", "closes_in_seconds", "to", "push"];
    private static readonly string[] OptionKeys = ["id", "title"];
    /// <summary>What an events challenge can count: everything an attendee does that reaches the sinks, except clicks of quizzes themselves.</summary>
    public static readonly string[] CountableTypes =
    [
        ClientEventTypes.SessionCheckedIn, ClientEventTypes.SessionFavorited, ClientEventTypes.GeofenceEntered, ClientEventTypes.GeofenceDwelled,
        ClientEventTypes.GeofenceExited, ClientEventTypes.NotificationOpened, ClientEventTypes.NotificationClicked, ClientEventTypes.SessionStart,
        ClientEventTypes.Custom, ClientEventTypes.ChallengeCompleted,
    ];

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    public static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex OptionIdPattern();

    public static ChallengeInput? Parse(JsonElement body, string defaultLanguage, FieldErrors errors, string? fixedId = null)
    {
        if (!IsObject(body, "body", errors, "id, name, kind, points, active_from, active_until, badge, events | codes | quiz")) return null;
        OnlyKnown(body, "", errors, RootKeys);
        var id = fixedId ?? String(body, "id", "", errors, 64, required: true);
        if (id is not null && !IdPattern().IsMatch(id)) errors.Add("id", "id is 1 to 64 lowercase letters, digits, '-' or '_', e.g. hall-b-hunt.");
        var name = String(body, "name", "", errors, 200, required: true)?.Trim();
        var kindText = String(body, "kind", "", errors, 10, required: true);
        ChallengeKind? kind = kindText switch
        {
            null => null, "events" => ChallengeKind.Events, "qr" => ChallengeKind.Qr, "quiz" => ChallengeKind.Quiz,
            _ => Report<ChallengeKind?>(errors, "kind", "kind is \"events\", \"qr\" or \"quiz\".", null),
        };
        var points = Integer(body, "points", "", errors, "points");
        if (points is null && Get(body, "points") is null) errors.Add("points", "points is required: how many points the challenge gives (1 or more).");
        else if (points is < 1 or > PointsLedger.MaxPoints) errors.Add("points", $"points is between 1 and {PointsLedger.MaxPoints}; a challenge without points is no challenge.");
        var from = Time(body, "active_from", errors);
        var until = Time(body, "active_until", errors);
        if (from is not null && until is not null && until <= from) errors.Add("active_until", "active_until is after active_from: the window ends after it starts.");
        var badge = String(body, "badge", "", errors, 60)?.Trim();
        if (badge is { Length: 0 }) badge = null;

        foreach (var (key, wanted) in new[] { ("events", ChallengeKind.Events), ("codes", ChallengeKind.Qr), ("hints", ChallengeKind.Qr), ("quiz", ChallengeKind.Quiz) })
            if (kind is { } k && k != wanted && Get(body, key) is not null)
                errors.Add(key, $"{key} belongs to \"{Name(wanted)}\" challenges; this one is \"{Name(k)}\".");

        var input = new ChallengeInput { Id = id ?? "", Name = name ?? "", Kind = kind ?? ChallengeKind.Events, Points = points ?? 0, ActiveFrom = from, ActiveUntil = until, Badge = badge };
        switch (kind)
        {
            case ChallengeKind.Events: input = Events(body, input, errors); break;
            case ChallengeKind.Qr: input = Qr(body, input, errors); break;
            case ChallengeKind.Quiz: input = input with { Quiz = Quiz(body, defaultLanguage, errors) }; break;
        }
        return errors.Any ? null : input;
    }

    public static string Name(ChallengeKind kind) => kind switch { ChallengeKind.Qr => "qr", ChallengeKind.Quiz => "quiz", _ => "events" };

    private static ChallengeInput Events(JsonElement body, ChallengeInput input, FieldErrors errors)
    {
        if (Get(body, "events") is not { } events) { errors.Add("events", "events is required: {\"event\": {\"type\": \"session_checked_in\"}, \"count\": 3}."); return input; }
        if (!IsObject(events, "events", errors, "event, count")) return input;
        OnlyKnown(events, "events", errors, EventsKeys);
        var count = Integer(events, "count", "events", errors, "events") ?? 1;
        if (count is < 1 or > MaxEventCount) errors.Add("events.count", $"events.count is how many times (1 to {MaxEventCount}).");
        if (Get(events, "event") is not { } e) { errors.Add("events.event", "events.event is required: {\"type\": \"session_checked_in\"}."); return input; }
        if (!IsObject(e, "events.event", errors, "type, name, session_id, geofence_id")) return input;
        OnlyKnown(e, "events.event", errors, EventKeys);
        var type = String(e, "type", "events.event", errors, 40, required: true);
        if (type is not null && !CountableTypes.Contains(type)) errors.Add("events.event.type", $"events.event.type is one of {string.Join(", ", CountableTypes)}.");
        var name = String(e, "name", "events.event", errors, 100);
        if (type == ClientEventTypes.Custom && string.IsNullOrEmpty(name)) errors.Add("events.event.name", "A custom event is counted by its name; give events.event.name.");
        var session = String(e, "session_id", "events.event", errors, 128);
        var geofence = String(e, "geofence_id", "events.event", errors, 64);
        return input with { EventType = type, EventName = name, EventSessionId = session, EventGeofenceId = geofence, EventCount = count };
    }

    private static ChallengeInput Qr(JsonElement body, ChallengeInput input, FieldErrors errors)
    {
        var codes = Integer(body, "codes", "", errors, "codes");
        if (codes is null) { if (Get(body, "codes") is null) errors.Add("codes", $"codes is how many printable codes the hunt has (1 to {MaxCodes})."); return input; }
        if (codes is < 1 or > MaxCodes) errors.Add("codes", $"codes is between 1 and {MaxCodes}.");
        IReadOnlyList<string> hints = [];
        if (Get(body, "hints") is not null)
        {
            hints = StringList(body, "hints", "", errors, 200, "hints, one per code") ?? [];
            if (hints.Count > codes) errors.Add("hints", $"hints has {hints.Count} entries for {codes} codes; give at most one hint per code.");
        }
        return input with { Codes = codes.Value, Hints = hints };
    }

    private static QuizSpec? Quiz(JsonElement body, string defaultLanguage, FieldErrors errors)
    {
        if (Get(body, "quiz") is not { } quiz) { errors.Add("quiz", "quiz is required: question, options, correct, closes_in_seconds."); return null; }
        if (!IsObject(quiz, "quiz", errors, "question, options, correct, closes_in_seconds, to, push")) return null;
        OnlyKnown(quiz, "quiz", errors, QuizKeys);
        var question = String(quiz, "question", "quiz", errors, 500, required: true)?.Trim();
        var options = new List<QuizOption>();
        if (Get(quiz, "options") is not { ValueKind: JsonValueKind.Array } list) errors.Add("quiz.options", "quiz.options is an array of 2 to 10 {\"id\", \"title\"}.");
        else
        {
            var n = 0;
            foreach (var option in list.EnumerateArray())
            {
                var at = $"quiz.options[{n++}]";
                if (!IsObject(option, at, errors, "id, title")) continue;
                OnlyKnown(option, at, errors, OptionKeys);
                var optionId = String(option, "id", at, errors, 32, required: true);
                var title = String(option, "title", at, errors, 100, required: true)?.Trim();
                if (optionId is not null && !OptionIdPattern().IsMatch(optionId)) errors.Add($"{at}.id", "An option id is 1 to 32 of a-z, 0-9, '_' or '-' (it comes back as the tapped button's actionId).");
                else if (optionId is not null && options.Any(o => o.Id == optionId)) errors.Add($"{at}.id", $"Option id \"{optionId}\" is used twice.");
                else if (optionId is not null && title is not null) options.Add(new QuizOption(optionId, title));
            }
            if (n > MaxOptions) errors.Add("quiz.options", $"A quiz has at most {MaxOptions} options; it has {n}.");
            else if (n < 2) errors.Add("quiz.options", "A quiz has at least 2 options.");
        }
        var correct = String(quiz, "correct", "quiz", errors, 32, required: true);
        if (correct is not null && options.Count > 0 && options.All(o => o.Id != correct))
            errors.Add("quiz.correct", $"quiz.correct is the id of one of the options ({string.Join(", ", options.Select(o => o.Id))}).");
        var seconds = Integer(quiz, "closes_in_seconds", "quiz", errors, "seconds") ?? 300;
        if (seconds is < 10 or > MaxQuizSeconds) errors.Add("quiz.closes_in_seconds", $"quiz.closes_in_seconds is between 10 and {MaxQuizSeconds}.");
        var to = Get(quiz, "to")?.GetRawText();
        var push = Get(quiz, "push")?.GetRawText();
        if (question is null) return null;
        var spec = new QuizSpec(question, options, correct ?? "", seconds, to, push);
        // the push it will be sent as must be valid now, not at launch
        var before = errors.Count;
        var parsed = QuizPush.Parse(spec, "Quiz", defaultLanguage, errors);
        return parsed is null || errors.Count > before ? null : spec;
    }

    private static DateTime? Time(JsonElement parent, string name, FieldErrors errors)
    {
        if (Get(parent, name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                return DateTime.SpecifyKind(t, DateTimeKind.Utc);
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var o)) return o.UtcDateTime;
        }
        errors.Add(name, $"{name} is a UTC time, \"{TimeFormat}\" or ISO 8601, e.g. \"2026-11-22 09:00:00\".");
        return null;
    }

    private static T Report<T>(FieldErrors errors, string path, string message, T fallback)
    {
        errors.Add(path, message);
        return fallback;
    }

    /// <summary>Rebuilds a JSON element from stored raw text (null stays null).</summary>
    public static JsonNode? Node(string? raw) => raw is null ? null : JsonNode.Parse(raw);
}
