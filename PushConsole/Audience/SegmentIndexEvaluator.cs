using System.Globalization;
using System.Numerics;
using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>
/// A rule tree over a <see cref="SegmentIndex"/>: each condition becomes a bitmap of installation slots (a test on a coded
/// column is decided once per distinct value, a test on the user once per user, then one pass), groups are word operations.
/// The meaning is <see cref="SegmentSql"/>'s, field by field (language and zone fall back to the user's, tags are the
/// device's or the user's, consent is the user's once one is logged in…).
/// </summary>
public sealed class SegmentIndexEvaluator(SegmentIndex index, SegmentContext context)
{
    /// <summary>
    /// Whether every condition is one the index evaluates; the others (agenda, geofence events, any field added later) read
    /// tables the index does not keep, and such trees are counted in SQL.
    /// </summary>
    public static bool Supports(SegmentRules rules, SegmentContext context) => Supports(rules, context, 0);

    private static bool Supports(SegmentRules rules, SegmentContext context, int depth) =>
        depth < 50 && rules.Conditions().All(c => c.Field switch
        {
            SegmentFields.Segment => c.Values.All(id => context.Segments.TryGetValue(long.Parse(id, CultureInfo.InvariantCulture), out var r) && Supports(r, context, depth + 1)),
            // LIKE and ILIKE fold case differently beyond ASCII: the index folds ASCII only
            SegmentFields.Attribute when c.Operator is "contains" or "not_contains" => c.Values[0].All(char.IsAscii),
            SegmentFields.Platform or SegmentFields.PushState or SegmentFields.AppVersion or SegmentFields.Language or SegmentFields.TimeZone
                or SegmentFields.UtcOffset or SegmentFields.Country or SegmentFields.User or SegmentFields.Tags or SegmentFields.Attribute
                or SegmentFields.Consent or SegmentFields.Category or SegmentFields.FirstSeen or SegmentFields.LastSeen or SegmentFields.UserCreated
                or SegmentFields.UserLastActive or SegmentFields.Opens or SegmentFields.Engagement => true,
            _ => false,
        });

    private int Words => (index.Slots + 63) >> 6;
    private ulong[]? _alive;

    public SegmentCount Count(SegmentRules rules)
    {
        var bits = Group(rules.Root, []);
        var platforms = PlatformNames.All.Select(PlatformNames.Of).ToArray();
        // platform code → its place in the list (-1 for none)
        var place = new int[256];
        place.AsSpan().Fill(-1);
        for (var k = 0; k < platforms.Length; k++) if (index.Small.Find(platforms[k]) is var code and >= 0) place[code] = k;
        var subscribed = index.Small.Find(DeviceNames.Of(PushState.Subscribed));
        var installations = new long[platforms.Length];
        var recipients = new long[platforms.Length];
        var (platform, state) = (index.Platform, index.State);
        for (var w = 0; w < bits.Length; w++)
            for (var word = bits[w]; word != 0; word &= word - 1)
            {
                var s = (w << 6) + BitOperations.TrailingZeroCount(word);
                var p = place[platform[s]];
                if (p < 0) continue;
                installations[p]++;
                if (state[s] == subscribed) recipients[p]++;
            }
        var byPlatform = platforms.Select((p, k) => new PlatformCount(p, installations[k], recipients[k])).ToList();
        return new SegmentCount(installations.Sum(), recipients.Sum(), byPlatform);
    }

    /// <summary>
    /// The slots a condition needs deciding for: the live ones, narrowed inside a group to those whose answer is still open
    /// (AND: true so far; OR: not yet true). A condition's bits outside it are 0, which the group's AND / OR makes irrelevant.
    /// </summary>
    private ulong[] Candidates => _mask ?? (_alive ??= AliveBits());
    private ulong[]? _mask;

    private ulong[] AliveBits()
    {
        var bits = new ulong[Words];
        var alive = index.Alive;
        for (var s = 0; s < index.Slots; s++)
            if (alive[s]) bits[s >> 6] |= 1UL << s;
        return bits;
    }

