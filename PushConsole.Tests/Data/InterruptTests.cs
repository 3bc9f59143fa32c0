using Dapper;
using Microsoft.Data.Sqlite;
using PushConsole.Data;

namespace PushConsole.Tests.Data;

/// <summary>A cancelled count stops on SQLite (Microsoft.Data.Sqlite alone checks the token only before a statement starts).</summary>
public sealed class InterruptTests
{
    // a recursive count of 50 million rows: about a minute of work on this box when nothing stops it
    private const string Long = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50000000) SELECT COUNT(*) FROM n";

    [Fact]
    public async Task A_statement_running_when_its_token_is_cancelled_stops_with_the_interrupted_error()
    {
        await using var host = await AppHost.StartAsync();
        await using var connection = await host.Get<Database>().OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using (Database.InterruptOnCancel(connection, cts.Token))
        {
            var e = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteScalarAsync<long>(new CommandDefinition(Long, cancellationToken: cts.Token)));
            Assert.True(Database.WasInterrupted(e, cts.Token));
        }

        // the connection stays usable once the interrupted statement is gone
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT 1 + 2"));
    }
}
