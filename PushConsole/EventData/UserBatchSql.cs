using System.Data.Common;
using System.Text;
using Dapper;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.EventData;

/// <summary>
/// The writes of a profile batch, the same SQL on SQLite and PostgreSQL: multi-row VALUES statements (hundreds of rows per
/// round trip) in one transaction, so a batch is stored whole or not at all and never row by row through EF.
/// </summary>
public static class UserBatchSql
{
    /// <summary>Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.</summary>
    private const int RowsPerStatement = 500;

    public static async Task<(int Created, int Updated)> StoreAsync(Database database, long appId, IReadOnlyList<ValidProfile> profiles, DateTime now,
        CancellationToken ct)
    {
        if (profiles.Count == 0) return (0, 0);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var keys = await KeysAsync(connection, tx, database, appId, profiles.Select(p => p.UserId).ToList(), ct);
        var fresh = profiles.Where(p => !keys.ContainsKey(p.UserId)).ToList();
        var inserted = new HashSet<long>();
        foreach (var chunk in fresh.Chunk(RowsPerStatement))
        {
            // a registration may create one of them meanwhile: that one is then updated below like the others
            var rows = await QueryValuesAsync<(long Id, string ExternalId)>(connection, tx,
                "INSERT INTO app_users (app_id, external_id, email, normalized_email, display_name, language, time_zone, created_at, updated_at) ",
                " ON CONFLICT (external_id, app_id) DO NOTHING RETURNING id, external_id",
                chunk, p => [appId, p.UserId, Clear(p.Email), Clear(p.Email)?.ToLowerInvariant(), Clear(p.DisplayName), Clear(p.Language), Clear(p.TimeZone), now, now], ct);
            foreach (var (id, externalId) in rows) { keys[externalId] = id; inserted.Add(id); }
        }
        var raced = fresh.Where(p => !keys.ContainsKey(p.UserId)).Select(p => p.UserId).ToList();
        foreach (var (externalId, id) in await KeysAsync(connection, tx, database, appId, raced, ct)) keys[externalId] = id;
        var existing = profiles.Where(p => !inserted.Contains(keys[p.UserId])).ToList();

        foreach (var chunk in existing.OrderBy(p => keys[p.UserId]).Chunk(RowsPerStatement))
            await ExecuteValuesAsync(connection, tx,
                "WITH v (id, email, normalized_email, display_name, language, time_zone) AS (",
                ") UPDATE app_users SET email = " + Keep("email") + ", normalized_email = " + Keep("normalized_email") + ", display_name = " + Keep("display_name") +
                ", language = " + Keep("language") + ", time_zone = " + Keep("time_zone") + $", updated_at = @now FROM v WHERE app_users.id = v.id",
                chunk, p => [keys[p.UserId], p.Email, p.Email?.ToLowerInvariant(), p.DisplayName, p.Language, p.TimeZone], ct, new { now });

        await AttributesAsync(connection, tx, appId, profiles, keys, ct);
        await TagsAsync(connection, tx, database, appId, profiles, keys, ct);
        await tx.CommitAsync(ct);
        return (inserted.Count, profiles.Count - inserted.Count);
    }

    /// <summary>null leaves the stored value, "" clears it, anything else replaces it.</summary>
    private static string Keep(string column) => $"CASE WHEN v.{column} IS NULL THEN app_users.{column} ELSE NULLIF(v.{column}, '') END";

