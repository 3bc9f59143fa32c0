using System.Text;
using Dapper;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Providers;

namespace PushConsole.Campaigns.Reports;

/// <summary>One delivery in the campaign page's table.</summary>
public sealed record CampaignDeliveryRow(
    long Id, string InstallationId, string? UserId, PushProvider Provider, string Variant, string Language, DeliveryStatus Status, string? Reason,
    int Attempts, DateTime DueAt, DateTime? SentAt, DateTime? ReceivedAt, DateTime? OpenedAt, string? ProviderAnswer);

/// <summary>Filters of the delivery table; null = any.</summary>
public sealed record DeliveryFilter(DeliveryStatus? Status = null, PushProvider? Provider = null, string? Variant = null, string? Language = null,
    bool? Opened = null, string? InstallationOrUser = null);

/// <summary>How many recipients were held back for one reason, and what it means.</summary>
public sealed record HeldBackReason(string Reason, string Meaning, long Suppressed, long Deferred);

/// <summary>The campaign page's reads: timeline, held-back reasons, the filtered delivery table.</summary>
public sealed class CampaignStats(Database database, TimeProvider clock)
{
    public async Task<CampaignTimeline> TimelineAsync(Campaign campaign, CancellationToken ct = default)
    {
        var start = new DateTimeOffset(campaign.LaunchedAt ?? campaign.LaunchAt ?? campaign.CreatedAt).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        var last = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(COALESCE(opened_at_ms, sent_at_ms, 0)) FROM deliveries WHERE campaign_id = @id", new { id = campaign.Id }, cancellationToken: ct));
        var end = Math.Max(last ?? 0, campaign.Status is CampaignStatus.Sending or CampaignStatus.Paused ? clock.GetUtcNow().ToUnixTimeMilliseconds() : 0);
        var timeline = new CampaignTimeline(start, CampaignTimeline.BucketFor(Math.Max(0, end - start)));
        var parameters = new { id = campaign.Id, start, bucket = timeline.BucketMs, outcomes = CampaignTimeline.Outcomes.Select(s => (int)s).ToArray() };
        foreach (var row in await connection.QueryAsync<(long Bucket, int Status, int Provider, long Count)>(new CommandDefinition($"""
            SELECT (COALESCE(sent_at_ms, due_at_ms) - @start) / @bucket AS b, status, provider, COUNT(*) FROM deliveries
            WHERE campaign_id = @id AND {database.InList("status", "@outcomes")}
            GROUP BY b, status, provider
            """, parameters, cancellationToken: ct)))
            timeline.AddDeliveries(Math.Max(0, row.Bucket), (DeliveryStatus)row.Status, (PushProvider)row.Provider, row.Count);
        foreach (var row in await connection.QueryAsync<(long Bucket, long Count)>(new CommandDefinition("""
            SELECT (received_at_ms - @start) / @bucket AS b, COUNT(*) FROM deliveries
            WHERE campaign_id = @id AND received_at_ms IS NOT NULL GROUP BY b
            """, parameters, cancellationToken: ct)))
            timeline.AddReports(Math.Max(0, row.Bucket), row.Count, 0);
        foreach (var row in await connection.QueryAsync<(long Bucket, long Count)>(new CommandDefinition("""
            SELECT (opened_at_ms - @start) / @bucket AS b, COUNT(*) FROM deliveries
            WHERE campaign_id = @id AND opened_at_ms IS NOT NULL GROUP BY b
            """, parameters, cancellationToken: ct)))
            timeline.AddReports(Math.Max(0, row.Bucket), 0, row.Count);
        return timeline;
    }