    private ulong[] Group(RuleGroup group, HashSet<long> path)
    {
        var outer = _mask;
        ulong[]? result = null;
        try
        {
            // cheap tests first: later ones only decide the slots still open
            foreach (var rule in group.Rules.OrderBy(SegmentSql.Cost))
            {
                var bits = rule is RuleGroup g ? Group(g, path) : Condition((RuleCondition)rule, path);
                if (result is null) result = bits;
                else if (group.Match == GroupMatch.All) And(result, bits);
                else Or(result, bits);
                var open = (ulong[])(outer ?? (_alive ??= AliveBits())).Clone();
                if (group.Match == GroupMatch.All) And(open, result);
                else for (var w = 0; w < open.Length; w++) open[w] &= ~result[w];
                if (Array.TrueForAll(open, w => w == 0)) break;
                _mask = open;
            }
        }
        finally { _mask = outer; }
        result ??= group.Match == GroupMatch.All ? All() : new ulong[Words];
        return group.Not ? Not(result) : result;
    }

    private ulong[] All() => (ulong[])Candidates.Clone();

    /// <summary>The complement among the candidates (dead slots and the tail past the last slot never match).</summary>
    private ulong[] Not(ulong[] bits)
    {
        var candidates = Candidates;
        for (var w = 0; w < bits.Length; w++) bits[w] = ~bits[w] & candidates[w];
        return bits;
    }

    private static void And(ulong[] into, ulong[] bits) { for (var w = 0; w < into.Length; w++) into[w] &= bits[w]; }
    private static void Or(ulong[] into, ulong[] bits) { for (var w = 0; w < into.Length; w++) into[w] |= bits[w]; }

    /// <summary>The candidate slots where <paramref name="test"/> holds.</summary>
    private ulong[] Build(Func<int, bool> test)
    {
        var candidates = Candidates;
        var bits = new ulong[candidates.Length];
        for (var w = 0; w < candidates.Length; w++)
        {
            ulong word = 0;
            for (var m = candidates[w]; m != 0; m &= m - 1)
            {
                var b = BitOperations.TrailingZeroCount(m);
                if (test((w << 6) + b)) word |= 1UL << b;
            }
            bits[w] = word;
        }
        return bits;
    }

    private ulong[] Small(byte[] column, bool[] table) => Build(s => column[s] != SegmentIndex.NoSmall && table[column[s]]);

    /// <summary>Slots whose user (if any) passes <paramref name="test"/> (of a user slot); decided per candidate, as the candidates narrow.</summary>
    private ulong[] ByUser(Func<int, bool> test)
    {
        var user = index.User;
        return Build(s => user[s] >= 0 && test(user[s]));
    }

    private static bool[] Table(IReadOnlyList<string> codes, Func<string, bool> test)
    {
        var table = new bool[codes.Count];
        for (var k = 0; k < table.Length; k++) table[k] = test(codes[k]);
        return table;
    }

    private ulong[] Condition(RuleCondition c, HashSet<long> path)
    {
        var op = c.Operator;
        var negative = op.StartsWith("not_", StringComparison.Ordinal) || op == "has_none";
        var positive = op == "has_none" ? "has_any" : negative ? op["not_".Length..] : op;
        var bits = Positive(c, positive, path);
        return negative ? Not(bits) : bits;
    }

