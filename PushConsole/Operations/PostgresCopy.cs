using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PushConsole.Api;
using PushConsole.Data;

namespace PushConsole.Operations;

/// <summary>Rows of one table on both sides after the copy.</summary>
public sealed record CopiedTable(string Name, long Source, long Target);

/// <summary>
/// <c>db copy</c>: a SQLite install into an empty PostgreSQL database. The schema comes from the app's own PostgreSQL
/// migrations and Quartz's script; every table is copied in binary COPY batches inside one transaction from one SQLite
/// snapshot, values converted to the target column's type (integers to booleans, text to timestamps and dates); the key
/// ring goes into <c>data_protection_keys</c> (where the app reads it on PostgreSQL) so stored credentials still decrypt;
/// identity sequences continue after the copied ids; counts are compared per table before the commit.
/// </summary>
public sealed class PostgresCopy(Database database, IOptions<DataOptions> data)
{
    public const int BatchSize = 10_000;
    private const string QuartzScript = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    public async Task<IReadOnlyList<CopiedTable>> CopyAsync(string target, TextWriter progress, CancellationToken ct)
    {
        if (database.IsPostgres) throw new BadInputException("Database:Provider", "This install already runs on PostgreSQL; `db copy` moves a SQLite install.");
        NpgsqlConnectionStringBuilder connectionString;
        try { connectionString = new NpgsqlConnectionStringBuilder(target); }
        catch (ArgumentException e) { throw new BadInputException("to", $"Not a PostgreSQL connection string ({e.Message}); e.g. \"Host=db;Database=pushconsole;Username=push;Password=…\"."); }
        if (string.IsNullOrWhiteSpace(connectionString.Database)) throw new BadInputException("to", "Name the database: Database=… in the connection string.");
        var sourceFile = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        if (!File.Exists(sourceFile))
            throw new BadInputException("Data:Directory", $"There is no database at {sourceFile}: point --Data:Directory at the SQLite install to copy.");

        await using var pg = new NpgsqlConnection(target);
        await pg.OpenAsync(ct);
        if (await NonEmptyTableAsync(pg, ct) is { } busy)
            throw new BadInputException("to", $"The PostgreSQL database is not empty (table {busy} has rows); copy into a new, empty database.");

        progress.WriteLine("Creating the schema (the app's PostgreSQL migrations and Quartz's tables)…");
        await using (var context = new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(target, DataRegistration.PostgresOptions).Options))
            await context.Database.MigrateAsync(ct);
        await CreateQuartzSchemaAsync(pg, ct);

