using System.Globalization;
using System.Text;
using Dapper;
using PushConsole.Agenda;
using PushConsole.Consent;
using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>What the translation needs besides the rules: read once per query by <see cref="SegmentService"/>.</summary>
/// <param name="Now">"Within the last N days" and UTC offsets are evaluated at this instant.</param>
/// <param name="AppVersions">The app's distinct app versions (only read when a rule compares versions).</param>
/// <param name="Segments">The rules of every saved segment the tree refers to, transitively.</param>
public sealed record SegmentContext(long AppId, DateTime Now, SqlDialect Dialect, IReadOnlyList<string> AppVersions,
    IReadOnlyDictionary<long, SegmentRules> Segments);

/// <summary>
/// Translates a validated rule tree into one parameterised WHERE fragment over <see cref="From"/> (aliases <c>i</c>,
/// <c>u</c>), for SQLite or PostgreSQL (lists are <c>= ANY(array)</c> there, subqueries kept hashed, LIKE is ILIKE).
/// Every predicate is two-valued (never NULL), so NOT and the negative operators are exact complements. Columns of the
/// installation and its user are read directly; user tables (attributes, tags, categories, agenda favourites and
/// check-ins) and events become
/// <c>IN (subquery)</c> sets built once per query; cheap tests come first in every group.
/// </summary>
public static class SegmentSql
{
    public const string From = "installations i LEFT JOIN app_users u ON u.id = i.app_user_id";

    /// <summary>Covers every installation column a rule reads, in user order (see <see cref="FromFor"/>).</summary>
    public const string ScanIndex = "ix_installations_segments";

    /// <summary>
    /// <see cref="From"/> for segment scans. On SQLite it walks the app's installations through <see cref="ScanIndex"/>:
    /// narrower than the table, and in user order, so the join to the user and the per-user lookups touch neighbouring
    /// pages instead of seeking at random (about ten times faster at a million installations).
    /// </summary>
    public static string FromFor(SqlDialect dialect) => $"installations i{dialect.IndexedBy(ScanIndex)} LEFT JOIN app_users u ON u.id = i.app_user_id";

    /// <summary>Per-connection settings for a segment scan on SQLite: map the file instead of copying pages through a small cache.</summary>
    public const string SqliteSettings = "PRAGMA mmap_size = 4294967296";
    public const string OpenedType = ClientEventTypes.NotificationOpened;

    /// <summary>
    /// Run (in the query's transaction) before a segment query on PostgreSQL: a subquery under OR or NOT is kept as a
    /// hash table only while it fits in work_mem (past it PostgreSQL rescans the subquery's result for every row);
    /// parallel workers would each build every hash table again; JIT compiling costs more than it saves here; and with
    /// the default random_page_cost the planner reads the wide table instead of <see cref="ScanIndex"/> (index-only).
    /// </summary>
    public const string PostgresSettings =
        "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL random_page_cost = 1.1";

    public static string Where(SegmentRules rules, SegmentContext context, DynamicParameters parameters)
    {
        var prefix = $"sg{parameters.ParameterNames.Count(n => n.StartsWith("sg", StringComparison.Ordinal))}_";
        var emitter = new Emitter(context, parameters, prefix);
        parameters.Add(emitter.App, context.AppId);
        return $"i.app_id = @{emitter.App} AND {emitter.Group(rules.Root, [])}";
    }

    /// <summary>
    /// How dear a rule is to decide, cheapest first in a group (the SQL and the in-memory index order alike): 0 a column of
    /// the installation, 1 a column of its user, 2 a lookup in a user table, 3 an aggregation of events.
    /// </summary>
    public static int Cost(RuleNode node) => node switch
    {
        RuleGroup g => g.Rules.Select(Cost).DefaultIfEmpty(0).Max(),
        RuleCondition { Field: SegmentFields.Platform or SegmentFields.PushState or SegmentFields.AppVersion or SegmentFields.User
            or SegmentFields.FirstSeen or SegmentFields.LastSeen } => 0,
        RuleCondition { Field: SegmentFields.Language or SegmentFields.TimeZone or SegmentFields.UtcOffset or SegmentFields.Country
            or SegmentFields.Consent or SegmentFields.UserCreated or SegmentFields.UserLastActive } => 1,
        RuleCondition { Field: SegmentFields.Opens or SegmentFields.Engagement or SegmentFields.Geofence } => 3,
        _ => 2,
    };

    private sealed class Emitter(SegmentContext context, DynamicParameters parameters, string prefix)
    {
        private int _n;
        public string App { get; } = prefix + "app";

