using System.Data.Common;
using System.Text;
using Dapper;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.EventData;

/// <summary>
/// The writes of a profile batch, the same SQL on SQLite and PostgreSQL: multi-row VALUES statements in one transaction, so a
/// batch is stored whole or not at all and never row by row through EF. A statement's command is prepared once and reused
/// with new values for every full chunk.
/// </summary>
public static class UserBatchSql
{
    /// <summary>Ids per IN list (Dapper expands it into that many parameters on SQLite).</summary>
    private const int IdsPerQuery = 500;

    public static async Task<(int Created, int Updated)> StoreAsync(Database database, long appId, IReadOnlyList<ValidProfile> profiles, DateTime now,
        CancellationToken ct)
    {
        if (profiles.Count == 0) return (0, 0);
        var perStatement = database.Dialect.RowsPerStatement;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var keys = await KeysAsync(connection, tx, database, appId, profiles.Select(p => p.UserId).ToList(), ct);
        var fresh = profiles.Where(p => !keys.ContainsKey(p.UserId)).ToList();
        var inserted = new HashSet<long>();
        // a registration may create one of them meanwhile (DO NOTHING): that one is then updated below like the others
        await RunAsync(connection, tx,
            "INSERT INTO app_users (app_id, external_id, email, normalized_email, display_name, language, time_zone, created_at, updated_at) ",
            " ON CONFLICT (external_id, app_id) DO NOTHING RETURNING id, external_id",
            fresh, p => [appId, p.UserId, Clear(p.Email), Clear(p.Email)?.ToLowerInvariant(), Clear(p.DisplayName), Clear(p.Language), Clear(p.TimeZone), now, now],
            perStatement, ct, read: r =>
            {
                keys[r.GetString(1)] = r.GetInt64(0);
                inserted.Add(r.GetInt64(0));
            });
        var raced = fresh.Where(p => !keys.ContainsKey(p.UserId)).Select(p => p.UserId).ToList();
        foreach (var (externalId, id) in await KeysAsync(connection, tx, database, appId, raced, ct)) keys[externalId] = id;

        var existing = profiles.Where(p => !inserted.Contains(keys[p.UserId])).OrderBy(p => keys[p.UserId]).ToList();
        await RunAsync(connection, tx,
            "WITH v (id, email, normalized_email, display_name, language, time_zone) AS (",
            ") UPDATE app_users SET email = " + Keep("email") + ", normalized_email = " + Keep("normalized_email") + ", display_name = " + Keep("display_name") +
            ", language = " + Keep("language") + ", time_zone = " + Keep("time_zone") + ", updated_at = @now FROM v WHERE app_users.id = v.id",
            existing, p => [keys[p.UserId], p.Email, p.Email?.ToLowerInvariant(), p.DisplayName, p.Language, p.TimeZone], perStatement, ct, now);

        await AttributesAsync(connection, tx, appId, profiles, keys, perStatement, ct);
        await TagsAsync(connection, tx, database, appId, profiles, keys, perStatement, ct);
        await tx.CommitAsync(ct);
        return (inserted.Count, profiles.Count - inserted.Count);
    }

    /// <summary>null leaves the stored value, "" clears it, anything else replaces it.</summary>
    private static string Keep(string column) => $"CASE WHEN v.{column} IS NULL THEN app_users.{column} ELSE NULLIF(v.{column}, '') END";

