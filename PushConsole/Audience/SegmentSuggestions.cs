using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Data;

namespace PushConsole.Audience;

/// <summary>
/// Values the builder offers in its dropdowns: the app's tags, attribute names and values, versions, languages,
/// categories, agenda sessions and tracks. Most are loose index scans (one seek per distinct value); languages need a scan and are cached briefly.
/// </summary>
public sealed class SegmentSuggestions(Database database, IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public const int Limit = 300;
    /// <summary>A conference agenda can pass <see cref="Limit"/> sessions; every one should be pickable.</summary>
    public const int SessionLimit = 2000;
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

    /// <summary>Track names of the app's sessions, from the (app_id, track) index.</summary>
    public Task<IReadOnlyList<string>> TracksAsync(long appId, CancellationToken ct = default) =>
        DistinctAsync("agenda_sessions", "track", "app_id = @appId", new { appId }, ct);

    /// <summary>Ids of the app's geofences, from the (app_id, external_id) index.</summary>
    public Task<IReadOnlyList<string>> GeofencesAsync(long appId, CancellationToken ct = default) =>
        DistinctAsync("geofences", "external_id", "app_id = @appId", new { appId }, ct);

    /// <summary>The app's sessions in agenda order: the stable id a rule keeps, labelled "title (Tue 09:00)" in venue time.</summary>
    public async Task<IReadOnlyList<(string Value, string Label)>> SessionsAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.AppId == appId)
            .OrderBy(s => s.StartsAt).ThenBy(s => s.Title).ThenBy(s => s.ExternalId).Take(SessionLimit)
            .Select(s => new { s.ExternalId, s.Title, s.StartsAt, s.EventId }).ToListAsync(ct);
        var zones = await db.Set<AgendaEvent>().AsNoTracking().Where(e => e.AppId == appId).ToDictionaryAsync(e => e.Id, VenueTime.Zone, ct);
        return [.. rows.Select(r => (r.ExternalId, SessionLabel(r.Title, r.StartsAt, zones.GetValueOrDefault(r.EventId, TimeZoneInfo.Utc))))];
    }

    public static string SessionLabel(string title, DateTime startsAt, TimeZoneInfo venue) =>
        $"{title} ({VenueTime.ToVenue(startsAt, venue).ToString("ddd HH:mm", CultureInfo.InvariantCulture)})";

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
