using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Automations;

/// <summary>
/// Starts runs. One INSERT per (automation, user) that skips a user with an open run, one inside the re-entry cooldown (or any
/// earlier run under "never"), and — by the unique (automation, user, trigger key) — a trigger delivered twice.
/// </summary>
public sealed class AutomationStarts(Database database, TimeProvider clock)
{
    public const string InsertSql =
        "INSERT INTO automation_runs (automation_id, app_id, app_user_id, user_external_id, status, position, resume_at, trigger_key, context, started_at) " +
        "SELECT @p0, @p1, @p2, @p3, 0, @p4, @p5, @p6, @p7, @p5 WHERE NOT EXISTS (SELECT 1 FROM automation_runs r WHERE r.automation_id = @p0 AND r.app_user_id = @p2 " +
        "AND r.status <> 5 AND (r.status IN (0, 1, 2) OR @p8 = 1 OR r.started_at > @p9)) ON CONFLICT DO NOTHING";

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
        var started = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (id, external) in users) started += await ExecuteAsync(connection, tx, InsertSql, InsertArgs(a, d, id, external, key, context, now));
        await tx.CommitAsync(ct);
        return started;
    }

    /// <summary>Positional <c>@p0…</c> arguments through Dapper, as <see cref="RegistryTx"/> takes them.</summary>
    public static Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, object?[] args)
    {
        var parameters = new DynamicParameters();
        for (var i = 0; i < args.Length; i++) parameters.Add("p" + i, args[i]);
        return connection.ExecuteAsync(sql, parameters, tx);
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
