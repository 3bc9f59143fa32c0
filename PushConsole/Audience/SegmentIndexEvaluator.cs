using System.Globalization;
using System.Numerics;
using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>
/// A rule tree over a <see cref="SegmentIndex"/>: each condition becomes a bitmap of installation slots (a test on a
/// dictionary column is decided once per distinct value, then one pass), groups are word operations. The meaning is
/// <see cref="SegmentSql"/>'s, field by field (language and zone fall back to the user's, tags are the device's or the
/// user's, consent is the user's once one is logged in…).
/// </summary>
public sealed class SegmentIndexEvaluator(SegmentIndex index, SegmentContext context)
{
    /// <summary>Fields read from other tables the index does not keep (agenda, geofence events): such trees are counted in SQL.</summary>
    public static bool Supports(SegmentRules rules, SegmentContext context) =>
        rules.Conditions().All(c => c.Field switch
        {
            SegmentFields.FavoritedSession or SegmentFields.Track or SegmentFields.Geofence => false,
            SegmentFields.Segment => c.Values.All(id => context.Segments.TryGetValue(long.Parse(id, CultureInfo.InvariantCulture), out var r) && Supports(r, context)),
            // LIKE and ILIKE fold case differently beyond ASCII: the index folds ASCII only
            SegmentFields.Attribute when c.Operator is "contains" or "not_contains" => c.Values[0].All(char.IsAscii),
            _ => true,
        });

    private int Words => (index.Slots + 63) >> 6;

    public SegmentCount Count(SegmentRules rules)
    {
        var bits = Group(rules.Root, []);
        var platforms = PlatformNames.All.Select(PlatformNames.Of).ToArray();
        var platformOf = platforms.Select(index.Find).ToArray();
        var subscribed = index.Find(DeviceNames.Of(PushState.Subscribed));
        var installations = new long[platforms.Length];
        var recipients = new long[platforms.Length];
        for (var w = 0; w < bits.Length; w++)
            for (var word = bits[w]; word != 0; word &= word - 1)
            {
                var s = (w << 6) + BitOperations.TrailingZeroCount(word);
                var p = Array.IndexOf(platformOf, index.Platform[s]);
                if (p < 0) continue;
                installations[p]++;
                if (index.State[s] == subscribed) recipients[p]++;
            }
        var byPlatform = platforms.Select((p, k) => new PlatformCount(p, installations[k], recipients[k])).ToList();
        return new SegmentCount(installations.Sum(), recipients.Sum(), byPlatform);
    }

    private ulong[] Group(RuleGroup group, HashSet<long> path)
    {
        ulong[]? result = null;
        foreach (var rule in group.Rules)
        {
            var bits = rule is RuleGroup g ? Group(g, path) : Condition((RuleCondition)rule, path);
            if (result is null) { result = bits; continue; }
            for (var w = 0; w < result.Length; w++) result[w] = group.Match == GroupMatch.All ? result[w] & bits[w] : result[w] | bits[w];
        }
        result ??= group.Match == GroupMatch.All ? Where(_ => true) : new ulong[Words];
        return group.Not ? Not(result) : result;
    }

    private ulong[]? _alive;

    /// <summary>The complement among live installations (dead slots and the tail past the last slot never match).</summary>
    private ulong[] Not(ulong[] bits)
    {
        _alive ??= Where(_ => true);
        for (var w = 0; w < bits.Length; w++) bits[w] = ~bits[w] & _alive[w];
        return bits;
    }

    private ulong[] Where(Func<int, bool> test)
    {
        var bits = new ulong[Words];
        var alive = index.Alive;
        for (var s = 0; s < index.Slots; s++)
            if (alive[s] && test(s)) bits[s >> 6] |= 1UL << (s & 63);
        return bits;
    }

