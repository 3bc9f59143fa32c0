using Dapper;

namespace PushConsole.Shared;

/// <summary>
/// The few pieces of SQL that differ between SQLite and PostgreSQL (<c>Database.Dialect</c>). Raw SQL is written once
/// and asks this for them; the rest reads the same on both (snake_case names, <c>ON CONFLICT … DO</c>, <c>RETURNING</c>,
/// <c>CAST</c>, <c>||</c>, <c>COALESCE</c>, <c>LIMIT</c>). Times are stored as values the app computes (UTC or Unix ms),
/// so no clock or date arithmetic is needed in SQL.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(postgres: false);
    public static readonly SqlDialect Postgres = new(postgres: true);

    private SqlDialect(bool postgres) => IsPostgres = postgres;

    /// <summary>For statements whose whole shape differs (the outbox claim, the delivery COPY); prefer the pieces below.</summary>
    public bool IsPostgres { get; }

    public string Name => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>"column IN @list" for SQLite (Dapper expands it), "column = ANY(@list)" for PostgreSQL (one array parameter).</summary>
    public string InList(string column, string parameter) => IsPostgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>
    /// <paramref name="column"/> among many ids bound as ONE parameter (<see cref="Ids"/>): PostgreSQL's ANY(array); SQLite reads
    /// a JSON array (json_each), because binding hundreds of named parameters costs SQLite a name search each (the
    /// dispatcher's target lookups spent more time there than in the query).
    /// </summary>
    public string InIds(string column, string parameter) =>
        IsPostgres ? $"{column} = ANY({parameter})" : $"{column} IN (SELECT value FROM json_each({parameter}))";

    /// <summary>The value of an <see cref="InIds"/> parameter.</summary>
    public object Ids(IReadOnlyCollection<long> ids) =>
        IsPostgres ? ids as long[] ?? [.. ids] : "[" + string.Join(',', ids) + "]";

    /// <summary>An aggregate joining <paramref name="expression"/>'s values as text with commas (NULL for no rows).</summary>
    public string JoinText(string expression) => IsPostgres ? $"string_agg(CAST({expression} AS TEXT), ',')" : $"group_concat({expression}, ',')";

    /// <summary>Case-insensitive LIKE: SQLite's LIKE already is (for ASCII), PostgreSQL's is ILIKE.</summary>
    public string LikeIgnoringCase => IsPostgres ? "ILIKE" : "LIKE";

    /// <summary>
    /// A prefix test on <paramref name="column"/> that can use its index, with <see cref="AddStartsWith"/>'s parameters:
    /// a range on SQLite (its LIKE ignores case, so it skips the index), LIKE on PostgreSQL (where a range would follow the collation).
    /// </summary>
    public string StartsWith(string column, string name) =>
        IsPostgres ? $"{column} LIKE @{name} ESCAPE '\\'" : $"{column} >= @{name} AND {column} < @{name}End";

    public void AddStartsWith(DynamicParameters parameters, string name, string prefix)
    {
        if (IsPostgres)
        {
            parameters.Add(name, prefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
            return;
        }
        parameters.Add(name, prefix);
        parameters.Add(name + "End", prefix + char.ConvertFromUtf32(0x10FFFF));
    }

    /// <summary>" FOR UPDATE" on PostgreSQL (row locks for concurrent writers), nothing on SQLite (one writer at a time).</summary>
    public string ForUpdate => IsPostgres ? " FOR UPDATE" : "";

    /// <summary><see cref="ForUpdate"/> limited to the rows of one table of a join.</summary>
    public string ForUpdateOf(string alias) => IsPostgres ? $" FOR UPDATE OF {alias}" : "";

    /// <summary>An index hint: SQLite's planner takes it (<c>INDEXED BY</c>), PostgreSQL has none and plans for itself.</summary>
    public string IndexedBy(string index) => IsPostgres ? "" : $" INDEXED BY {index}";

    /// <summary>Whether several transactions may write at once (row locks); SQLite serialises writers.</summary>
    public bool ConcurrentWriters => IsPostgres;

    /// <summary>
    /// Rows per multi-row statement: SQLite binds each parameter by a scan of the statement's names, so it wants short
    /// statements; PostgreSQL wants few round trips.
    /// </summary>
    public int RowsPerStatement => IsPostgres ? 500 : 32;

    /// <summary>The statement that moves SQLite's write-ahead log into the main file now (none on PostgreSQL).</summary>
    public string? WalCheckpoint => IsPostgres ? null : "PRAGMA wal_checkpoint(TRUNCATE)";

    /// <summary>
    /// Run in a transaction before reading rows appended by triggers in id order: on PostgreSQL ids are taken before their
    /// transactions commit, so wait for every writer of <paramref name="table"/> to finish (and keep new ones out for the
    /// read); SQLite has one writer at a time, committing in id order (null: nothing to run, no transaction needed).
    /// </summary>
    public string? AwaitWriters(string table) => IsPostgres ? $"SET LOCAL lock_timeout = '5s'; LOCK TABLE {table} IN SHARE MODE" : null;

    public override string ToString() => Name;
}
