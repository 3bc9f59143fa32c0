using System.Data.Common;
using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending;

/// <summary>
/// Writes a launch batch into the outbox and advances the campaign's cursor in the same transaction. Rows of a
/// campaign paused meanwhile are written held; a cancelled campaign gets nothing more. Prepared statements on
/// SQLite, one unnest() statement on PostgreSQL; a row already there (resumed launch) is skipped.
/// </summary>
public sealed class DeliveryWriter(Database database, TimeProvider clock)
{
    public async Task<CampaignStatus> WriteAsync(long campaignId, IReadOnlyList<NewDelivery> rows, long cursor, long written, bool done, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var status = (CampaignStatus)await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }, transaction, cancellationToken: ct));
        if (status == CampaignStatus.Cancelled) return status;
        var held = status == CampaignStatus.Paused;
        if (rows.Count > 0)
        {
            if (database.IsPostgres) await InsertPostgresAsync(connection, transaction, rows, held, ct);
            else await InsertSqliteAsync(connection, transaction, rows, held, ct);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE campaigns SET launch_cursor = @cursor, audience_size = @written, launch_done = @done, updated_at = @now WHERE id = @campaignId",
            new { cursor, written, done, now = clock.GetUtcNow().UtcDateTime, campaignId }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return status;
    }

    private static int StatusOf(NewDelivery row, bool held) => (int)(held && row.Status == DeliveryStatus.Pending ? DeliveryStatus.Held : row.Status);

    private static async Task InsertSqliteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewDelivery> rows, bool held, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO deliveries (campaign_id, app_id, installation_id, user_id, provider, environment, variant, language, status, reason,
                                    due_at_ms, expires_at_ms, attempts, lease_until_ms, created_at_ms)
            VALUES ($c, $a, $i, $u, $p, $e, $v, $l, $s, $r, $d, $x, 0, 0, $t)
            ON CONFLICT (campaign_id, installation_id) DO NOTHING
            """;
        var names = new[] { "$c", "$a", "$i", "$u", "$p", "$e", "$v", "$l", "$s", "$r", "$d", "$x", "$t" };
        var p = names.Select(n =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = n;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await command.PrepareAsync(ct);
        foreach (var row in rows)
        {
            p[0].Value = row.CampaignId; p[1].Value = row.AppId; p[2].Value = row.InstallationId; p[3].Value = (object?)row.UserId ?? DBNull.Value;
            p[4].Value = (int)row.Provider; p[5].Value = (short)row.Environment; p[6].Value = row.Variant; p[7].Value = row.Language;
            p[8].Value = StatusOf(row, held); p[9].Value = (object?)row.Reason ?? DBNull.Value; p[10].Value = row.DueAtMs; p[11].Value = row.ExpiresAtMs;
            p[12].Value = row.CreatedAtMs;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static Task InsertPostgresAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewDelivery> rows, bool held, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO deliveries (campaign_id, app_id, installation_id, user_id, provider, environment, variant, language, status, reason,
                                    due_at_ms, expires_at_ms, attempts, lease_until_ms, created_at_ms)
            SELECT @campaignId, @appId, v.installation_id, v.user_id, v.provider, v.environment, v.variant, v.language, v.status, v.reason,
                   v.due_at, v.expires_at, 0, 0, @createdAt
            FROM unnest(@installations, @users, @providers, @environments, @variants, @languages, @statuses, @reasons, @dues, @expires)
                AS v(installation_id, user_id, provider, environment, variant, language, status, reason, due_at, expires_at)
            ON CONFLICT (campaign_id, installation_id) DO NOTHING
            """, new
        {
            campaignId = rows[0].CampaignId,
            appId = rows[0].AppId,
            createdAt = rows[0].CreatedAtMs,
            installations = rows.Select(r => r.InstallationId).ToArray(),
            users = rows.Select(r => r.UserId).ToArray(),
            providers = rows.Select(r => (int)r.Provider).ToArray(),
            environments = rows.Select(r => (short)r.Environment).ToArray(),
            variants = rows.Select(r => r.Variant).ToArray(),
            languages = rows.Select(r => r.Language).ToArray(),
            statuses = rows.Select(r => StatusOf(r, held)).ToArray(),
            reasons = rows.Select(r => r.Reason).ToArray(),
            dues = rows.Select(r => r.DueAtMs).ToArray(),
            expires = rows.Select(r => r.ExpiresAtMs).ToArray(),
        }, transaction, cancellationToken: ct));
}
