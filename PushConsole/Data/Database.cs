using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PushConsole.Data;

/// <summary>
/// The chosen database: its provider, its connection string and raw ADO.NET connections for hot paths
/// (audience streaming, delivery batches) that must not go through per-row SaveChanges.
/// </summary>
public sealed class Database
{
    public Database(IOptions<DatabaseOptions> database, IOptions<DataOptions> data)
    {
        Provider = database.Value.Provider;
        ConnectionString = Provider == DatabaseProvider.Sqlite
            ? SqliteConnectionString(database.Value.ConnectionString, data.Value.FullPath)
            : database.Value.ConnectionString!;
        if (Provider == DatabaseProvider.Postgres)
            DataSource = new NpgsqlDataSourceBuilder(ConnectionString).Build();
        Dialect = Provider == DatabaseProvider.Postgres ? SqlDialect.Postgres : SqlDialect.Sqlite;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The provider itself (backup, copy, WAL mode); for SQL that differs ask <see cref="Dialect"/>.</summary>
    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary>The SQL pieces that differ between the two databases.</summary>
    public SqlDialect Dialect { get; }

    public string ConnectionString { get; }

    /// <summary>Shared Npgsql data source (pooled) when the provider is PostgreSQL.</summary>
    public NpgsqlDataSource? DataSource { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (DataSource is not null)
            return await DataSource.OpenConnectionAsync(ct);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await SqlitePragmas.ApplyAsync(connection, ct);
        return connection;
    }

    /// <summary>
    /// Stops the statement running on <paramref name="connection"/> when <paramref name="ct"/> is cancelled: Microsoft.Data.Sqlite
    /// checks the token only before a statement starts, and an aggregate runs whole inside its first step (Npgsql cancels by itself).
    /// Dispose the registration before the connection, which goes back to the pool. See <see cref="WasInterrupted"/>.
    /// </summary>
    public static CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken ct) =>
        connection is SqliteConnection { Handle: { } handle } ? ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle)) : default;

    /// <summary>The error SQLite raises for a statement stopped by <see cref="InterruptOnCancel"/>; rethrow it as a cancellation.</summary>
    public static bool WasInterrupted(Exception e, CancellationToken ct) =>
        ct.IsCancellationRequested && e is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_INTERRUPT };

    /// <summary>"column IN @list" for SQLite (Dapper expands it), "column = ANY(@list)" for PostgreSQL (a native array).</summary>
    public string InList(string column, string parameter) => Dialect.InList(column, parameter);

    internal static string SqliteConnectionString(string? configured, string dataDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(dataDirectory, "pushconsole.db")}"
            : configured)
        {
            ForeignKeys = true,
            // writers wait for the lock instead of failing at once (WAL allows one writer at a time)
            DefaultTimeout = 60,
            Pooling = true,
        };
        return builder.ToString();
    }
}