        private string P(object value)
        {
            // "p1" must not be the start of another name ("p10"): Dapper expands lists by name
            var name = $"{prefix}{++_n}_";
            parameters.Add(name, value);
            return "@" + name;
        }

        public string Group(RuleGroup group, HashSet<long> path)
        {
            // cheap tests first: AND stops at the first false, OR at the first true (the order changes nothing else)
            var parts = group.Rules.OrderBy(Cost).Select(r => r is RuleGroup g ? Group(g, path) : Condition((RuleCondition)r, path)).ToList();
            var sql = parts.Count switch
            {
                0 => group.Match == GroupMatch.All ? "1=1" : "1=0",
                1 => parts[0],
                _ => "(" + string.Join(group.Match == GroupMatch.All ? " AND " : " OR ", parts) + ")",
            };
            return group.Not ? Not(sql) : sql;
        }

        private static string Wrap(string sql) => $"({sql})";

        private static string Not(string sql) => $"NOT {Wrap(sql)}";

        private static string Any(IEnumerable<string> parts)
        {
            var list = parts.ToList();
            return list.Count == 0 ? "1=0" : list.Count == 1 ? list[0] : "(" + string.Join(" OR ", list) + ")";
        }

        private static string All(IEnumerable<string> parts)
        {
            var list = parts.ToList();
            return list.Count == 0 ? "1=1" : list.Count == 1 ? list[0] : "(" + string.Join(" AND ", list) + ")";
        }

        private string Condition(RuleCondition c, HashSet<long> path)
        {
            var op = c.Operator;
            // every negative operator is "not_" and its positive one (not_in, not_favorited…), except has_none
            var negative = op.StartsWith("not_", StringComparison.Ordinal) || op == "has_none";
            var positive = op == "has_none" ? "has_any" : negative ? op["not_".Length..] : op;
            var sql = Positive(c, positive, path);
            return negative ? Not(sql) : sql;
        }

        private string Positive(RuleCondition c, string op, HashSet<long> path) => c.Field switch
        {
            SegmentFields.Platform => In("i.platform", c.Values),
            SegmentFields.PushState => In("i.state", c.Values),
            SegmentFields.AppVersion => op == "exists" ? "i.app_version IS NOT NULL"
                : Column("i.app_version", context.AppVersions.Where(v => AppVersions.Matches(v, op, c.Values)).ToArray()),
            SegmentFields.Language => op == "exists" ? "COALESCE(i.language, u.language) IS NOT NULL" : Effective("language", c.Values),
            SegmentFields.TimeZone => op == "exists" ? "COALESCE(i.time_zone, u.time_zone) IS NOT NULL" : Effective("time_zone", c.Values),
            SegmentFields.UtcOffset => Effective("time_zone", TimeZoneCountries.ZonesWithOffset(Number(c.Values[0]), Number(c.Values[1]), context.Now)),
            SegmentFields.Country => Effective("time_zone", TimeZoneCountries.ZonesOf(c.Values)),
            SegmentFields.User => "i.app_user_id IS NOT NULL",
            SegmentFields.Tags => op == "has_all" ? All(c.Values.Distinct().Select(t => HasTag([t]))) : HasTag(c.Values),
            SegmentFields.Attribute => UserHas("user_attributes", true, $"name = {P(c.Name!)}{AttributeTest(op, c.Values)}"),
            // the consent the launch applies: the user's once one is logged in, else the installation's own
            SegmentFields.Consent => Any(c.Values.Distinct().Select(v =>
                $"COALESCE(CASE WHEN i.app_user_id IS NULL THEN i.consent ELSE u.consent END, '{ConsentNames.Unknown}') = " + v switch
                {
                    "granted" => $"'{ConsentNames.Granted}'",
                    "withdrawn" => $"'{ConsentNames.Denied}'",
                    _ => $"'{ConsentNames.Unknown}'",
                })),
            SegmentFields.Category => UserHas("user_categories", false, $"category = {P(c.Name!)} AND enabled = {P(op == "opted_in")}"),
            SegmentFields.FirstSeen => DateTest("i.created_at", op, c.Value!),
            SegmentFields.LastSeen => DateTest("i.last_seen_at", op, c.Value!),
            SegmentFields.UserCreated => $"(u.created_at IS NOT NULL AND {DateTest("u.created_at", op, c.Value!)})",
            SegmentFields.UserLastActive => op == "exists" ? "u.last_active_at IS NOT NULL" : $"(u.last_active_at IS NOT NULL AND {DateTest("u.last_active_at", op, c.Value!)})",
            SegmentFields.Opens => op == "gte" ? Opens(Int(c.Value!), null, c.Days!.Value) : Not(Opens(Int(c.Value!) + 1, null, c.Days!.Value)),
            SegmentFields.Engagement => Engagement([.. c.Values], c.Days!.Value),
            SegmentFields.Segment => Any(c.Values.Select(long.Parse).Distinct().Select(id => Member(id, path))),
            SegmentFields.FavoritedSession => UserIn(AgendaSql.SessionsByExternalId(context.Dialect, "@" + App, P(c.Values.Distinct().ToArray()))),
            SegmentFields.Track => TrackTest(op, P(c.Value!)),
            SegmentFields.Geofence => Entered(c.Name!, op == "entered_within_hours" ? context.Now.AddHours(-Int(c.Value!)) : null),
            _ => throw new InvalidOperationException($"No SQL for field {c.Field}."),
        };

