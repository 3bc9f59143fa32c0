using System.Text;
using Dapper;
using PushConsole.Data;

namespace PushConsole.Tests.Consent;

/// <summary>
/// Looks for strings anywhere in the database: every column of every table (whatever its type, as text; blobs as
/// UTF-8 bytes), and on SQLite the bytes of every file in the data folder (database, write-ahead log, key ring).
/// </summary>
public static class DatabaseScan
{
    /// <summary>For each needle, where it was found ("table.column" or a file name); needles found nowhere are absent.</summary>
    public static async Task<Dictionary<string, List<string>>> FindAsync(AppHost host, IReadOnlyCollection<string> needles)
    {
        var found = needles.ToDictionary(n => n, _ => new List<string>());
        var database = host.Get<Database>();
        await using var connection = await database.OpenAsync();
        var columns = database.IsPostgres
            ? (await connection.QueryAsync<(string Table, string Column, string Type)>(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()")).ToList()
            : (await connection.QueryAsync<(string Table, string Column, string Type)>(
                "SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'")).ToList();
        Assert.True(columns.Count > 100, $"only {columns.Count} columns found: the scan would prove nothing");
        foreach (var (table, column, type) in columns)
            foreach (var needle in needles)
            {
                var sql = database.IsPostgres
                    ? type == "bytea"
                        ? $"SELECT COUNT(*) FROM \"{table}\" WHERE position(@bytes IN \"{column}\") > 0"
                        : $"SELECT COUNT(*) FROM \"{table}\" WHERE position(@needle IN CAST(\"{column}\" AS TEXT)) > 0"
                    : $"SELECT COUNT(*) FROM \"{table}\" WHERE instr(CAST(\"{column}\" AS TEXT), @needle) > 0 OR instr(CAST(\"{column}\" AS BLOB), @bytes) > 0";
                if (await connection.ExecuteScalarAsync<long>(sql, new { needle, bytes = Encoding.UTF8.GetBytes(needle) }) > 0)
                    found[needle].Add($"{table}.{column}");
            }
        if (!database.IsPostgres)
            foreach (var file in Directory.EnumerateFiles(host.DataDirectory, "*", SearchOption.AllDirectories))
            {
                byte[] bytes;
                await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    bytes = new byte[stream.Length];
                    await stream.ReadExactlyAsync(bytes);
                }
                foreach (var needle in needles)
                    if (bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0) found[needle].Add(Path.GetFileName(file));
            }
        return found;
    }
}
