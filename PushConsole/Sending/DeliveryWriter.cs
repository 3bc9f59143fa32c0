using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using PushConsole.Data;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending;

/// <summary>
/// Writes a launch batch into the outbox and advances the campaign's cursor in the same transaction. Rows of a
/// campaign paused meanwhile are written held; a cancelled campaign gets nothing more. One json_each() statement on
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
            else InsertSqlite(connection, rows, held);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE campaigns SET launch_cursor = @cursor, audience_size = @written, launch_done = @done, updated_at = @now WHERE id = @campaignId",
            new { cursor, written, done, now = clock.GetUtcNow().UtcDateTime, campaignId }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return status;
    }

    private static int StatusOf(NewDelivery row, bool held) => (int)(held && row.Status == DeliveryStatus.Pending ? DeliveryStatus.Held : row.Status);

    private const string SqliteInsert = """
        INSERT INTO deliveries (campaign_id, app_id, installation_id, user_id, provider, environment, variant, language, status, reason,
                                due_at_ms, expires_at_ms, attempts, lease_until_ms, created_at_ms)
        SELECT ?1, ?2, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5,
               r.value ->> 6, r.value ->> 7, r.value ->> 8, r.value ->> 9, 0, 0, ?3
        FROM json_each(?4) AS r WHERE true
        ON CONFLICT (campaign_id, installation_id) DO NOTHING
        """;

    /// <summary>
    /// One statement per batch: the rows as one JSON array of arrays, unpacked by json_each. Binding 13 parameters per row
    /// cost a binder object, a boxed number or a UTF-8 copy each (a third of the launch's garbage, issue 20). The JSON is
    /// written into a pooled buffer and bound as UTF-8 text straight from it: as a string it was three large-object-heap
    /// copies a batch (UTF-8, UTF-16, UTF-8 again), which set off a gen2 collection every few batches.
    /// </summary>
    private static void InsertSqlite(DbConnection connection, IReadOnlyList<NewDelivery> rows, bool held)
    {
        using var json = new PooledBytes(rows.Count * 80);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(row.InstallationId);
                if (row.UserId is { } user) writer.WriteNumberValue(user); else writer.WriteNullValue();
                writer.WriteNumberValue((int)row.Provider);
                writer.WriteNumberValue((int)row.Environment);
                writer.WriteStringValue(row.Variant);
                writer.WriteStringValue(row.Language);
                writer.WriteNumberValue(StatusOf(row, held));
                if (row.Reason is { } reason) writer.WriteStringValue(reason); else writer.WriteNullValue();
                writer.WriteNumberValue(row.DueAtMs);
                writer.WriteNumberValue(row.ExpiresAtMs);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        // on the connection's open transaction; a row's own campaign, app and creation time: one launch batch is one campaign's, written at one time
        var handle = ((SqliteConnection)connection).Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(handle, SqliteInsert, out var statement), handle);
        using (statement)
        {
            raw.sqlite3_bind_int64(statement, 1, rows[0].CampaignId);
            raw.sqlite3_bind_int64(statement, 2, rows[0].AppId);
            raw.sqlite3_bind_int64(statement, 3, rows[0].CreatedAtMs);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(statement, 4, json.Written), handle);
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, handle);
        }
    }

    /// <summary>A growing buffer over <see cref="ArrayPool{T}.Shared"/> arrays, returned when disposed.</summary>
    private sealed class PooledBytes(int capacity) : IBufferWriter<byte>, IDisposable
    {
        private byte[] _array = ArrayPool<byte>.Shared.Rent(capacity);
        private int _written;

        public ReadOnlySpan<byte> Written => _array.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_written);

        private byte[] Ensure(int sizeHint)
        {
            var needed = _written + Math.Max(sizeHint, 1);
            if (needed <= _array.Length) return _array;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
            Written.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            return _array = larger;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_array);
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