        /// <summary>Two-valued test of a nullable installation column against a list (empty list: false).</summary>
        private string Column(string column, string[] values) =>
            values.Length == 0 ? "1=0" : $"({column} IS NOT NULL AND {In(column, values)})";

        /// <summary>Dapper passes a list to Npgsql as one array (= ANY) and expands it for SQLite (IN (…)).</summary>
        private string In(string column, IEnumerable<string> values) => InParameter(column, P(values.Distinct().ToArray()));

        private string InParameter(string column, string parameter) => context.Dialect.InList(column, parameter);

        /// <summary>The device's value, else its user's (language, time zone), as the dispatcher localises; '' never matches.</summary>
        private string Effective(string column, IReadOnlyCollection<string> values) =>
            values.Count == 0 ? "1=0" : In($"COALESCE(i.{column}, u.{column}, '')", values);

        /// <summary>
        /// The installation's user has a row in a user table: <c>i.app_user_id IN (the table's matching users)</c>, a set
        /// built once from the table's (app_id, …) index. Probed in user order as the scan walks (<see cref="FromFor"/>), or, when
        /// SQLite's planner expects few users, walked itself with a seek per user.
        /// </summary>
        private string UserHas(string table, bool hasAppId, string filter) =>
            InSubquery("i.app_user_id", $"SELECT app_user_id FROM {table} WHERE {(hasAppId ? $"app_id = @{App} AND " : "")}{filter}", nullable: true);

        /// <summary>The user favourited and/or checked in to any session of the track (a parameter already added).</summary>
        private string TrackTest(string op, string track) => op switch
        {
            "favorited" => UserIn(AgendaSql.Track("@" + App, track)),
            "checked_in" => UserIn(AgendaSql.Track("@" + App, track, checkedIn: true)),
            "favorited_or_checked_in" => Any([UserIn(AgendaSql.Track("@" + App, track)), UserIn(AgendaSql.Track("@" + App, track, checkedIn: true))]),
            _ => throw new InvalidOperationException($"No SQL for track operator {op}."),
        };

        /// <summary>
        /// An agenda fragment (<c>i.app_user_id IN (subquery)</c>, see <see cref="AgendaSql"/>) made two-valued: an
        /// installation without a user is simply not in it, and PostgreSQL keeps the subquery hashed.
        /// </summary>
        private string UserIn(string agendaSql) => TwoValued("i.app_user_id", agendaSql, nullable: true);

        /// <summary>The installation or its user carries one of the tags.</summary>
        private string HasTag(IReadOnlyCollection<string> tags)
        {
            var list = P(tags.Distinct().ToArray());
            return $"({UserHas("user_tags", true, InParameter("tag", list))} OR " +
                   $"{InSubquery("i.id", $"SELECT installation_id FROM installation_tags WHERE app_id = @{App} AND {InParameter("tag", list)}")})";
        }

        private string AttributeTest(string op, List<string> values) => op switch
        {
            "exists" => "",
            "equals" => $" AND text_value = {P(values[0])}",
            "in" => $" AND {In("text_value", values)}",
            "contains" => $" AND text_value {context.Dialect.LikeIgnoringCase} {P("%" + EscapeLike(values[0]) + "%")} ESCAPE '\\'",
            "gt" => $" AND number_value > {P(Number(values[0]))}",
            "gte" => $" AND number_value >= {P(Number(values[0]))}",
            "lt" => $" AND number_value < {P(Number(values[0]))}",
            "lte" => $" AND number_value <= {P(Number(values[0]))}",
            _ => throw new InvalidOperationException($"No SQL for attribute operator {op}."),
        };