    private static string? Clear(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static async Task AttributesAsync(DbConnection connection, DbTransaction tx, long appId, IReadOnlyList<ValidProfile> profiles,
        Dictionary<string, long> keys, int perStatement, CancellationToken ct)
    {
        var set = new List<(long User, string Name, string Value)>();
        var removed = new List<object>();
        foreach (var p in profiles)
            foreach (var (name, value) in p.Attributes ?? new Dictionary<string, string?>())
                if (value is null) removed.Add(new { user = keys[p.UserId], name });
                else set.Add((keys[p.UserId], name, value));
        if (removed.Count > 0)
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM user_attributes WHERE app_user_id = @user AND name = @name", removed, tx, cancellationToken: ct));
        await RunAsync(connection, tx, "INSERT INTO user_attributes (app_user_id, app_id, name, text_value, number_value) ",
            " ON CONFLICT (app_user_id, name) DO UPDATE SET text_value = excluded.text_value, number_value = excluded.number_value",
            set, a => [a.User, appId, a.Name, a.Value, ValidProfile.Number(a.Value)], perStatement * 2, ct);
    }

    private static async Task TagsAsync(DbConnection connection, DbTransaction tx, Database database, long appId, IReadOnlyList<ValidProfile> profiles,
        Dictionary<string, long> keys, int perStatement, CancellationToken ct)
    {
        var replaced = profiles.Where(p => p.Tags is not null).ToList();
        foreach (var chunk in replaced.Select(p => keys[p.UserId]).Chunk(IdsPerQuery))
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM user_tags WHERE {database.InList("app_user_id", "@users")}", new { users = chunk }, tx,
                cancellationToken: ct));
        var tags = replaced.SelectMany(p => p.Tags!.Select(t => (User: keys[p.UserId], Tag: t))).ToList();
        await RunAsync(connection, tx, "INSERT INTO user_tags (app_user_id, app_id, tag) ", "", tags, t => [t.User, appId, t.Tag], perStatement * 2, ct);
    }

    private static async Task<Dictionary<string, long>> KeysAsync(DbConnection connection, DbTransaction tx, Database database, long appId,
        IReadOnlyList<string> userIds, CancellationToken ct)
    {
        var keys = new Dictionary<string, long>(userIds.Count, StringComparer.Ordinal);
        foreach (var chunk in userIds.Chunk(IdsPerQuery))
        {
            var found = await connection.QueryAsync<(long Id, string ExternalId)>(new CommandDefinition(
                $"SELECT id, external_id FROM app_users WHERE app_id = @appId AND {database.InList("external_id", "@ids")}", new { appId, ids = chunk }, tx,
                cancellationToken: ct));
            foreach (var (id, externalId) in found) keys[externalId] = id;
        }
        return keys;
    }

    /// <summary>
    /// Runs head + "VALUES (@c0r0_, …), (…)" + tail over <paramref name="rows"/>, <paramref name="perStatement"/> rows at a time.
    /// Plain commands, not Dapper's parameter bag (which checks each new name against all the others: quadratic at this size);
    /// the trailing "_" keeps one name from being the start of another.
    /// </summary>
    private static async Task RunAsync<T>(DbConnection connection, DbTransaction tx, string head, string tail, IReadOnlyList<T> rows,
        Func<T, object?[]> values, int perStatement, CancellationToken ct, DateTime? now = null, Action<DbDataReader>? read = null)
    {
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                var cells = chunk.Select(values).ToList();
                var command = chunk.Length == perStatement ? full ??= Command(connection, tx, head, tail, perStatement, cells[0].Length, now)
                    : Command(connection, tx, head, tail, chunk.Length, cells[0].Length, now);
                var i = 0;
                foreach (var row in cells)
                    foreach (var value in row)
                        // an untyped NULL: PostgreSQL takes its type from the column or the other rows
                        command.Parameters[i++].Value = value ?? DBNull.Value;
                if (read is null) await command.ExecuteNonQueryAsync(ct);
                else
                {
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct)) read(reader);
                }
                if (command != full) await command.DisposeAsync();
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string head, string tail, int rows, int columns, DateTime? now)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        var sql = new StringBuilder(head).Append("VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                var name = $"@c{c}r{r}_";
                sql.Append(c == 0 ? "" : ", ").Append(name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
            sql.Append(')');
        }
        if (now is { } at)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@now";
            parameter.Value = at;
            command.Parameters.Add(parameter);
        }
        command.CommandText = sql.Append(tail).ToString();
        return command;
    }
}
