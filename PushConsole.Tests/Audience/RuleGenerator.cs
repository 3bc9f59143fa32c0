using System.Globalization;
using PushConsole.Audience;

namespace PushConsole.Tests.Audience;

/// <summary>
/// Random valid rule trees over every field and operator of the catalogue, with values drawn from the world's pools.
/// With <paramref name="savable"/> agenda values are only the app's own sessions and tracks (saving refuses others).
/// </summary>
public sealed class RuleGenerator(Random random, DateTime now, IReadOnlyList<long> savedSegments, bool savable = false)
{
    private static readonly string[] Countries = ["FR", "PL", "US", "IN", "DE", "AU"];
    private static readonly string[] Versions = ["3.2", "3.9", "3.10", "3.10.1", "4.0.0-beta", "3", "10"];
    private static readonly string[] Contains = ["ac", "ME", "e", "labs", "x"];
    private static readonly double[] Numbers = [-1, 0, 3.5, 10, 12, 50];
    private static readonly (double, double)[] Offsets = [(0, 2), (-6, -4), (5, 6), (1, 1), (-12, 14), (10, 11)];

    public SegmentRules Rules(int maxDepth = 4, int maxConditions = 10)
    {
        var budget = random.Next(1, maxConditions + 1);
        return new SegmentRules { Root = Group(1, maxDepth, ref budget) };
    }

    private RuleGroup Group(int depth, int maxDepth, ref int budget)
    {
        var group = new RuleGroup { Match = random.Next(2) == 0 ? GroupMatch.All : GroupMatch.Any, Not = random.Next(5) == 0 };
        var children = random.Next(1, 4);
        for (var n = 0; n < children && budget > 0; n++)
        {
            if (depth < maxDepth && random.Next(10) < 3) group.Rules.Add(Group(depth + 1, maxDepth, ref budget));
            else { group.Rules.Add(Condition()); budget--; }
        }
        if (group.Rules.Count == 0) group.Rules.Add(Condition());
        return group;
    }

    /// <summary>One tree per field and operator of the catalogue, each operator's condition beside a random one.</summary>
    public IEnumerable<SegmentRules> EveryOperator() =>
        SegmentFields.All.SelectMany(f => f.Operators.Select(o => new SegmentRules
        {
            Root = new RuleGroup { Match = random.Next(2) == 0 ? GroupMatch.All : GroupMatch.Any, Rules = [Condition(f.Id, o.Operator), Condition()] },
        }));

    public RuleCondition Condition(string? only = null, string? onlyOperator = null)
    {
        var fields = SegmentFields.All.Where(f => f.Id != SegmentFields.Segment || savedSegments.Count > 0).ToList();
        var field = only is null ? fields[random.Next(fields.Count)] : SegmentFields.Find(only)!;
        var op = onlyOperator is null ? field.Operators[random.Next(field.Operators.Count)] : field.Find(onlyOperator)!;
        var c = new RuleCondition { Field = field.Id, Operator = op.Operator, Days = field.HasDays ? random.Next(1, 60) : null };
        if (field.Id == SegmentFields.Attribute) c.Name = Pick(["role", "company", "score", "missing"]);
        if (field.Id == SegmentFields.Category) c.Name = Pick([.. SegmentWorld.CategoryPool, "program_changes"]);
        if (field.Id == SegmentFields.Geofence) c.Name = Pick([.. SegmentWorld.Geofences, "nowhere"]);
        c.Values = op.Kind switch
        {
            ValueKind.None => [],
            ValueKind.Choices => Some(field.Id == SegmentFields.Country ? Countries : [.. field.Choices!.Select(x => x.Value)]),
            ValueKind.TextList => Some(field.Id switch
            {
                SegmentFields.Tags => [.. SegmentWorld.Tags, "unknown-tag"],
                SegmentFields.Language => [.. SegmentWorld.LanguagePool, "es"],
                SegmentFields.TimeZone => [.. SegmentWorld.ZonePool, "Europe/Berlin"],
                _ => [.. SegmentWorld.Roles, .. SegmentWorld.Companies, .. SegmentWorld.ScoreTexts],
            }),
            ValueKind.Text => [random.Next(2) == 0 ? Pick(Contains) : Pick([.. SegmentWorld.Roles, .. SegmentWorld.Companies])],
            ValueKind.Number => [Pick(Numbers).ToString(CultureInfo.InvariantCulture)],
            ValueKind.NumberRange => Range(),
            ValueKind.Date => [Date()],
            ValueKind.Days => [random.Next(1, 120).ToString(CultureInfo.InvariantCulture)],
            ValueKind.Count => [random.Next(0, 5).ToString(CultureInfo.InvariantCulture)],
            ValueKind.Hours => [random.Next(1, 150).ToString(CultureInfo.InvariantCulture)],
            ValueKind.Version => [Pick(Versions)],
            ValueKind.VersionList => Some(Versions),
            ValueKind.Segments => Some([.. savedSegments.Select(id => id.ToString(CultureInfo.InvariantCulture))]),
            ValueKind.Sessions => Some([.. SegmentWorld.Sessions.Select(x => x.Id), .. savable ? [] : SegmentWorld.OtherSessions]),
            ValueKind.Track => [Pick([.. SegmentWorld.Tracks, .. savable ? [] : SegmentWorld.OtherTracks])],
            _ => throw new InvalidOperationException(op.Kind.ToString()),
        };
        return c;
    }

    private List<string> Range()
    {
        var (low, high) = Pick(Offsets);
        return [low.ToString(CultureInfo.InvariantCulture), high.ToString(CultureInfo.InvariantCulture)];
    }

    private string Date()
    {
        var at = now.AddDays(-random.Next(0, 300)).AddSeconds(-random.Next(0, 86400));
        return random.Next(2) == 0 ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    private List<string> Some(IReadOnlyList<string> pool) =>
        [.. pool.OrderBy(_ => random.Next()).Take(random.Next(1, Math.Min(3, pool.Count) + 1))];

    private T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];
}