    private ulong[] Positive(RuleCondition c, string op, HashSet<long> path)
    {
        var x = index;
        switch (c.Field)
        {
            case SegmentFields.Platform: return Small(x.Platform, Table(x.Small.Values, c.Values.Contains));
            case SegmentFields.PushState: return Small(x.State, Table(x.Small.Values, c.Values.Contains));
            case SegmentFields.AppVersion:
                {
                    var table = op == "exists" ? Table(x.Texts.Values, _ => true) : Table(x.Texts.Values, v => AppVersions.Matches(v, op, c.Values));
                    var version = x.Version;
                    return Build(s => version[s] != SegmentIndex.NoText && table[version[s]]);
                }
            case SegmentFields.Language:
                return op == "exists" ? Effective(x.Language, x.ULanguage, Table(x.Texts.Values, _ => true), false) : Effective(x.Language, x.ULanguage, c.Values);
            case SegmentFields.TimeZone:
                return op == "exists" ? Effective(x.Zone, x.UZone, Table(x.Texts.Values, _ => true), false) : Effective(x.Zone, x.UZone, c.Values);
            case SegmentFields.UtcOffset:
                return Effective(x.Zone, x.UZone, TimeZoneCountries.ZonesWithOffset(Number(c.Values[0]), Number(c.Values[1]), context.Now));
            case SegmentFields.Country: return Effective(x.Zone, x.UZone, TimeZoneCountries.ZonesOf(c.Values));
            case SegmentFields.User: { var user = x.User; return Build(s => user[s] >= 0); }
            case SegmentFields.Tags:
                if (op != "has_all") return HasTag(c.Values);
                var all = All();
                foreach (var tag in c.Values.Distinct()) And(all, HasTag([tag]));
                return all;
            case SegmentFields.Attribute: return Attribute(c, op);
            case SegmentFields.Consent:
                {
                    // the consent the launch applies: the user's once one is logged in, else the installation's own; NULL reads as unknown
                    var wanted = c.Values.Select(v => v switch { "granted" => ConsentNames.Granted, "withdrawn" => ConsentNames.Denied, _ => ConsentNames.Unknown }).ToHashSet();
                    var table = new bool[256];
                    for (var k = 0; k < x.Small.Values.Count; k++) table[k] = wanted.Contains(x.Small.Values[k]);
                    table[SegmentIndex.NoSmall] = wanted.Contains(ConsentNames.Unknown);
                    var (user, consent, uconsent) = (x.User, x.Consent, x.UConsent);
                    return Build(s => table[user[s] >= 0 ? uconsent[user[s]] : consent[s]]);
                }
            case SegmentFields.Category:
                {
                    var id = x.Names.Find(c.Name!);
                    if (id < 0 || !x.Categories.TryGetValue(id, out var column)) return new ulong[Words];
                    var want = op == "opted_in" ? (sbyte)1 : (sbyte)0;
                    return ByUser(u => column[u] == want);
                }
            case SegmentFields.FirstSeen: return Time(x.Created, op, c.Value!);
            case SegmentFields.LastSeen: return Time(x.LastSeen, op, c.Value!);
            case SegmentFields.UserCreated: { var (lo, hi) = Range(op, c.Value!); var t = x.UCreated; return ByUser(u => t[u] >= lo && t[u] < hi); }
            case SegmentFields.UserLastActive:
                {
                    var (lo, hi) = op == "exists" ? (SegmentIndex.None + 1, long.MaxValue) : Range(op, c.Value!);
                    var t = x.ULastActive;
                    return ByUser(u => t[u] >= lo && t[u] < hi);
                }
            case SegmentFields.Opens:
                return op == "gte" ? Opens(Int(c.Value!), null, c.Days!.Value) : Not(Opens(Int(c.Value!) + 1, null, c.Days!.Value));
            case SegmentFields.Engagement: return Engagement([.. c.Values], c.Days!.Value);
            case SegmentFields.Segment:
                {
                    var any = new ulong[Words];
                    foreach (var id in c.Values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).Distinct())
                    {
                        if (!context.Segments.TryGetValue(id, out var rules) || !path.Add(id))
                            throw new InvalidOperationException($"Segment {id} is missing or refers to itself.");
                        Or(any, Group(rules.Root, path));
                        path.Remove(id);
                    }
                    return any;
                }
            default: throw new InvalidOperationException($"The segment index has no field {c.Field}.");
        }
    }

    /// <summary>COALESCE(device, user, '') IN values: '' matches a missing value only if it is listed.</summary>
    private ulong[] Effective(ushort[] device, ushort[] user, IEnumerable<string> values)
    {
        var set = values.ToHashSet(StringComparer.Ordinal);
        return Effective(device, user, Table(index.Texts.Values, set.Contains), set.Contains(""));
    }

    /// <summary>The device's value, else its user's (as the dispatcher localises), through a table of codes.</summary>
    private ulong[] Effective(ushort[] device, ushort[] user, bool[] table, bool missing)
    {
        var users = index.User;
        return Build(s =>
        {
            var v = device[s];
            if (v == SegmentIndex.NoText && users[s] >= 0) v = user[users[s]];
            return v == SegmentIndex.NoText ? missing : table[v];
        });
    }

    private ulong[] HasTag(IEnumerable<string> tags)
    {
        var set = tags.ToHashSet(StringComparer.Ordinal);
        var table = Table(index.TagCodes.Values, set.Contains);
        bool Any(int[]? ids)
        {
            if (ids is null) return false;
            foreach (var id in ids) if (table[id]) return true;
            return false;
        }
        var (tagsOf, user, utags) = (index.Tags, index.User, index.UTags);
        return Build(s => Any(tagsOf[s]) || user[s] >= 0 && Any(utags[user[s]]));
    }

    private ulong[] Attribute(RuleCondition c, string op)
    {
        var name = index.Names.Find(c.Name!);
        if (name < 0 || !index.Attributes.TryGetValue(name, out var column)) return new ulong[Words];
        if (op is "gt" or "gte" or "lt" or "lte")
        {
            if (column.Number is not { } number) return new ulong[Words];
            var bound = Number(c.Values[0]);
            // NaN (no number) fails every comparison, as NULL does in SQL
            return ByUser(op switch
            {
                "gt" => u => number[u] > bound,
                "gte" => u => number[u] >= bound,
                "lt" => u => number[u] < bound,
                _ => u => number[u] <= bound,
            });
        }
        var values = index.AttributeValues.Values;
        var table = op switch
        {
            "exists" => Table(values, _ => true),
            "equals" => Table(values, v => v == c.Values[0]),
            "in" => Table(values, c.Values.ToHashSet(StringComparer.Ordinal).Contains),
            "contains" => Table(values, v => ContainsAscii(v, c.Values[0])),
            _ => throw new InvalidOperationException($"The segment index has no attribute operator {op}."),
        };
        var text = column.Text;
        return ByUser(u => text[u] >= 0 && table[text[u]]);
    }

    /// <summary>LIKE '%needle%' as SQLite folds it: ASCII letters ignore case, everything else compares exactly.</summary>
    private static bool ContainsAscii(string text, string needle)
    {
        for (var start = 0; start + needle.Length <= text.Length; start++)
        {
            var k = 0;
            while (k < needle.Length && Fold(text[start + k]) == Fold(needle[k])) k++;
            if (k == needle.Length) return true;
        }
        return false;
        static char Fold(char ch) => ch is >= 'A' and <= 'Z' ? (char)(ch + 32) : ch;
    }

    private ulong[] Time(long[] column, string op, string value)
    {
        var (lo, hi) = Range(op, value);
        return Build(s => column[s] >= lo && column[s] < hi);
    }

    /// <summary>A date test as the ticks [lo, hi) it accepts (NULL, <see cref="SegmentIndex.None"/>, is below every range).</summary>
    private (long Lo, long Hi) Range(string op, string value)
    {
        const long min = SegmentIndex.None + 1;
        return op switch
        {
            "before" => (min, SegmentValidation.ParseDate(value)!.Value.Ticks),
            "after" when SegmentValidation.IsDay(value) => (SegmentValidation.ParseDate(value)!.Value.AddDays(1).Ticks, long.MaxValue),
            "after" => (SegmentValidation.ParseDate(value)!.Value.Ticks + 1, long.MaxValue),
            "within_last_days" => (context.Now.AddDays(-Int(value)).Ticks, long.MaxValue),
            "more_than_days_ago" => (min, context.Now.AddDays(-Int(value)).Ticks),
            _ => throw new InvalidOperationException($"The segment index has no date operator {op}."),
        };
    }

    /// <summary>As <see cref="SegmentSql"/>: any set of levels is one range of opens or its complement.</summary>
    private ulong[] Engagement(HashSet<string> levels, int days)
    {
        const int high = SegmentFields.HighEngagementOpens;
        var (low, top) = (levels.Contains("low"), levels.Contains("high"));
        if (!levels.Contains("none"))
            return (low, top) switch { (true, true) => Opens(1, null, days), (true, false) => Opens(1, high - 1, days), (false, true) => Opens(high, null, days), _ => new ulong[Words] };
        return (low, top) switch
        {
            (true, true) => All(),
            (true, false) => Not(Opens(high, null, days)),
            (false, true) => Not(Opens(1, high - 1, days)),
            _ => Not(Opens(1, null, days)),
        };
    }

    /// <summary>Installations with between <paramref name="min"/> and <paramref name="max"/> opens at or after now − days.</summary>
    private ulong[] Opens(int min, int? max, int days)
    {
        if (min <= 0 && max is null) return All();
        var since = context.Now.AddDays(-days).Ticks;
        var (lo, hi) = (Math.Max(min, 1), max ?? int.MaxValue);
        var opens = index.Opens;
        return Build(s =>
        {
            if (opens[s] is not { } times) return false;
            // the first open at or after since (times ascending)
            int a = 0, b = times.Length;
            while (a < b) { var m = (a + b) >>> 1; if (times[m] < since) a = m + 1; else b = m; }
            var n = times.Length - a;
            return n >= lo && n <= hi;
        });
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
