using System.Text.Json;
using System.Text.Json.Nodes;
using PushConsole.Api;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Sending;

namespace PushConsole.Game;

/// <summary>
/// The quiz as a push: <c>quiz.to</c> and <c>quiz.push</c> read by the same parser as <c>/v4/push</c>, then the options become the
/// variant's action buttons (ids = option ids, so a tap comes back as <c>notification_clicked</c> with the option as actionId).
/// </summary>
public static class QuizPush
{
    /// <summary>A push carries at most this many buttons; a quiz with more options is answered in the app (the options travel in the data).</summary>
    public const int MaxActions = 3;

    public static ParsedPush? Parse(QuizSpec quiz, string title, string defaultLanguage, FieldErrors errors)
    {
        var push = new JsonObject
        {
            ["to"] = ChallengeParser.Node(quiz.To) ?? "all",
            ["body"] = ChallengeParser.Node(quiz.Push) ?? new JsonObject
            {
                ["platform"] = "all",
                ["notification"] = new JsonObject { ["alert"] = quiz.Question },
            },
        };
        using var document = JsonDocument.Parse(push.ToJsonString());
        var inner = new FieldErrors();
        var parsed = PushParser.Parse(document.RootElement, "quiz", defaultLanguage, inner);
        foreach (var (field, messages) in inner.ToDictionary())
            foreach (var message in messages)
                errors.Add(field.StartsWith("quiz.body", StringComparison.Ordinal) ? "quiz.push" + field["quiz.body".Length..] : field,
                    message.Replace("quiz.body", "quiz.push", StringComparison.Ordinal));
        if (parsed is null || inner.Any) return null;
        if (parsed.Options.PushType != Sending.Providers.PushType.Alert)
        {
            errors.Add("quiz.push.notification", "A quiz is a visible push: give quiz.push a notification (its buttons are the options).");
            return null;
        }
        return parsed;
    }

    /// <summary>The message sent: the parsed push with the challenge's name as the default title, the options as buttons and in the data.</summary>
    public static CampaignMessage Message(ParsedPush parsed, QuizSpec quiz, Challenge challenge)
    {
        var options = JsonSerializer.Serialize(quiz.Options.Select(o => new { id = o.Id, title = o.Title }));
        var variants = parsed.Message.Variants.Select(v => v with
        {
            Actions = quiz.Options.Count <= MaxActions ? quiz.Options.Select(o => new PushAction { Id = o.Id, Title = o.Title }).ToList() : null,
            Content = v.Content.ToDictionary(c => c.Key, c => c.Value with
            {
                Title = c.Value.Title ?? challenge.Name,
                Data = new Dictionary<string, string>(c.Value.Data ?? new Dictionary<string, string>())
                {
                    ["challengeId"] = challenge.ExternalId, ["quizOptions"] = options,
                },
            }),
        }).ToList();
        return parsed.Message with { Variants = variants };
    }
}
