using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PushConsole.Devices;

/// <summary>
/// The transaction a <see cref="RegistryWriter"/> batch runs in: plain ADO.NET with positional parameters
/// (<c>@p0</c>, <c>@p1</c>…). On SQLite the writer's connection lives long and keeps every statement
/// prepared, which is most of the registration path's speed.
/// </summary>
public sealed class RegistryTx
{
    private readonly Dictionary<string, DbCommand> _prepared = new(StringComparer.Ordinal);

    internal RegistryTx(DbConnection connection, SqlDialect dialect)
    {
        Connection = connection;
        Dialect = dialect;
    }

    public DbConnection Connection { get; }
    /// <summary>The SQL pieces that differ between SQLite and PostgreSQL (IN lists, row locks…).</summary>
    public SqlDialect Dialect { get; }
    public bool IsPostgres => Dialect.IsPostgres;
    public DbTransaction Transaction { get; internal set; } = default!;
    /// <summary>The batch's clock reading; every change in it carries this time.</summary>
    public DateTime Now { get; internal set; }
    /// <summary>" FOR UPDATE" on PostgreSQL (row locks for concurrent writers), nothing on SQLite (one writer at a time).</summary>
    public string ForUpdate => Dialect.ForUpdate;

    public async Task<int> ExecuteAsync(string sql, params object?[] args)
    {
        var command = Command(sql, args);
        try { return await command.ExecuteNonQueryAsync(); }
        finally { Release(command); }
    }

    public async Task<object?> ScalarAsync(string sql, params object?[] args)
    {
        var command = Command(sql, args);
        try
        {
            var value = await command.ExecuteScalarAsync();
            return value is DBNull ? null : value;
        }
        finally { Release(command); }
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, params object?[] args)
    {
        var command = Command(sql, args);
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<T>();
            while (await reader.ReadAsync()) rows.Add(map(reader));
            return rows;
        }
        finally { Release(command); }
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> map, params object?[] args) where T : class =>
        (await QueryAsync(sql, map, args)).FirstOrDefault();

    private DbCommand Command(string sql, object?[] args)
    {
        DbCommand command;
        if (Connection is NpgsqlConnection)
        {
            command = new NpgsqlCommand(sql, (NpgsqlConnection)Connection, (NpgsqlTransaction)Transaction);
            for (var i = 0; i < args.Length; i++) command.Parameters.Add(new NpgsqlParameter($"p{i}", args[i] ?? DBNull.Value));
            return command;
        }
        if (!_prepared.TryGetValue(sql, out command!))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < args.Length; i++) command.Parameters.Add(new SqliteParameter($"@p{i}", null));
            _prepared[sql] = command;
        }
        command.Transaction = Transaction;
        for (var i = 0; i < args.Length; i++) command.Parameters[i].Value = args[i] ?? DBNull.Value;
        return command;
    }

    private void Release(DbCommand command)
    {
        if (Connection is NpgsqlConnection) command.Dispose();
    }

    internal void DisposeCommands()
    {
        foreach (var command in _prepared.Values) command.Dispose();
        _prepared.Clear();
    }

    /// <summary>
    /// Splits <paramref name="count"/> rows into chunks of at most <paramref name="max"/> (a power of two) whose sizes are powers of
    /// two: a multi-row statement then has few shapes, and SQLite keeps each one prepared instead of parsing a new text per batch.
    /// </summary>
    public static IEnumerable<(int Offset, int Count)> Chunks(int count, int max)
    {
        var offset = 0;
        while (offset < count)
        {
            var size = max;
            while (size > count - offset) size >>= 1;
            yield return (offset, size);
            offset += size;
        }
    }

    /// <summary><c>@p{first}, @p{first+1}, …</c> for <paramref name="count"/> positional parameters.</summary>
    public static string Placeholders(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static DateTime? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public static string? ReadString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? ReadLong(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
