using System.Collections.Concurrent;
using Dapper;
using PushConsole.Data;

namespace PushConsole.Audience;

/// <summary>
/// Values the builder offers in its dropdowns: the app's tags, attribute names and values, versions, languages,
/// categories. Most are loose index scans (one seek per distinct value); languages need a scan and are cached briefly.
/// </summary>
public sealed class SegmentSuggestions(Database database, TimeProvider clock)
{
    public const int Limit = 300;
    private static readonly TimeSpan LanguagesFor = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<long, (DateTime At, IReadOnlyList<string> Values)> _languages = new();

    public async Task<IReadOnlyList<string>> TagsAsync(long appId, CancellationToken ct = default)
    {
        var device = await DistinctAsync("installation_tags", "tag", "app_id = @appId", new { appId }, ct);
        var user = await DistinctAsync("user_tags", "tag", "app_id = @appId", new { appId }, ct);
        return [.. device.Union(user).Order(StringComparer.Ordinal).Take(Limit)];
    }

    public Task<IReadOnlyList<string>> AttributeNamesAsync(long appId, CancellationToken ct = default) =>
        DistinctAsync("user_attributes", "name", "app_id = @appId", new { appId }, ct);

    public async Task<IReadOnlyList<string>> AttributeValuesAsync(long appId, string? name, CancellationToken ct = default) =>
        string.IsNullOrEmpty(name) ? [] : await DistinctAsync("user_attributes", "text_value", "app_id = @appId AND name = @name", new { appId, name }, ct);

    public Task<IReadOnlyList<string>> AppVersionsAsync(long appId, CancellationToken ct = default) =>
        DistinctAsync("installations", "app_version", "app_id = @appId", new { appId }, ct);

    /// <summary>Category names users reported (all apps share the few conventional ones: reminders, marketing…).</summary>
    public Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken ct = default) =>
        DistinctAsync("user_categories", "category", "1 = 1", new { }, ct);

    public async Task<IReadOnlyList<string>> LanguagesAsync(long appId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_languages.TryGetValue(appId, out var cached) && now - cached.At < LanguagesFor) return cached.Values;
        await using var connection = await database.OpenAsync(ct);
        var values = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT language FROM installations WHERE app_id = @appId AND language IS NOT NULL GROUP BY language
            UNION SELECT language FROM app_users WHERE app_id = @appId AND language IS NOT NULL GROUP BY language
            """, new { appId }, commandTimeout: 0, cancellationToken: ct))).Order(StringComparer.Ordinal).Take(Limit).ToList();
        _languages[appId] = (now, values);
        return values;
    }

    /// <summary>Distinct values of an indexed column: a recursive query that seeks the next value each step.</summary>
    private async Task<IReadOnlyList<string>> DistinctAsync(string table, string column, string filter, object args, CancellationToken ct)
    {
        var sql = $"""
            WITH RECURSIVE v(x, n) AS (
              SELECT MIN({column}), 1 FROM {table} WHERE {filter}
              UNION ALL
              SELECT (SELECT MIN({column}) FROM {table} WHERE {filter} AND {column} > v.x), n + 1 FROM v WHERE v.x IS NOT NULL AND n < {Limit})
            SELECT x FROM v WHERE x IS NOT NULL
            """;
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(sql, args, cancellationToken: ct))];
    }
}
