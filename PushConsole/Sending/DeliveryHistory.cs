using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending;

/// <summary>One delivery as support reads it: "why didn't X get Y?".</summary>
public sealed record DeliveryRow(
    long Id, long CampaignId, string CampaignName, string Variant, string Language, DeliveryStatus Status, string? Reason, int Attempts,
    PushProvider Provider, string? ProviderMessageId, string? ProviderAnswer, DateTime CreatedAt, DateTime DueAt, DateTime? SentAt,
    DateTime? ReceivedAt, DateTime? OpenedAt);

public sealed class DeliveryHistory(Database database)
{
    public async Task<IReadOnlyList<DeliveryRow>> ForInstallationAsync(long installationId, int take = 50, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Raw>(new CommandDefinition("""
            SELECT d.id AS Id, d.campaign_id AS CampaignId, c.name AS CampaignName, d.variant AS Variant, d.language AS Language, d.status AS Status,
                   d.reason AS Reason, d.attempts AS Attempts, d.provider AS Provider, d.provider_message_id AS ProviderMessageId,
                   d.provider_answer AS ProviderAnswer, d.created_at_ms AS CreatedAtMs, d.due_at_ms AS DueAtMs, d.sent_at_ms AS SentAtMs,
                   d.received_at_ms AS ReceivedAtMs, d.opened_at_ms AS OpenedAtMs
            FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
            WHERE d.installation_id = @installationId
            ORDER BY d.id DESC LIMIT @take
            """, new { installationId, take }, cancellationToken: ct));
        return rows.Select(r => new DeliveryRow(r.Id, r.CampaignId, r.CampaignName, r.Variant, r.Language, (DeliveryStatus)r.Status, r.Reason, r.Attempts,
            (PushProvider)r.Provider, r.ProviderMessageId, r.ProviderAnswer, Time(r.CreatedAtMs), Time(r.DueAtMs), Time(r.SentAtMs), Time(r.ReceivedAtMs),
            Time(r.OpenedAtMs))).ToList();
    }

    public static DateTime Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    public static DateTime? Time(long? ms) => ms is { } v ? Time(v) : null;

    /// <summary>A sentence for a delivery's outcome.</summary>
    public static string Describe(DeliveryRow row) => row.Status switch
    {
        DeliveryStatus.Sent => row.OpenedAt is not null ? "sent, opened" : row.ReceivedAt is not null ? "sent, received" : "sent (accepted by the provider)",
        DeliveryStatus.Pending when row.Attempts > 0 => $"waiting to retry ({row.Reason})",
        DeliveryStatus.Pending => row.Reason is null ? "waiting for its time" : $"waiting ({row.Reason})",
        DeliveryStatus.InFlight => "being sent",
        DeliveryStatus.Held => "held: the campaign is paused",
        DeliveryStatus.AwaitingWinner => "waiting for the A/B test's winner",
        DeliveryStatus.InvalidToken => $"not delivered: the provider says the token is dead ({row.Reason})",
        DeliveryStatus.Suppressed => $"not sent: suppressed ({row.Reason})",
        DeliveryStatus.Expired => $"not sent: {row.Reason ?? "time to live ran out"}",
        DeliveryStatus.Cancelled => $"not sent: cancelled ({row.Reason ?? "campaign cancelled"})",
        DeliveryStatus.Failed => $"failed: {row.Reason}",
        _ => row.Status.ToString(),
    };

    // properties, not a positional record: SQLite hands every integer back as Int64
    private sealed class Raw
    {
        public long Id { get; init; }
        public long CampaignId { get; init; }
        public string CampaignName { get; init; } = "";
        public string Variant { get; init; } = "";
        public string Language { get; init; } = "";
        public int Status { get; init; }
        public string? Reason { get; init; }
        public int Attempts { get; init; }
        public int Provider { get; init; }
        public string? ProviderMessageId { get; init; }
        public string? ProviderAnswer { get; init; }
        public long CreatedAtMs { get; init; }
        public long DueAtMs { get; init; }
        public long? SentAtMs { get; init; }
        public long? ReceivedAtMs { get; init; }
        public long? OpenedAtMs { get; init; }
    }
}