    private static string? Clear(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static async Task AttributesAsync(DbConnection connection, DbTransaction tx, long appId, IReadOnlyList<ValidProfile> profiles,
        Dictionary<string, long> keys, CancellationToken ct)
    {
        var set = new List<(long User, string Name, string Value)>();
        var removed = new List<object>();
        foreach (var p in profiles)
            foreach (var (name, value) in p.Attributes ?? new Dictionary<string, string?>())
                if (value is null) removed.Add(new { user = keys[p.UserId], name });
                else set.Add((keys[p.UserId], name, value));
        if (removed.Count > 0)
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM user_attributes WHERE app_user_id = @user AND name = @name", removed, tx, cancellationToken: ct));
        foreach (var chunk in set.Chunk(RowsPerStatement * 2))
            await ExecuteValuesAsync(connection, tx, "INSERT INTO user_attributes (app_user_id, app_id, name, text_value, number_value) ",
                " ON CONFLICT (app_user_id, name) DO UPDATE SET text_value = excluded.text_value, number_value = excluded.number_value",
                chunk, a => [a.User, appId, a.Name, a.Value, ValidProfile.Number(a.Value)], ct);
    }

    private static async Task TagsAsync(DbConnection connection, DbTransaction tx, Database database, long appId, IReadOnlyList<ValidProfile> profiles,
        Dictionary<string, long> keys, CancellationToken ct)
    {
        var replaced = profiles.Where(p => p.Tags is not null).ToList();
        foreach (var chunk in replaced.Select(p => keys[p.UserId]).Chunk(RowsPerStatement * 2))
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM user_tags WHERE {database.InList("app_user_id", "@users")}", new { users = chunk }, tx,
                cancellationToken: ct));
        var tags = replaced.SelectMany(p => p.Tags!.Select(t => (User: keys[p.UserId], Tag: t))).ToList();
        foreach (var chunk in tags.Chunk(RowsPerStatement * 2))
            await ExecuteValuesAsync(connection, tx, "INSERT INTO user_tags (app_user_id, app_id, tag) ", "", chunk, t => [t.User, appId, t.Tag], ct);
    }

    private static async Task<Dictionary<string, long>> KeysAsync(DbConnection connection, DbTransaction tx, Database database, long appId,
        IReadOnlyList<string> userIds, CancellationToken ct)
    {
        var keys = new Dictionary<string, long>(userIds.Count, StringComparer.Ordinal);
        foreach (var chunk in userIds.Chunk(RowsPerStatement * 2))
        {
            var found = await connection.QueryAsync<(long Id, string ExternalId)>(new CommandDefinition(
                $"SELECT id, external_id FROM app_users WHERE app_id = @appId AND {database.InList("external_id", "@ids")}", new { appId, ids = chunk }, tx,
                cancellationToken: ct));
            foreach (var (id, externalId) in found) keys[externalId] = id;
        }
        return keys;
    }

    private static Task ExecuteValuesAsync<T>(DbConnection connection, DbTransaction tx, string head, string tail, IReadOnlyList<T> rows,
        Func<T, object?[]> values, CancellationToken ct, object? shared = null) =>
        connection.ExecuteAsync(Values(head, tail, rows, values, tx, ct, shared));

    private static async Task<List<TRow>> QueryValuesAsync<TRow>(DbConnection connection, DbTransaction tx, string head, string tail, IReadOnlyList<ValidProfile> rows,
        Func<ValidProfile, object?[]> values, CancellationToken ct) =>
        (await connection.QueryAsync<TRow>(Values(head, tail, rows, values, tx, ct, null))).AsList();

    /// <summary>head + "VALUES (@c0r0_, …), (…)" + tail; the trailing "_" keeps one name from being the start of another.</summary>
    private static CommandDefinition Values<T>(string head, string tail, IReadOnlyList<T> rows, Func<T, object?[]> values, DbTransaction tx,
        CancellationToken ct, object? shared)
    {
        var parameters = new DynamicParameters(shared);
        var sql = new StringBuilder(head).Append("VALUES ");
        for (var r = 0; r < rows.Count; r++)
        {
            var row = values(rows[r]);
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < row.Length; c++)
            {
                var name = $"c{c}r{r}_";
                sql.Append(c == 0 ? "@" : ", @").Append(name);
                parameters.Add(name, row[c]);
            }
            sql.Append(')');
        }
        return new CommandDefinition(sql.Append(tail).ToString(), parameters, tx, cancellationToken: ct);
    }
}
