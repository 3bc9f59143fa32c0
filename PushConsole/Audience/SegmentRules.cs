namespace PushConsole.Audience;

/// <summary>
/// A segment's rule tree: a root group of conditions and nested groups. Stored as JSON with a schema
/// <see cref="Version"/> (<see cref="RulesJson"/>). Mutable so the builder page edits it in place.
/// </summary>
public sealed class SegmentRules
{
    public const int CurrentVersion = 1;
    public const int MaxDepth = 5;
    public const int MaxConditions = 50;

    public int Version { get; set; } = CurrentVersion;
    public RuleGroup Root { get; set; } = new();

    /// <summary>No condition: every installation of the app.</summary>
    public static SegmentRules Everyone() => new();

    public SegmentRules Clone() => RulesJson.Parse(RulesJson.Write(this));

    public IEnumerable<RuleCondition> Conditions() => Root.Conditions();

    /// <summary>Each condition with its path as errors name it (<c>rules.root.rules[1].rules[0]</c>).</summary>
    public IEnumerable<(RuleCondition Condition, string Path)> ConditionPaths(string prefix = "rules") => Walk(Root, $"{prefix}.root");

    private static IEnumerable<(RuleCondition, string)> Walk(RuleGroup group, string path)
    {
        for (var i = 0; i < group.Rules.Count; i++)
            if (group.Rules[i] is RuleGroup g) foreach (var x in Walk(g, $"{path}.rules[{i}]")) yield return x;
            else yield return ((RuleCondition)group.Rules[i], $"{path}.rules[{i}]");
    }

    /// <summary>Ids of the saved segments this one refers to ("member of segment").</summary>
    public IReadOnlySet<long> ReferencedSegments() =>
        Conditions().Where(c => c.Field == SegmentFields.Segment).SelectMany(c => c.Values)
            .Select(v => long.TryParse(v, out var id) ? id : 0).Where(id => id > 0).ToHashSet();
}

public abstract class RuleNode
{
    /// <summary>Stable identity for the builder's @key (never stored).</summary>
    public Guid Key { get; } = Guid.NewGuid();
}

/// <summary>All (AND) or any (OR) of its rules, optionally negated (NOT).</summary>
public sealed class RuleGroup : RuleNode
{
    public GroupMatch Match { get; set; } = GroupMatch.All;
    public bool Not { get; set; }
    public List<RuleNode> Rules { get; set; } = [];

    public IEnumerable<RuleCondition> Conditions() =>
        Rules.SelectMany(r => r is RuleGroup g ? g.Conditions() : [(RuleCondition)r]);

    /// <summary>1 for a group of conditions only; each nested group adds a level.</summary>
    public int Depth() => 1 + Rules.OfType<RuleGroup>().Select(g => g.Depth()).DefaultIfEmpty(0).Max();
}

public enum GroupMatch { All, Any }

/// <summary>
/// One test on a field of the catalogue (<see cref="SegmentFields"/>). Values are kept as text, as typed;
/// validation parses them by the field's value kind, the SQL translation uses the parsed form.
/// </summary>
public enum ValueShape { Unknown, Scalar, List }

public sealed class RuleCondition : RuleNode
{
    public string Field { get; set; } = "";
    /// <summary>Attribute name (field <c>attribute</c>) or category (field <c>category</c>).</summary>
    public string? Name { get; set; }
    public string Operator { get; set; } = "";
    public List<string> Values { get; set; } = [];
    /// <summary>How the JSON gave the value (a scalar or an array), so a list is never guessed from one string; Unknown when built in code.</summary>
    public ValueShape Shape { get; set; }
    /// <summary>Window in days of the engagement fields (opens, engagement).</summary>
    public int? Days { get; set; }

    public string? Value => Values.Count > 0 ? Values[0] : null;
}
