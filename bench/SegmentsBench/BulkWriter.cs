using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SegmentsBench;

/// <summary>Writes generated rows fast: prepared INSERTs in large transactions on SQLite, binary COPY on PostgreSQL.</summary>
internal sealed class BulkWriter(DbConnection connection)
{
    public async Task WriteAsync(string table, string[] columns, IEnumerable<object?[]> rows)
    {
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                foreach (var value in row)
                    await (value switch
                    {
                        null => copy.WriteNullAsync(),
                        long v => copy.WriteAsync(v),
                        string v => copy.WriteAsync(v),
                        DateTime v => copy.WriteAsync(v),
                        bool v => copy.WriteAsync(v),
                        double v => copy.WriteAsync(v),
                        _ => throw new NotSupportedException(value.GetType().Name),
                    });
            }
            await copy.CompleteAsync();
            return;
        }
        var sqlite = (SqliteConnection)connection;
        SqliteTransaction? tx = null;
        SqliteCommand? command = null;
        var n = 0;
        foreach (var row in rows)
        {
            if (n++ % 200_000 == 0)
            {
                if (tx is not null) { await tx.CommitAsync(); await tx.DisposeAsync(); }
                tx = sqlite.BeginTransaction();
                command = sqlite.CreateCommand();
                command.Transaction = tx;
                command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
                for (var i = 0; i < columns.Length; i++) command.Parameters.Add(new SqliteParameter($"@p{i}", null));
                command.Prepare();
            }
            for (var i = 0; i < row.Length; i++) command!.Parameters[i].Value = row[i] ?? DBNull.Value;
            await command!.ExecuteNonQueryAsync();
        }
        if (tx is not null) { await tx.CommitAsync(); await tx.DisposeAsync(); }
    }
}
