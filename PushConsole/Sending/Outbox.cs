using System.Data.Common;
using System.Text;
using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending;

/// <summary>A delivery row claimed for sending (the lease is ours until <see cref="LeaseUntilMs"/>).</summary>
public sealed class ClaimedDelivery
{
    public long Id { get; init; }
    public long CampaignId { get; init; }
    public long AppId { get; init; }
    public long InstallationId { get; init; }
    public long? UserId { get; init; }
    public PushProvider Provider { get; init; }
    public ApnsEnvironment Environment { get; init; }
    public string Variant { get; init; } = "";
    public string Language { get; init; } = "";
    public int Attempts { get; init; }
    public long DueAtMs { get; init; }
    public long ExpiresAtMs { get; init; }

    public LaneKey Lane => new(AppId, Provider, Environment);
}

/// <summary>app × provider × environment: the unit of concurrency limits and of 429 back-off.</summary>
public readonly record struct LaneKey(long AppId, PushProvider Provider, ApnsEnvironment Environment)
{
    public override string ToString() => $"app {AppId} {Provider}{(Environment == ApnsEnvironment.Sandbox ? " sandbox" : "")}";
}

/// <summary>What happened to one claimed delivery; written back in batches.</summary>
public sealed record DeliveryOutcome(long Id, long CampaignId, DeliveryStatus Status, string? Reason, string? ProviderMessageId,
    string? ProviderAnswer, long? SentAtMs, long DueAtMs, int AttemptsAdjust = 0)
{
    /// <summary>The row goes back to pending, due at <paramref name="dueAtMs"/>, its claim not counted as an attempt (nothing was sent).</summary>
    public static DeliveryOutcome HandedBack(ClaimedDelivery row, string reason, long dueAtMs) =>
        new(row.Id, row.CampaignId, DeliveryStatus.Pending, reason, null, null, null, dueAtMs, AttemptsAdjust: -1);
}