        private string DateTest(string column, string op, string value) => op switch
        {
            "before" => $"{column} < {P(SegmentValidation.ParseDate(value)!.Value)}",
            "after" when SegmentValidation.IsDay(value) => $"{column} >= {P(SegmentValidation.ParseDate(value)!.Value.AddDays(1))}",
            "after" => $"{column} > {P(SegmentValidation.ParseDate(value)!.Value)}",
            "within_last_days" => $"{column} >= {P(context.Now.AddDays(-Int(value)))}",
            "more_than_days_ago" => $"{column} < {P(context.Now.AddDays(-Int(value)))}",
            _ => throw new InvalidOperationException($"No SQL for date operator {op}."),
        };

        /// <summary>
        /// Levels by opens in the window (none 0, low 1–2, high 3+). Any set of levels is one range of counts or the
        /// complement of one, so it costs a single aggregation of the window's opens.
        /// </summary>
        private string Engagement(HashSet<string> levels, int days)
        {
            const int high = SegmentFields.HighEngagementOpens;
            var (low, top) = (levels.Contains("low"), levels.Contains("high"));
            if (!levels.Contains("none"))
                return (low, top) switch { (true, true) => Opens(1, null, days), (true, false) => Opens(1, high - 1, days), (false, true) => Opens(high, null, days), _ => "1=0" };
            return (low, top) switch
            {
                (true, true) => "1=1",
                (true, false) => Not(Opens(high, null, days)),
                (false, true) => Not(Opens(1, high - 1, days)),
                _ => Not(Opens(1, null, days)),
            };
        }

        /// <summary>Installations with between <paramref name="min"/> and <paramref name="max"/> opens in the last <paramref name="days"/> days.</summary>
        private string Opens(int min, int? max, int days) => min <= 0 && max is null ? "1=1"
            : InSubquery("i.id", $"SELECT installation_id FROM client_events WHERE app_id = @{App} AND type = '{OpenedType}' AND at >= {P(context.Now.AddDays(-days))} " +
                                 $"GROUP BY installation_id HAVING COUNT(*) >= {P(Math.Max(min, 1))}{(max is { } m ? $" AND COUNT(*) <= {P(m)}" : "")}");

        /// <summary>The installation, or any installation of its user, reported entering the geofence (since <paramref name="since"/>).</summary>
        private string Entered(string geofence, DateTime? since)
        {
            var filter = $"e.app_id = @{App} AND e.type = '{ClientEventTypes.GeofenceEntered}' AND e.geofence_id = {P(geofence)}" +
                         (since is { } s ? $" AND e.at >= {P(s)}" : "");
            return $"({InSubquery("i.id", $"SELECT e.installation_id FROM client_events e WHERE {filter}")} OR " +
                   $"{InSubquery("i.app_user_id", $"SELECT x.app_user_id FROM client_events e JOIN installations x ON x.id = e.installation_id WHERE {filter} AND x.app_user_id IS NOT NULL", nullable: true)})";
        }

        /// <summary>
        /// <c>x IN (subquery)</c>, two-valued. On PostgreSQL wrapped so the planner keeps it a hashed subplan (one hash
        /// table, a probe per row) instead of pulling it up into a join whose row estimates can go badly wrong.
        /// </summary>
        private string InSubquery(string left, string subquery, bool nullable = false) => TwoValued(left, $"{left} IN ({subquery})", nullable);

        /// <summary><paramref name="inSql"/> is <c>{left} IN (subquery)</c>; NULL only where <paramref name="left"/> may be NULL.</summary>
        private string TwoValued(string left, string inSql, bool nullable) =>
            context.Dialect.IsPostgres ? $"COALESCE({inSql}, FALSE)"
            // SQLite: under AND a narrow set may drive the scan (a seek per user in the covering index), else it is probed
            : nullable ? $"({left} IS NOT NULL AND {inSql})" : inSql;

        private string Member(long id, HashSet<long> path)
        {
            // the service refuses cycles before saving; this only guards against a tree that slipped past it
            if (!context.Segments.TryGetValue(id, out var rules) || !path.Add(id))
                throw new InvalidOperationException($"Segment {id} is missing or refers to itself.");
            var sql = Group(rules.Root, path);
            path.Remove(id);
            return Wrap(sql);
        }

        private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        private static string EscapeLike(string value) => value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
    }
}
