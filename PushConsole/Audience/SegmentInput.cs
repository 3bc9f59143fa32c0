using System.Text.Json;
using PushConsole.Api;

namespace PushConsole.Audience;

/// <summary>
/// Reads the rules of a segment request. An empty rule tree means "every installation", so it is never the result of a
/// missing, misspelt or empty <c>rules</c>: the caller has to say <c>"everyone": true</c> (and send no rules).
/// </summary>
public static class SegmentInput
{
    private const string Shape = "Send rules as {\"version\": 1, \"root\": {\"match\": \"all\", \"rules\": [ …at least one condition… ]}}";
    private const string EveryoneHint = "; a segment of every installation is saved with \"everyone\": true and no rules.";

    /// <summary>
    /// The rules to store. <paramref name="required"/> (a new segment): absent rules are an error; otherwise absent rules keep
    /// what is stored (null). Throws <see cref="BadInputException"/> naming <c>rules</c> or <c>everyone</c>.
    /// </summary>
    public static SegmentRules? Read(SegmentRequest body, bool required)
    {
        var errors = new FieldErrors();
        var given = body.Rules is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        SegmentRules? rules = null;
        if (body.Everyone == true)
        {
            if (given) errors.Add("everyone", "\"everyone\": true means no rules; send one or the other.");
            else rules = SegmentRules.Everyone();
        }
        else if (!given)
        {
            if (required || body.RulesGiven)
                errors.Add("rules", (body.RulesGiven ? "rules must not be null. " : "rules is required. ") + Shape + EveryoneHint);
        }
        else if (body.Rules!.Value.ValueKind == JsonValueKind.Object && !body.Rules.Value.TryGetProperty("root", out _))
            errors.Add("rules", "rules has no root. " + Shape + EveryoneHint);
        else
        {
            rules = SegmentService.ReadRules(body.Rules, errors);
            if (!errors.Any && rules!.Root.Rules.Count == 0)
                errors.Add("rules", "The rules have no condition, so they would match every installation. " + Shape + EveryoneHint);
        }
        errors.ThrowIfAny();
        return rules;
    }
}