/// <summary>
/// The outbox's SQL: claim due rows with a lease (SKIP LOCKED on PostgreSQL), write outcomes in one statement
/// per batch, and return rows whose lease ran out. Batched SQL only; this is the hot path.
/// </summary>
public sealed class Outbox(Database database)
{
    private const string Returning = "id AS Id, campaign_id AS CampaignId, app_id AS AppId, installation_id AS InstallationId, user_id AS UserId, " +
                                     "provider AS Provider, environment AS Environment, variant AS Variant, language AS Language, attempts AS Attempts, " +
                                     "due_at_ms AS DueAtMs, expires_at_ms AS ExpiresAtMs";

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int limit, long nowMs, long leaseUntilMs,
        IReadOnlyCollection<LaneKey> pausedLanes, CancellationToken ct)
    {
        var parameters = new DynamicParameters(new { owner, limit, now = nowMs, until = leaseUntilMs, pending = (int)DeliveryStatus.Pending, inFlight = (int)DeliveryStatus.InFlight });
        var laneFilter = new StringBuilder();
        var i = 0;
        foreach (var lane in pausedLanes)
        {
            laneFilter.Append($" AND NOT (app_id = @la{i} AND provider = @lp{i} AND environment = @le{i})");
            parameters.Add($"la{i}", lane.AppId);
            parameters.Add($"lp{i}", (int)lane.Provider);
            parameters.Add($"le{i}", (int)lane.Environment);
            i++;
        }
        var sql = database.IsPostgres
            ? $"""
               UPDATE deliveries AS d SET status = @inFlight, lease_owner = @owner, lease_until_ms = @until, attempts = d.attempts + 1
               FROM (SELECT id FROM deliveries WHERE status = @pending AND due_at_ms <= @now{laneFilter}
                     ORDER BY due_at_ms LIMIT @limit FOR UPDATE SKIP LOCKED) AS c
               WHERE d.id = c.id
               RETURNING {Returning.Replace("id AS Id,", "d.id AS Id,")}
               """
            : $"""
               UPDATE deliveries SET status = @inFlight, lease_owner = @owner, lease_until_ms = @until, attempts = attempts + 1
               WHERE id IN (SELECT id FROM deliveries WHERE status = @pending AND due_at_ms <= @now{laneFilter}
                            ORDER BY due_at_ms LIMIT @limit)
               RETURNING {Returning}
               """;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(sql, parameters, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Writes outcomes of rows we still hold (a row whose lease ran out and was taken by another worker is left alone).</summary>
    public async Task<int> WriteOutcomesAsync(string owner, IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken ct)
    {
        if (outcomes.Count == 0) return 0;
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        int written;
        if (database.IsPostgres)
        {
            written = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE deliveries AS d SET status = v.status, reason = v.reason, provider_message_id = COALESCE(v.message_id, d.provider_message_id),
                    provider_answer = v.answer, sent_at_ms = COALESCE(v.sent_at, d.sent_at_ms), due_at_ms = v.due_at,
                    attempts = d.attempts + v.adjust, lease_owner = NULL, lease_until_ms = 0
                FROM unnest(@ids, @statuses, @reasons, @messageIds, @answers, @sentAts, @dueAts, @adjusts)
                    AS v(id, status, reason, message_id, answer, sent_at, due_at, adjust)
                WHERE d.id = v.id AND d.status = @inFlight AND d.lease_owner = @owner
                """, new
            {
                ids = outcomes.Select(o => o.Id).ToArray(),
                statuses = outcomes.Select(o => (int)o.Status).ToArray(),
                reasons = outcomes.Select(o => o.Reason).ToArray(),
                messageIds = outcomes.Select(o => o.ProviderMessageId).ToArray(),
                answers = outcomes.Select(o => o.ProviderAnswer).ToArray(),
                sentAts = outcomes.Select(o => o.SentAtMs).ToArray(),
                dueAts = outcomes.Select(o => o.DueAtMs).ToArray(),
                adjusts = outcomes.Select(o => o.AttemptsAdjust).ToArray(),
                inFlight = (int)DeliveryStatus.InFlight,
                owner,
            }, transaction, cancellationToken: ct));
        }
        else
        {
            written = 0;
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE deliveries SET status = $status, reason = $reason, provider_message_id = COALESCE($messageId, provider_message_id),
                    provider_answer = $answer, sent_at_ms = COALESCE($sentAt, sent_at_ms), due_at_ms = $dueAt,
                    attempts = attempts + $adjust, lease_owner = NULL, lease_until_ms = 0
                WHERE id = $id AND status = 1 AND lease_owner = $owner
                """;
            var p = new Dictionary<string, DbParameter>();
            foreach (var name in new[] { "$status", "$reason", "$messageId", "$answer", "$sentAt", "$dueAt", "$adjust", "$id", "$owner" })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
                p[name] = parameter;
            }
            p["$owner"].Value = owner;
            await command.PrepareAsync(ct);
            foreach (var o in outcomes)
            {
                p["$status"].Value = (int)o.Status;
                p["$reason"].Value = (object?)o.Reason ?? DBNull.Value;
                p["$messageId"].Value = (object?)o.ProviderMessageId ?? DBNull.Value;
                p["$answer"].Value = (object?)o.ProviderAnswer ?? DBNull.Value;
                p["$sentAt"].Value = (object?)o.SentAtMs ?? DBNull.Value;
                p["$dueAt"].Value = o.DueAtMs;
                p["$adjust"].Value = o.AttemptsAdjust;
                p["$id"].Value = o.Id;
                written += await command.ExecuteNonQueryAsync(ct);
            }
        }
        await transaction.CommitAsync(ct);
        return written;
    }

    /// <summary>Rows whose lease ran out (their worker died or hung) go back to pending; returns how many.</summary>
    public async Task<int> ReleaseExpiredLeasesAsync(long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET status = @pending, lease_owner = NULL, lease_until_ms = 0 WHERE status = @inFlight AND lease_until_ms < @now",
            new { pending = (int)DeliveryStatus.Pending, inFlight = (int)DeliveryStatus.InFlight, now = nowMs }, cancellationToken: ct));
    }

    /// <summary>The earliest due time of pending rows, so the worker can sleep exactly until then.</summary>
    public async Task<long?> NextDueAtAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(due_at_ms) FROM deliveries WHERE status = @pending", new { pending = (int)DeliveryStatus.Pending }, cancellationToken: ct));
    }
}