        await using var sqlite = new SqliteConnection(database.ConnectionString);
        await sqlite.OpenAsync(ct);
        // one read transaction: every table comes from the same moment, even if something still writes
        await using var snapshot = sqlite.BeginTransaction(deferred: true);
        var tables = await PlanAsync(sqlite, snapshot, pg, ct);
        var copied = new List<CopiedTable>();
        await using (var tx = await pg.BeginTransactionAsync(ct))
        {
            foreach (var table in tables)
            {
                var rows = await CopyTableAsync(sqlite, snapshot, pg, table, progress, ct);
                copied.Add(new CopiedTable(table.Name, rows, 0));
            }
            for (var i = 0; i < copied.Count; i++)
            {
                var source = await sqlite.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{copied[i].Name}\"", transaction: snapshot);
                var targetCount = await pg.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{copied[i].Name}\"", transaction: tx);
                copied[i] = new CopiedTable(copied[i].Name, source, targetCount);
            }
            if (copied.Where(c => c.Source != c.Target).ToList() is { Count: > 0 } differ)
                throw new InvalidOperationException("Row counts differ after the copy (nothing was committed): " +
                                                    string.Join(", ", differ.Select(d => $"{d.Name} {d.Source} → {d.Target}")));
            // after the counts: on SQLite the key ring is files, not rows of data_protection_keys
            var keys = await CopyKeyRingAsync(pg, ct);
            if (keys > 0) progress.WriteLine($"  key ring: {keys} key(s) into data_protection_keys");
            await ResetSequencesAsync(pg, ct);
            await tx.CommitAsync(ct);
        }
        return copied;
    }

    /// <summary>The settings that switch the app to the copy (the password is left for the reader to fill in).</summary>
    public static string Settings(string target)
    {
        var shown = new NpgsqlConnectionStringBuilder(target);
        if (!string.IsNullOrEmpty(shown.Password)) shown.Password = "…";
        return $"""
            Database__Provider=Postgres
            Database__ConnectionString="{shown}"
            """;
    }

    private sealed record TablePlan(string Name, IReadOnlyList<(string Name, string Type)> Columns);

    private static async Task<string?> NonEmptyTableAsync(NpgsqlConnection pg, CancellationToken ct)
    {
        var tables = await pg.QueryAsync<string>(new CommandDefinition(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", cancellationToken: ct));
        foreach (var table in tables.Where(t => t != DataRegistration.MigrationsHistoryTable))
            if (await pg.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT EXISTS (SELECT 1 FROM \"{table}\")", cancellationToken: ct)))
                return table;
        return null;
    }

    private static async Task CreateQuartzSchemaAsync(NpgsqlConnection pg, CancellationToken ct)
    {
        // Quartz ships the script it runs itself when provisioning (idempotent: CREATE … IF NOT EXISTS)
        await using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(QuartzScript)
                                 ?? throw new InvalidOperationException($"Quartz's PostgreSQL schema script ({QuartzScript}) is missing from Quartz.dll.");
        var script = (await new StreamReader(stream).ReadToEndAsync(ct)).Replace("{0}", "qrtz_").Replace("{1}", "qrtz_");
        foreach (var statement in script.Split("\n--;;", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (statement.Split('\n').Any(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal) && l.Trim().Length > 0))
                await pg.ExecuteAsync(new CommandDefinition(statement, cancellationToken: ct));
    }

    /// <summary>Source tables matched to target tables, parents before children (foreign keys are checked as rows arrive).</summary>
    private static async Task<List<TablePlan>> PlanAsync(SqliteConnection sqlite, SqliteTransaction snapshot, NpgsqlConnection pg, CancellationToken ct)
    {
        var sourceTables = (await sqlite.QueryAsync<string>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name <> @history",
                new { history = DataRegistration.MigrationsHistoryTable }, snapshot))
            .ToList();
        var targetColumns = (await pg.QueryAsync<(string Table, string Column, string Type)>(new CommandDefinition(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position", cancellationToken: ct)))
            .GroupBy(c => c.Table).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var missing = sourceTables.Where(t => !targetColumns.ContainsKey(t)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"PostgreSQL has no table for {string.Join(", ", missing)}: is the SQLite install from the same version of PushConsole?");

        var plans = new Dictionary<string, TablePlan>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in sourceTables)
        {
            var sourceColumns = (await sqlite.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table.Replace("'", "''")}')", transaction: snapshot))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var target = targetColumns[table];
            var lost = sourceColumns.Where(c => target.All(t => !t.Column.Equals(c, StringComparison.OrdinalIgnoreCase))).ToList();
            if (lost.Count > 0) throw new InvalidOperationException($"PostgreSQL's {target[0].Table} lacks column(s) {string.Join(", ", lost)}.");
            var name = target[0].Table;
            plans[name] = new TablePlan(name, [.. target.Where(t => sourceColumns.Contains(t.Column)).Select(t => (t.Column, t.Type))]);
        }

        var parents = (await pg.QueryAsync<(string Child, string Parent)>(new CommandDefinition(
                "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid", cancellationToken: ct)))
            .Select(p => (Child: p.Child.Trim('"'), Parent: p.Parent.Trim('"')))
            .ToLookup(p => p.Child, p => p.Parent, StringComparer.OrdinalIgnoreCase);
        var ordered = new List<TablePlan>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Visit(string table)
        {
            if (!plans.ContainsKey(table) || !seen.Add(table)) return;
            foreach (var parent in parents[table]) Visit(parent);
            ordered.Add(plans[table]);
        }
        foreach (var table in plans.Keys.Order(StringComparer.Ordinal)) Visit(table);
        return ordered;
    }

    private static async Task<long> CopyTableAsync(SqliteConnection sqlite, SqliteTransaction snapshot, NpgsqlConnection pg, TablePlan table, TextWriter progress,
        CancellationToken ct)
    {
        var total = await sqlite.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table.Name}\"", transaction: snapshot);
        if (total == 0) return 0;
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        var types = table.Columns.Select(c => SqliteValues.TypeOf(c.Type, table.Name, c.Name)).ToArray();
        await using var command = sqlite.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT {columns} FROM \"{table.Name}\"";
        await using var reader = await command.ExecuteReaderAsync(ct);
        long copied = 0;
        var more = true;
        while (more)
        {
            await using (var import = await pg.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct))
            {
                var inBatch = 0;
                while (inBatch < BatchSize && (more = await reader.ReadAsync(ct)))
                {
                    await import.StartRowAsync(ct);
                    for (var i = 0; i < types.Length; i++)
                    {
                        var value = reader.GetValue(i);
                        if (value is DBNull) await import.WriteNullAsync(ct);
                        else await import.WriteAsync(SqliteValues.Convert(value, types[i], table.Name, table.Columns[i].Name), types[i], ct);
                    }
                    inBatch++;
                }
                await import.CompleteAsync(ct);
                copied += inBatch;
            }
            progress.WriteLine($"  {table.Name}: {copied:N0} / {total:N0}");
        }
        return copied;
    }

    /// <summary>On SQLite the key ring is files under Data:Directory/keys; on PostgreSQL the app reads it from the database.</summary>
    private async Task<int> CopyKeyRingAsync(NpgsqlConnection pg, CancellationToken ct)
    {
        var keys = Path.Combine(data.Value.FullPath, Backup.KeysFolder);
        if (!Directory.Exists(keys)) return 0;
        var count = 0;
        foreach (var file in Directory.GetFiles(keys, "*.xml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var xml = System.Xml.Linq.XElement.Load(file).ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
            count += await pg.ExecuteAsync(new CommandDefinition(
                "INSERT INTO data_protection_keys (friendly_name, xml) SELECT @name, @xml WHERE NOT EXISTS (SELECT 1 FROM data_protection_keys WHERE friendly_name = @name)",
                new { name, xml }, cancellationToken: ct));
        }
        return count;
    }

    /// <summary>Rows came with their ids: move every identity sequence past the largest one.</summary>
    private static async Task ResetSequencesAsync(NpgsqlConnection pg, CancellationToken ct)
    {
        var identities = await pg.QueryAsync<(string Table, string Column)>(new CommandDefinition(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')",
            cancellationToken: ct));
        foreach (var (table, column) in identities)
            await pg.ExecuteAsync(new CommandDefinition(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)",
                new { table = $"\"{table}\"", column }, cancellationToken: ct));
    }
}
