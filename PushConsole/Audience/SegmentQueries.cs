using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using PushConsole.Data;

namespace PushConsole.Audience;

public sealed record PlatformCount(string Platform, long Installations, long Recipients);

/// <summary>How many installations match, and how many of them can get a visible push now (state subscribed).</summary>
public sealed record SegmentCount(long Installations, long Recipients, IReadOnlyList<PlatformCount> ByPlatform);

/// <summary>One matching device and its user (null for a device nobody is logged in on).</summary>
public sealed record SampleMember(string? UserId, string? DisplayName, string InstallationId, string Platform);

/// <summary>
/// Reads a segment's audience: the count by platform (from the in-memory index when it can), and with one query each a sample, every installation id in order
/// (what the launch streams), and the user ids as CSV. On PostgreSQL the query runs with a larger work_mem so
/// subqueries under OR / NOT stay hashed (<see cref="SegmentSql.PostgresSettings"/>).
/// </summary>
public sealed class SegmentQueries(SegmentService segments, SegmentIndexes indexes, Database database)
{
    private static readonly string[] Platforms = [.. PlatformNames.All.Select(PlatformNames.Of)];

    /// <summary>From the app's in-memory index when it is ready and knows every field of the rules (<see cref="SegmentIndexes"/>), else in SQL.</summary>
    public async Task<SegmentCount> CountAsync(long appId, SegmentRules rules, CancellationToken ct = default)
    {
        var context = await segments.ValidContextAsync(appId, rules, ct);
        if (await indexes.TryCountAsync(appId, rules, context, ct) is { } indexed) return indexed;
        var parameters = new DynamicParameters();
        var where = SegmentSql.Where(rules, context, parameters);
        // one pass, no grouping: a sum per platform and state
        var sums = string.Join(", ", Platforms.SelectMany(p => new[]
        {
            $"SUM(CASE WHEN i.platform = '{p}' THEN 1 ELSE 0 END)",
            $"SUM(CASE WHEN i.platform = '{p}' AND i.state = 'subscribed' THEN 1 ELSE 0 END)",
        }));
        var sql = $"SELECT {sums} FROM {SegmentSql.FromFor(database.Dialect)} WHERE {where}";
        var (connection, tx) = await OpenAsync(ct);
        await using (connection)
        await using (tx)
        {
            // the builder cancels a count the user's next change replaced: stop it rather than let it finish
            using var interrupt = Database.InterruptOnCancel(connection, ct);
            try
            {
                await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, tx, commandTimeout: 0, cancellationToken: ct));
                await reader.ReadAsync(ct);
                long Sum(int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                var byPlatform = Platforms.Select((p, k) => new PlatformCount(p, Sum(2 * k), Sum(2 * k + 1))).ToList();
                return new SegmentCount(byPlatform.Sum(p => p.Installations), byPlatform.Sum(p => p.Recipients), byPlatform);
            }
            catch (Exception e) when (Database.WasInterrupted(e, ct)) { throw new OperationCanceledException(ct); }
        }
    }

    public async Task<SegmentCount> CountAsync(long appId, long segmentId, CancellationToken ct = default) =>
        await CountAsync(appId, (await segments.GetAsync(appId, segmentId, ct)).Rules, ct);

    /// <summary>The first matching devices the scan meets, one line per user.</summary>
    public async Task<IReadOnlyList<SampleMember>> SampleAsync(long appId, SegmentRules rules, int take = 10, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters();
        var where = await segments.WhereAsync(appId, rules, parameters, ct);
        parameters.Add("sampleTake", take * 4);
        var sql = $"""
            SELECT u.external_id AS UserId, u.display_name AS DisplayName, i.external_id AS InstallationId, i.platform AS Platform
            FROM {SegmentSql.FromFor(database.Dialect)} WHERE {where} LIMIT @sampleTake
            """;
        var (connection, tx) = await OpenAsync(ct);
        await using (connection)
        await using (tx)
        {
            using var interrupt = Database.InterruptOnCancel(connection, ct);
            try
            {
                var rows = await connection.QueryAsync<SampleMember>(new CommandDefinition(sql, parameters, tx, commandTimeout: 0, cancellationToken: ct));
                return [.. rows.DistinctBy(r => r.UserId ?? "\0" + r.InstallationId).Take(take)];
            }
            catch (Exception e) when (Database.WasInterrupted(e, ct)) { throw new OperationCanceledException(ct); }
        }
    }

    /// <summary>
    /// Every matching installation key above <paramref name="after"/>, in ascending order (a launch resumes from its cursor).
    /// The scan runs in the order that is fast (user order on SQLite); the keys are sorted here, 8 bytes each.
    /// </summary>
    public async IAsyncEnumerable<long> InstallationIdsAsync(long appId, long segmentId, long after = 0, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var parameters = new DynamicParameters(new { after });
        var where = await segments.ResolveWhereAsync(appId, segmentId, parameters, ct);
        var ids = new List<long>();
        var (connection, tx) = await OpenAsync(ct);
        await using (connection)
        await using (tx)
        {
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                $"SELECT i.id FROM {SegmentSql.FromFor(database.Dialect)} WHERE {where} AND i.id > @after", parameters, tx, commandTimeout: 0, cancellationToken: ct));
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        }
        ids.Sort();
        foreach (var id in ids) yield return id;
    }

    /// <summary>CSV (RFC 4180) of the distinct user ids of the matching installations, sorted; devices without a user are left out.</summary>
    public async Task<long> WriteUserIdsCsvAsync(long appId, long segmentId, TextWriter output, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters();
        var where = await segments.ResolveWhereAsync(appId, segmentId, parameters, ct);
        var sql = $"""
            SELECT m.external_id FROM app_users m
            WHERE m.id IN (SELECT i.app_user_id FROM {SegmentSql.FromFor(database.Dialect)} WHERE {where} AND i.app_user_id IS NOT NULL)
            ORDER BY m.external_id
            """;
        var (connection, tx) = await OpenAsync(ct);
        await using (connection)
        await using (tx)
        {
            await output.WriteAsync("user_id\r\n");
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, tx, commandTimeout: 0, cancellationToken: ct));
            long n = 0;
            while (await reader.ReadAsync(ct))
            {
                await output.WriteAsync(Csv(reader.GetString(0)));
                await output.WriteAsync("\r\n");
                n++;
            }
            return n;
        }
    }

    public static string Csv(string value) => Api.Downloads.CsvCell(value);

    private async Task<(DbConnection, DbTransaction?)> OpenAsync(CancellationToken ct)
    {
        var connection = await database.OpenAsync(ct);
        if (!database.IsPostgres)
        {
            await connection.ExecuteAsync(new CommandDefinition(SegmentSql.SqliteSettings, cancellationToken: ct));
            return (connection, null);
        }
        var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(SegmentSql.PostgresSettings, transaction: tx, cancellationToken: ct));
        return (connection, tx);
    }
}