    /// <summary>A test per dictionary id, decided once per distinct string.</summary>
    private bool[] Table(Func<string, bool> test)
    {
        var strings = index.Strings;
        var table = new bool[strings.Count];
        for (var k = 0; k < table.Length; k++) table[k] = test(strings[k]);
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
            case SegmentFields.Platform: { var t = Table(c.Values.Contains); return Where(s => x.Platform[s] >= 0 && t[x.Platform[s]]); }
            case SegmentFields.PushState: { var t = Table(c.Values.Contains); return Where(s => x.State[s] >= 0 && t[x.State[s]]); }
            case SegmentFields.AppVersion:
                if (op == "exists") return Where(s => x.Version[s] >= 0);
                { var t = Table(v => AppVersions.Matches(v, op, c.Values)); return Where(s => x.Version[s] >= 0 && t[x.Version[s]]); }
            case SegmentFields.Language:
                return op == "exists" ? Where(s => Effective(x.Language, x.ULanguage, s) >= 0) : Effective(x.Language, x.ULanguage, c.Values);
            case SegmentFields.TimeZone:
                return op == "exists" ? Where(s => Effective(x.Zone, x.UZone, s) >= 0) : Effective(x.Zone, x.UZone, c.Values);
            case SegmentFields.UtcOffset:
                return Effective(x.Zone, x.UZone, TimeZoneCountries.ZonesWithOffset(Number(c.Values[0]), Number(c.Values[1]), context.Now));
            case SegmentFields.Country: return Effective(x.Zone, x.UZone, TimeZoneCountries.ZonesOf(c.Values));
            case SegmentFields.User: return Where(s => x.User[s] >= 0);
            case SegmentFields.Tags:
                if (op == "has_all")
                {
                    var all = Where(_ => true);
                    foreach (var tag in c.Values.Distinct()) And(all, HasTag([tag]));
                    return all;
                }
                return HasTag(c.Values);
            case SegmentFields.Attribute: return Attribute(c, op);
            case SegmentFields.Consent:
                {
                    var wanted = c.Values.Select(v => v switch { "granted" => ConsentNames.Granted, "withdrawn" => ConsentNames.Denied, _ => ConsentNames.Unknown }).ToHashSet();
                    // the consent the launch applies: the user's once one is logged in, else the installation's own; NULL reads as unknown
                    var t = Table(wanted.Contains);
                    var unknown = wanted.Contains(ConsentNames.Unknown);
                    return Where(s => (x.User[s] >= 0 ? x.UConsent[x.User[s]] : x.Consent[s]) is var k && (k < 0 ? unknown : t[k]));
                }
            case SegmentFields.Category:
                {
                    var id = x.Find(c.Name!);
                    if (id < 0 || !x.Categories.TryGetValue(id, out var column)) return new ulong[Words];
                    var want = op == "opted_in" ? (sbyte)1 : (sbyte)0;
                    return Where(s => x.User[s] >= 0 && column[x.User[s]] == want);
                }
            case SegmentFields.FirstSeen: { var t = DateTest(op, c.Value!); return Where(s => x.Created[s] != SegmentIndex.None && t(x.Created[s])); }
            case SegmentFields.LastSeen: { var t = DateTest(op, c.Value!); return Where(s => x.LastSeen[s] != SegmentIndex.None && t(x.LastSeen[s])); }
            case SegmentFields.UserCreated:
                { var t = DateTest(op, c.Value!); return Where(s => x.User[s] >= 0 && x.UCreated[x.User[s]] is var v && v != SegmentIndex.None && t(v)); }
            case SegmentFields.UserLastActive:
                {
                    var t = op == "exists" ? _ => true : DateTest(op, c.Value!);
                    return Where(s => x.User[s] >= 0 && x.ULastActive[x.User[s]] is var v && v != SegmentIndex.None && t(v));
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

    private static void And(ulong[] into, ulong[] bits) { for (var w = 0; w < into.Length; w++) into[w] &= bits[w]; }
    private static void Or(ulong[] into, ulong[] bits) { for (var w = 0; w < into.Length; w++) into[w] |= bits[w]; }

    /// <summary>The device's value, else its user's (NULL only when both are).</summary>
    private int Effective(int[] device, int[] user, int s) => device[s] >= 0 ? device[s] : index.User[s] is var u && u >= 0 ? user[u] : -1;

    /// <summary>COALESCE(device, user, '') IN values: '' matches a missing value only if it is listed.</summary>
    private ulong[] Effective(int[] device, int[] user, IEnumerable<string> values)
    {
        var set = values.ToHashSet(StringComparer.Ordinal);
        var t = Table(set.Contains);
        var missing = set.Contains("");
        return Where(s => Effective(device, user, s) is var k && (k < 0 ? missing : t[k]));
    }

    private ulong[] HasTag(IEnumerable<string> tags)
    {
        var x = index;
        var t = Table(tags.ToHashSet(StringComparer.Ordinal).Contains);
        bool Any(int[]? ids) { if (ids is null) return false; foreach (var id in ids) if (t[id]) return true; return false; }
        return Where(s => Any(x.Tags[s]) || x.User[s] >= 0 && Any(x.UTags[x.User[s]]));
    }

    private ulong[] Attribute(RuleCondition c, string op)
    {
        var x = index;
        var name = x.Find(c.Name!);
        if (name < 0 || !x.Attributes.TryGetValue(name, out var column)) return new ulong[Words];
        var (text, number) = column;
        if (op is "gt" or "gte" or "lt" or "lte")
        {
            var bound = Number(c.Values[0]);
            Func<double, bool> test = op switch { "gt" => n => n > bound, "gte" => n => n >= bound, "lt" => n => n < bound, _ => n => n <= bound };
            return Where(s => x.User[s] >= 0 && number[x.User[s]] is var n && !double.IsNaN(n) && test(n));
        }
        var t = op switch
        {
            "exists" => Table(_ => true),
            "equals" => Table(v => v == c.Values[0]),
            "in" => Table(c.Values.ToHashSet(StringComparer.Ordinal).Contains),
            "contains" => Table(v => ContainsAscii(v, c.Values[0])),
            _ => throw new InvalidOperationException($"The segment index has no attribute operator {op}."),
        };
        return Where(s => x.User[s] >= 0 && text[x.User[s]] is var k && k >= 0 && t[k]);
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

    private Func<long, bool> DateTest(string op, string value)
    {
        long P(DateTime d) => d.Ticks;
        switch (op)
        {
            case "before": { var b = P(SegmentValidation.ParseDate(value)!.Value); return v => v < b; }
            case "after" when SegmentValidation.IsDay(value): { var b = P(SegmentValidation.ParseDate(value)!.Value.AddDays(1)); return v => v >= b; }
            case "after": { var b = P(SegmentValidation.ParseDate(value)!.Value); return v => v > b; }
            case "within_last_days": { var b = P(context.Now.AddDays(-Int(value))); return v => v >= b; }
            case "more_than_days_ago": { var b = P(context.Now.AddDays(-Int(value))); return v => v < b; }
            default: throw new InvalidOperationException($"The segment index has no date operator {op}.");
        }
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
            (true, true) => Where(_ => true),
            (true, false) => Not(Opens(high, null, days)),
            (false, true) => Not(Opens(1, high - 1, days)),
            _ => Not(Opens(1, null, days)),
        };
    }

    /// <summary>Installations with between <paramref name="min"/> and <paramref name="max"/> opens at or after now − days.</summary>
    private ulong[] Opens(int min, int? max, int days)
    {
        if (min <= 0 && max is null) return Where(_ => true);
        var since = context.Now.AddDays(-days).Ticks;
        var (lo, hi) = (Math.Max(min, 1), max ?? int.MaxValue);
        var opens = index.Opens;
        return Where(s =>
        {
            if (opens[s] is not { } times) return false;
            var first = Array.BinarySearch(times, since);
            if (first < 0) first = ~first;
            else while (first > 0 && times[first - 1] == since) first--;
            var n = times.Length - first;
            return n >= lo && n <= hi;
        });
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
