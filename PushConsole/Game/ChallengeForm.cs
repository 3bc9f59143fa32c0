using System.Text.Json;
using System.Text.Json.Nodes;

namespace PushConsole.Game;

/// <summary>The console's challenge form; it becomes the same JSON body the server API takes, so both are checked alike.</summary>
public sealed class ChallengeForm
{
    public sealed class OptionRow
    {
        public string Id { get; set; } = "";
        public string Title { get; set; } = "";
    }

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "events";
    public int Points { get; set; } = 50;
    public DateTime? ActiveFrom { get; set; }
    public DateTime? ActiveUntil { get; set; }
    public string? Badge { get; set; }
    public string EventType { get; set; } = Devices.ClientEventTypes.SessionCheckedIn;
    public string? EventName { get; set; }
    public string? EventSessionId { get; set; }
    public string? EventGeofenceId { get; set; }
    public int EventCount { get; set; } = 3;
    public int Codes { get; set; } = 5;
    /// <summary>One hint per line, in code order.</summary>
    public string? Hints { get; set; }
    public string Question { get; set; } = "";
    public List<OptionRow> Options { get; set; } = [new() { Id = "a" }, new() { Id = "b" }, new() { Id = "c" }];
    public string Correct { get; set; } = "a";
    public int ClosesInSeconds { get; set; } = 300;

    public JsonElement ToJson()
    {
        var body = new JsonObject { ["id"] = Id.Trim(), ["name"] = Name, ["kind"] = Kind, ["points"] = Points };
        if (ActiveFrom is { } from) body["active_from"] = from.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        if (ActiveUntil is { } until) body["active_until"] = until.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(Badge)) body["badge"] = Badge;
        switch (Kind)
        {
            case "events":
                var e = new JsonObject { ["type"] = EventType };
                if (!string.IsNullOrWhiteSpace(EventName)) e["name"] = EventName.Trim();
                if (!string.IsNullOrWhiteSpace(EventSessionId)) e["session_id"] = EventSessionId.Trim();
                if (!string.IsNullOrWhiteSpace(EventGeofenceId)) e["geofence_id"] = EventGeofenceId.Trim();
                body["events"] = new JsonObject { ["event"] = e, ["count"] = EventCount };
                break;
            case "qr":
                body["codes"] = Codes;
                var hints = (Hints ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (hints.Length > 0) body["hints"] = new JsonArray(hints.Select(h => (JsonNode?)h).ToArray());
                break;
            case "quiz":
                body["quiz"] = new JsonObject
                {
                    ["question"] = Question, ["correct"] = Correct, ["closes_in_seconds"] = ClosesInSeconds,
                    ["options"] = new JsonArray(Options.Select(o => (JsonNode?)new JsonObject { ["id"] = o.Id.Trim(), ["title"] = o.Title }).ToArray()),
                };
                break;
        }
        return JsonSerializer.SerializeToElement(body);
    }

    public static ChallengeForm From(Challenge c)
    {
        var form = new ChallengeForm
        {
            Id = c.ExternalId, Name = c.Name, Kind = ChallengeParser.Name(c.Kind), Points = c.Points, ActiveFrom = c.ActiveFrom, ActiveUntil = c.ActiveUntil,
            Badge = c.Badge, EventType = c.EventType ?? Devices.ClientEventTypes.SessionCheckedIn, EventName = c.EventName, EventSessionId = c.EventSessionId,
            EventGeofenceId = c.EventGeofenceId, EventCount = Math.Max(1, c.EventCount), Codes = Math.Max(1, c.CodeCount), Hints = string.Join('\n', ChallengeService.Hints(c)),
        };
        if (ChallengeService.Quiz(c) is { } quiz)
        {
            form.Question = quiz.Question;
            form.Options = quiz.Options.Select(o => new OptionRow { Id = o.Id, Title = o.Title }).ToList();
            form.Correct = quiz.Correct;
            form.ClosesInSeconds = quiz.ClosesInSeconds;
        }
        return form;
    }
}
