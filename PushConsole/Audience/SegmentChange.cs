using System.Data.Common;
using System.Text;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>
/// An installation or user whose segment facts changed, appended by database triggers (whatever wrote it), so each
/// <see cref="SegmentIndex"/> re-reads exactly what changed since it last looked. No foreign keys: deleted rows are news too.
/// </summary>
public sealed class SegmentChange
{
    public long Id { get; set; }
    /// <summary>Null where the table has no app (user_categories): every app's index checks the user.</summary>
    public long? AppId { get; set; }
    public long? InstallationId { get; set; }
    public long? AppUserId { get; set; }
}

public sealed class SegmentChangeConfiguration : IEntityTypeConfiguration<SegmentChange>
{
    public void Configure(EntityTypeBuilder<SegmentChange> builder) => builder.ToTable("segment_changes");
}

/// <summary>
/// The triggers that fill <c>segment_changes</c>, created at start after the migrations (EF migrations do not carry
/// triggers and are regenerated before release). One row per changed row of every table a segment count reads.
/// </summary>
public sealed class SegmentChangeTriggers : ISchemaObjects
{
    /// <summary>Table, the row's (app, installation, user) with R standing for NEW or OLD, an optional row condition.</summary>
    private static readonly (string Table, string App, string Installation, string User, string? When)[] Sources =
    [
        ("installations", "R.app_id", "R.id", "NULL", null),
        ("installation_tags", "R.app_id", "R.installation_id", "NULL", null),
        ("app_users", "R.app_id", "NULL", "R.id", null),
        ("user_attributes", "R.app_id", "NULL", "R.app_user_id", null),
        ("user_tags", "R.app_id", "NULL", "R.app_user_id", null),
        ("user_categories", "NULL", "NULL", "R.app_user_id", null),
        ("client_events", "R.app_id", "R.installation_id", "NULL", $"R.type = '{ClientEventTypes.NotificationOpened}'"),
    ];

    /// <summary>The columns whose update matters (a token or an email changing is no news to a segment); other tables: any update.</summary>
    private static string UpdateOf(string table) => table switch
    {
        "installations" => " OF app_id, app_user_id, platform, state, language, time_zone, app_version, created_at, last_seen_at, consent",
        "app_users" => " OF app_id, language, time_zone, consent, created_at, last_active_at",
        _ => "",
    };

    public async Task EnsureAsync(DbConnection connection, SqlDialect dialect, CancellationToken ct)
    {
        foreach (var sql in dialect.IsPostgres ? Postgres() : Sqlite())
            await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct));
    }

    private const string Changes = "INSERT INTO segment_changes (app_id, installation_id, app_user_id)";

    private static string Row(string row, (string Table, string App, string Installation, string User, string? When) s) =>
        $"{s.App.Replace("R.", row + ".")}, {Keys(row, s)}";

    private static string Insert(string row, (string Table, string App, string Installation, string User, string? When) s) =>
        $"{Changes} VALUES ({Row(row, s)})";

    private static string Keys(string row, (string Table, string App, string Installation, string User, string? When) s) =>
        $"{s.Installation.Replace("R.", row + ".")}, {s.User.Replace("R.", row + ".")}";

    private static IEnumerable<string> Sqlite()
    {
        // replaced at every start (in one transaction), so a changed definition reaches existing databases
        var sql = new StringBuilder("BEGIN;\n");
        foreach (var s in Sources)
        {
            string When(string row) => s.When is null ? "" : $" WHEN {s.When.Replace("R.", row + ".")}";
            foreach (var op in new[] { "insert", "delete", "update" }) sql.Append($"DROP TRIGGER IF EXISTS segidx_{s.Table}_{op};\n");
            sql.Append($"CREATE TRIGGER segidx_{s.Table}_insert AFTER INSERT ON {s.Table}{When("NEW")} BEGIN {Insert("NEW", s)}; END;\n");
            sql.Append($"CREATE TRIGGER segidx_{s.Table}_delete AFTER DELETE ON {s.Table}{When("OLD")} BEGIN {Insert("OLD", s)}; END;\n");
            // an update that moved the row (another user) or left the condition is news for the old row too
            var (whenNew, whenOld) = (s.When?.Replace("R.", "NEW.") ?? "1", s.When?.Replace("R.", "OLD.") ?? "1");
            sql.Append($"CREATE TRIGGER segidx_{s.Table}_update AFTER UPDATE{UpdateOf(s.Table)} ON {s.Table} BEGIN " +
                       $"{Changes} SELECT {Row("NEW", s)} WHERE {whenNew}; " +
                       $"{Changes} SELECT {Row("OLD", s)} WHERE {whenOld} AND (({Keys("OLD", s)}) IS NOT ({Keys("NEW", s)}) OR NOT ({whenNew})); END;\n");
        }
        yield return sql + "COMMIT;";
    }

    private static IEnumerable<string> Postgres()
    {
        // instances starting together would race on CREATE OR REPLACE
        var sql = new StringBuilder("SELECT pg_advisory_xact_lock(7302011);\n");
        foreach (var s in Sources)
        {
            string Cond(string row) => s.When is null ? "TRUE" : s.When.Replace("R.", row + ".");
            sql.Append($"""
                CREATE OR REPLACE FUNCTION segidx_{s.Table}() RETURNS trigger LANGUAGE plpgsql AS $f$
                BEGIN
                  IF TG_OP <> 'INSERT' AND {Cond("OLD")} AND (TG_OP = 'DELETE' OR ({Keys("OLD", s)}) IS DISTINCT FROM ({Keys("NEW", s)}) OR NOT {Cond("NEW")}) THEN
                    {Insert("OLD", s)};
                  END IF;
                  IF TG_OP <> 'DELETE' AND {Cond("NEW")} THEN
                    {Insert("NEW", s)};
                  END IF;
                  RETURN NULL;
                END $f$;
                CREATE OR REPLACE TRIGGER segidx_{s.Table} AFTER INSERT OR UPDATE{UpdateOf(s.Table)} OR DELETE ON {s.Table} FOR EACH ROW EXECUTE FUNCTION segidx_{s.Table}();

                """);
        }
        yield return "BEGIN;\n" + sql + "COMMIT;";
    }
}
