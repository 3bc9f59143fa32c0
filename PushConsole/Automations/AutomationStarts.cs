using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Automations;

/// <summary>
/// Starts runs: a row per (automation, user) that skips a user with an open run, one inside the re-entry cooldown (or any earlier
/// run under "never"), and — by the unique (automation, user, trigger key) — a trigger delivered twice; up to 32 rows per statement.
/// </summary>
public sealed class AutomationStarts(Database database, TimeProvider clock)
{
    private const string Into =
        "INSERT INTO automation_runs (automation_id, app_id, app_user_id, user_external_id, status, position, resume_at, trigger_key, context, started_at) ";
    private const string Row =
        "SELECT @p0, @p1, @p2, @p3, 0, @p4, @p5, @p6, @p7, @p5 WHERE NOT EXISTS (SELECT 1 FROM automation_runs r WHERE r.automation_id = @p0 AND r.app_user_id = @p2 " +
        "AND r.status <> 5 AND (r.status IN (0, 1, 2) OR @p8 = 1 OR r.started_at > @p9))";
    public const string InsertSql = Into + Row + " ON CONFLICT DO NOTHING";
    /// <summary>How many positional arguments one row of <see cref="InsertSql"/> takes (<see cref="InsertArgs"/>).</summary>
    public const int ArgsPerRow = 10;
    private static readonly ConcurrentDictionary<int, string> Many = new();

    /// <summary>
    /// <see cref="InsertSql"/> for <paramref name="rows"/> rows in one statement (row k takes <c>@p{10k}…@p{10k+9}</c>). Each row's check
    /// sees the table as it was before the statement, so a batch must not hold two rows of one (automation, user): see <see cref="InsertManyAsync"/>.
    /// </summary>
    public static string InsertManySql(int rows) => Many.GetOrAdd(rows, n => Into + string.Join(" UNION ALL ", Enumerable.Range(0, n).Select(k =>
        Regex.Replace(Row, @"@p(\d)\b", m => "@p" + (k * ArgsPerRow + (m.Groups[1].Value[0] - '0')).ToString(CultureInfo.InvariantCulture)))) + " ON CONFLICT DO NOTHING");

    /// <summary>
    /// Inserts many <see cref="InsertArgs"/> rows in few statements, with the outcome of one statement per row: a second start of the same
    /// (automation, user) goes in a later round, after the first has been written (the "one open run" check must see it). The rows inserted.
    /// </summary>
    public static async Task<int> InsertManyAsync(Func<string, object?[], Task<int>> execute, IReadOnlyList<object?[]> rows)
    {
        var started = 0;
        var pending = rows.ToList();
        while (pending.Count > 0)
        {
            var seen = new HashSet<(object?, object?)>();
            var round = new List<object?[]>(pending.Count);
            var later = new List<object?[]>();
            foreach (var row in pending) (seen.Add((row[0], row[2])) ? round : later).Add(row);
            foreach (var (offset, count) in RegistryTx.Chunks(round.Count, 32))
            {
                var args = new object?[count * ArgsPerRow];
                for (var i = 0; i < count; i++) Array.Copy(round[offset + i], 0, args, i * ArgsPerRow, ArgsPerRow);
                started += await execute(InsertManySql(count), args);
            }
            pending = later;
        }
        return started;
    }

    /// <summary>The arguments of <see cref="InsertSql"/>; the run starts Pending (its audience is checked by the engine).</summary>
    public static object?[] InsertArgs(Automation a, AutomationDefinition d, long userId, string userExternalId, string key, string? context, DateTime now) =>
    [
        a.Id, a.AppId, userId, userExternalId, d.First, now, key, context, d.ReentryNever ? 1 : 0,
        d.ReentryNever ? now : now.AddSeconds(-(d.CooldownSeconds ?? 0)),
    ];

    /// <summary>Starts runs for users outside the registry's transaction (schedules, segment entries, inactivity, the API).</summary>
    public async Task<int> StartAsync(Automation a, AutomationDefinition d, IEnumerable<(long Id, string ExternalId)> users, string key, string? context,
        CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var started = await InsertManyAsync((sql, args) => ExecuteAsync(connection, tx, sql, args),
            [.. users.Select(u => InsertArgs(a, d, u.Id, u.ExternalId, key, context, now))]);
        await tx.CommitAsync(ct);
        return started;
    }

    /// <summary>Positional <c>@p0…</c> arguments, as <see cref="RegistryTx"/> takes them (a plain command: Dapper's parameter bag checks each name against all the others).</summary>
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, object?[] args)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = args[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A fingerprint of an event: the same event delivered twice has the same key, so it starts one run.</summary>
    public static string EventKey(StoredClientEvent e)
    {
        var text = string.Join('|', e.Type, e.InstallationId, e.At.Ticks, e.Name, e.GeofenceId, e.SessionId, e.ActionId, e.DeliveryId, e.Properties);
        return "e:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }

    /// <summary>What tokens read from the trigger event ({{event.properties.x}}, {{session.title}}).</summary>
    public static string Context(StoredClientEvent e)
    {
        var o = new JsonObject { ["type"] = e.Type, ["name"] = e.Name, ["session_id"] = e.SessionId, ["geofence_id"] = e.GeofenceId };
        if (e.Properties is not null) o["properties"] = JsonNode.Parse(e.Properties);
        return o.ToJsonString();
    }
}
