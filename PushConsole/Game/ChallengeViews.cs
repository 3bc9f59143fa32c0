using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PushConsole.Game;

public sealed record EventMatchView(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("geofence_id")] string? GeofenceId);

public sealed record EventsView([property: JsonPropertyName("event")] EventMatchView Event, [property: JsonPropertyName("count")] int Count);

public sealed record QuizOptionView([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("answers")] long Answers);

public sealed record QuizView(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("options")] IReadOnlyList<QuizOptionView> Options,
    [property: JsonPropertyName("correct")] string Correct,
    [property: JsonPropertyName("closes_in_seconds")] int ClosesInSeconds,
    [property: JsonPropertyName("to")] JsonNode? To,
    [property: JsonPropertyName("push")] JsonNode? Push,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("launched_at")] DateTime? LaunchedAt,
    [property: JsonPropertyName("closes_at")] DateTime? ClosesAt,
    [property: JsonPropertyName("msg_id")] string? MsgId);

/// <summary>A challenge as <c>GET /v4/challenges/{id}</c> shows it, with anonymous counts (they survive erasure).</summary>
public sealed record ChallengeView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("points")] int Points,
    [property: JsonPropertyName("active_from")] DateTime? ActiveFrom,
    [property: JsonPropertyName("active_until")] DateTime? ActiveUntil,
    [property: JsonPropertyName("badge")] string? Badge,
    [property: JsonPropertyName("events")] EventsView? Events,
    [property: JsonPropertyName("codes")] int? Codes,
    [property: JsonPropertyName("hints")] IReadOnlyList<string>? Hints,
    [property: JsonPropertyName("quiz")] QuizView? Quiz,
    [property: JsonPropertyName("participants")] long Participants,
    [property: JsonPropertyName("completions")] long Completions,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt);

public sealed record ChallengeList([property: JsonPropertyName("challenges")] IReadOnlyList<ChallengeView> Challenges);

public sealed record CodeView([property: JsonPropertyName("number")] int Number, [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("hint")] string Hint);

public sealed record CodeList([property: JsonPropertyName("challenge_id")] string ChallengeId, [property: JsonPropertyName("codes")] IReadOnlyList<CodeView> Codes,
    [property: JsonPropertyName("sheet")] string Sheet);

public sealed record LaunchAnswer([property: JsonPropertyName("challenge_id")] string ChallengeId, [property: JsonPropertyName("msg_id")] string MsgId,
    [property: JsonPropertyName("closes_at")] DateTime ClosesAt);