    /// <summary>Why recipients did not get it (suppressed at launch) or get it later (deferred), by reason.</summary>
    public async Task<IReadOnlyList<HeldBackReason>> HeldBackAsync(long campaignId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string? Reason, long Suppressed, long Deferred)>(new CommandDefinition("""
            SELECT reason, SUM(CASE WHEN status = @suppressed THEN 1 ELSE 0 END), SUM(CASE WHEN status <> @suppressed THEN 1 ELSE 0 END)
            FROM deliveries WHERE campaign_id = @campaignId AND reason IS NOT NULL AND (status = @suppressed OR (status = @pending AND attempts = 0))
            GROUP BY reason
            """, new { campaignId, suppressed = (int)DeliveryStatus.Suppressed, pending = (int)DeliveryStatus.Pending }, cancellationToken: ct));
        return rows.Select(r => new HeldBackReason(r.Reason!, Meaning(r.Reason!), r.Suppressed, r.Deferred))
            .OrderByDescending(r => r.Suppressed + r.Deferred).ToList();
    }

    /// <summary>What a suppression or deferral reason means, in words an organizer reads.</summary>
    public static string Meaning(string reason) => reason switch
    {
        "control_group" => "In the A/B test's control group: gets nothing by design, measured for lift.",
        "no_consent" => "The user has not given (or withdrew) consent to notifications.",
        "category_opted_out" => "The user turned off this campaign's category in their preferences.",
        "frequency_cap" => "The user already got as many pushes as the frequency cap allows.",
        var r when r.StartsWith("quiet_hours", StringComparison.Ordinal) => "Within the user's quiet hours: sent when they end.",
        var r when r.StartsWith("best_time", StringComparison.Ordinal) => "Waiting for the recipient's most active hour.",
        _ => reason.Replace('_', ' '),
    };

    public async Task<(IReadOnlyList<CampaignDeliveryRow> Rows, long Total)> DeliveriesAsync(long campaignId, DeliveryFilter filter, int skip, int take,
        CancellationToken ct = default)
    {
        var where = new StringBuilder("d.campaign_id = @campaignId");
        var parameters = new DynamicParameters(new { campaignId, skip, take = Math.Clamp(take, 1, 500) });
        if (filter.Status is { } status) { where.Append(" AND d.status = @status"); parameters.Add("status", (int)status); }
        if (filter.Provider is { } provider) { where.Append(" AND d.provider = @provider"); parameters.Add("provider", (int)provider); }
        if (!string.IsNullOrEmpty(filter.Variant)) { where.Append(" AND d.variant = @variant"); parameters.Add("variant", filter.Variant); }
        if (!string.IsNullOrEmpty(filter.Language)) { where.Append(" AND d.language = @language"); parameters.Add("language", filter.Language); }
        if (filter.Opened is { } opened) where.Append(opened ? " AND d.opened_at_ms IS NOT NULL" : " AND d.opened_at_ms IS NULL");
        if (!string.IsNullOrWhiteSpace(filter.InstallationOrUser))
        {
            where.Append(" AND (i.external_id = @who OR u.external_id = @who)");
            parameters.Add("who", filter.InstallationOrUser.Trim());
        }
        var from = $"FROM deliveries d JOIN installations i ON i.id = d.installation_id LEFT JOIN app_users u ON u.id = d.user_id WHERE {where}";
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) {from}", parameters, cancellationToken: ct));
        var rows = await connection.QueryAsync<Raw>(new CommandDefinition($"""
            SELECT d.id AS Id, i.external_id AS InstallationId, u.external_id AS UserId, d.provider AS Provider, d.variant AS Variant, d.language AS Language,
                   d.status AS Status, d.reason AS Reason, d.attempts AS Attempts, d.due_at_ms AS DueAtMs, d.sent_at_ms AS SentAtMs,
                   d.received_at_ms AS ReceivedAtMs, d.opened_at_ms AS OpenedAtMs, d.provider_answer AS ProviderAnswer
            {from} ORDER BY d.id LIMIT @take OFFSET @skip
            """, parameters, cancellationToken: ct));
        return (rows.Select(r => new CampaignDeliveryRow(r.Id, r.InstallationId, r.UserId, (PushProvider)r.Provider, r.Variant, r.Language, (DeliveryStatus)r.Status,
            r.Reason, r.Attempts, DeliveryHistory.Time(r.DueAtMs), DeliveryHistory.Time(r.SentAtMs), DeliveryHistory.Time(r.ReceivedAtMs),
            DeliveryHistory.Time(r.OpenedAtMs), r.ProviderAnswer)).ToList(), total);
    }

    /// <summary>The languages and variants the table can filter on.</summary>
    public async Task<IReadOnlyList<string>> LanguagesAsync(long campaignId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT language FROM deliveries WHERE campaign_id = @campaignId ORDER BY language", new { campaignId }, cancellationToken: ct))).ToList();
    }

    // properties, not a positional record: SQLite hands every integer back as Int64
    private sealed class Raw
    {
        public long Id { get; init; }
        public string InstallationId { get; init; } = "";
        public string? UserId { get; init; }
        public int Provider { get; init; }
        public string Variant { get; init; } = "";
        public string Language { get; init; } = "";
        public int Status { get; init; }
        public string? Reason { get; init; }
        public int Attempts { get; init; }
        public long DueAtMs { get; init; }
        public long? SentAtMs { get; init; }
        public long? ReceivedAtMs { get; init; }
        public long? OpenedAtMs { get; init; }
        public string? ProviderAnswer { get; init; }
    }
}
