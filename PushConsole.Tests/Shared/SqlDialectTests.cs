using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PushConsole.Tests.Shared;

/// <summary>The dialect's pieces give the same answers on SQLite and PostgreSQL over the same rows.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SqlDialectTests(PostgresCluster postgres)
{
    private static readonly string[] Tokens = ["ab%cd-1", "ab%cd-2", "abxcd-3", "ab_cd-4", "AB%CD-5", @"ab\cd-6", "zz-7"];

    [Fact]
    public async Task Every_piece_reads_the_same_rows_on_both_databases()
    {
        await using var sqlite = new SqliteConnection("Data Source=:memory:");
        await sqlite.OpenAsync();
        await using var pg = new NpgsqlConnection(postgres.ConnectionString(await postgres.CreateDatabaseAsync()));
        await pg.OpenAsync();
        var answers = new List<string>[2];
        foreach (var (k, connection, dialect) in new (int, DbConnection, SqlDialect)[] { (0, sqlite, SqlDialect.Sqlite), (1, pg, SqlDialect.Postgres) })
        {
            await connection.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, token TEXT NOT NULL)");
            await connection.ExecuteAsync("INSERT INTO t (id, token) VALUES (@id, @token)", Tokens.Select((t, i) => new { id = i + 1, token = t }));
            var prefix = new DynamicParameters();
            dialect.AddStartsWith(prefix, "prefix", "ab%");
            var backslash = new DynamicParameters();
            dialect.AddStartsWith(backslash, "prefix", @"ab\");
            answers[k] =
            [
                // % in a prefix is a character, not a wildcard; case counts
                string.Join(",", await connection.QueryAsync<long>($"SELECT id FROM t WHERE {dialect.StartsWith("token", "prefix")} ORDER BY token", prefix)),
                string.Join(",", await connection.QueryAsync<long>($"SELECT id FROM t WHERE {dialect.StartsWith("token", "prefix")} ORDER BY token", backslash)),
                string.Join(",", await connection.QueryAsync<long>($"SELECT id FROM t WHERE {dialect.InList("id", "@ids")} ORDER BY id", new { ids = new long[] { 2, 4, 9 } })),
                await connection.ExecuteScalarAsync<string>($"SELECT {dialect.JoinText("id")} FROM (SELECT id FROM t WHERE id < 4 ORDER BY id) q") ?? "null",
                await connection.ExecuteScalarAsync<string>($"SELECT {dialect.JoinText("id")} FROM t WHERE id > 100") ?? "null",
                string.Join(",", await connection.QueryAsync<long>($"SELECT id FROM t WHERE token {dialect.LikeIgnoringCase} '%CD-%' ORDER BY id")),
                string.Join(",", await connection.QueryAsync<long>($"SELECT id FROM t WHERE id = 1{dialect.ForUpdate}")),
                await AfterWritersAsync(connection, dialect),
            ];
        }
        Assert.Equal(["1,2", "6", "2,4", "1,2,3", "null", "1,2,3,4,5,6", "1", "7"], answers[0]);
        Assert.Equal(answers[0], answers[1]);
    }

    private static async Task<string> AfterWritersAsync(DbConnection connection, SqlDialect dialect)
    {
        var awaitWriters = dialect.AwaitWriters("t");
        await using var tx = awaitWriters is null ? null : await connection.BeginTransactionAsync();
        if (awaitWriters is not null) await connection.ExecuteAsync(awaitWriters, transaction: tx);
        var max = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM t", transaction: tx);
        if (tx is not null) await tx.CommitAsync();
        return max.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
