using System.Globalization;
using PushConsole.Audience;

namespace PushConsole.Tests.Audience;

/// <summary>
/// An independent, in-memory reading of what a rule tree means, installation by installation — the reference the
/// SQL translation is compared with.
/// </summary>
public sealed class RuleOracle(SegmentWorld world, IReadOnlyDictionary<long, SegmentRules> saved)
{
    public HashSet<long> Match(SegmentRules rules) =>
        world.Installations.Where(i => Group(rules.Root, i)).Select(i => i.Id).ToHashSet();

    public bool Group(RuleGroup group, WorldInstallation i)
    {
        var results = group.Rules.Select(r => r is RuleGroup g ? Group(g, i) : Condition((RuleCondition)r, i));
        var value = group.Match == GroupMatch.All ? results.All(x => x) : results.Any(x => x);
        return group.Not ? !value : value;
    }

    private bool Condition(RuleCondition c, WorldInstallation i) => c.Operator switch
    {
        "not_in" => !Positive(c, "in", i),
        "not_equals" => !Positive(c, "equals", i),
        "not_contains" => !Positive(c, "contains", i),
        "not_exists" => !Positive(c, "exists", i),
        "has_none" => !Positive(c, "has_any", i),
        "not_favorited" => !Positive(c, "favorited", i),
        "not_checked_in" => !Positive(c, "checked_in", i),
        "not_favorited_or_checked_in" => !Positive(c, "favorited_or_checked_in", i),
        "not_entered_within_hours" => !Positive(c, "entered_within_hours", i),
        "not_entered" => !Positive(c, "entered", i),
        _ => Positive(c, c.Operator, i),
    };

    private bool Positive(RuleCondition c, string op, WorldInstallation i)
    {
        var u = i.User;
        var v = c.Values;
        var language = i.Language ?? u?.Language;
        var zone = i.TimeZone ?? u?.TimeZone;
        switch (c.Field)
        {
            case SegmentFields.Platform: return v.Contains(i.Platform);
            case SegmentFields.PushState: return v.Contains(i.State);
            case SegmentFields.AppVersion: return op == "exists" ? i.AppVersion is not null : i.AppVersion is not null && AppVersions.Matches(i.AppVersion, op, v);
            case SegmentFields.Language: return op == "exists" ? language is not null : language is not null && v.Contains(language);
            case SegmentFields.TimeZone: return op == "exists" ? zone is not null : zone is not null && v.Contains(zone);
            case SegmentFields.UtcOffset:
                return TimeZoneCountries.OffsetHours(zone, world.Now) is { } h && h >= Num(v[0]) && h <= Num(v[1]);
            case SegmentFields.Country: return TimeZoneCountries.CountryOf(zone) is { } country && v.Contains(country);
            case SegmentFields.User: return u is not null;
            case SegmentFields.Tags:
                var tags = i.Tags.Union(u?.Tags ?? []).ToHashSet();
                return op == "has_all" ? v.All(tags.Contains) : v.Any(tags.Contains);
            case SegmentFields.Attribute:
                if (u is null || !u.Attributes.TryGetValue(c.Name!, out var text)) return false;
                double? number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
                return op switch
                {
                    "exists" => true,
                    "equals" => text == v[0],
                    "in" => v.Contains(text),
                    "contains" => text.Contains(v[0], StringComparison.OrdinalIgnoreCase),
                    "gt" => number > Num(v[0]),
                    "gte" => number >= Num(v[0]),
                    "lt" => number < Num(v[0]),
                    "lte" => number <= Num(v[0]),
                    _ => throw new InvalidOperationException(op),
                };
            case SegmentFields.Consent:
                return v.Any(x => x switch { "granted" => u?.Consent == true, "withdrawn" => u?.Consent == false, _ => u?.Consent is null });
            case SegmentFields.Category:
                return u is not null && u.Categories.TryGetValue(c.Name!, out var enabled) && enabled == (op == "opted_in");
            case SegmentFields.FirstSeen: return Date(i.CreatedAt, op, v[0]);
            case SegmentFields.LastSeen: return Date(i.LastSeenAt, op, v[0]);
            case SegmentFields.UserCreated: return u is not null && Date(u.CreatedAt, op, v[0]);
            case SegmentFields.UserLastActive:
                return u?.LastActiveAt is { } active && (op == "exists" || Date(active, op, v[0]));
            case SegmentFields.Opens:
                var opens = Opens(i, c.Days!.Value);
                return op == "gte" ? opens >= int.Parse(v[0]) : opens <= int.Parse(v[0]);
            case SegmentFields.Engagement:
                var n = Opens(i, c.Days!.Value);
                return v.Any(level => level switch { "none" => n == 0, "low" => n is >= 1 and < SegmentFields.HighEngagementOpens, _ => n >= SegmentFields.HighEngagementOpens });
            case SegmentFields.Segment:
                return v.Any(id => Group(saved[long.Parse(id)].Root, i));
            case SegmentFields.FavoritedSession:
                return u is not null && v.Any(u.Favorites.Contains);
            case SegmentFields.Track:
                bool InTrack(IEnumerable<string> sessions) => sessions.Any(s => SegmentWorld.TrackOf(s) == v[0]);
                return u is not null && op switch
                {
                    "favorited" => InTrack(u.Favorites),
                    "checked_in" => InTrack(u.CheckIns),
                    "favorited_or_checked_in" => InTrack(u.Favorites) || InTrack(u.CheckIns),
                    _ => throw new InvalidOperationException(op),
                };
            case SegmentFields.Geofence:
                // this device's entries, or those of any device of its user
                var devices = u is null ? [i] : world.Installations.Where(x => x == i || x.User == u);
                var since = op == "entered_within_hours" ? world.Now.AddHours(-int.Parse(v[0])) : DateTime.MinValue;
                return devices.Any(d => d.GeofenceEntries.Any(e => e.Geofence == c.Name && e.At >= since));
            default: throw new InvalidOperationException(c.Field);
        }
    }

    private int Opens(WorldInstallation i, int days) => i.Opens.Count(at => at >= world.Now.AddDays(-days));

    private bool Date(DateTime value, string op, string text)
    {
        var isDay = text.Length == 10;
        var bound = isDay ? DateTime.SpecifyKind(DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc)
            : op is "before" or "after" ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime : default;
        return op switch
        {
            "before" => value < bound,
            "after" => isDay ? value >= bound.AddDays(1) : value > bound,
            "within_last_days" => value >= world.Now.AddDays(-int.Parse(text)),
            "more_than_days_ago" => value < world.Now.AddDays(-int.Parse(text)),
            _ => throw new InvalidOperationException(op),
        };
    }

    private static double Num(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
