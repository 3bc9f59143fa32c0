using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Providers;

namespace PushConsole.Campaigns;

/// <summary>
/// What happened to a set of deliveries: the one definition of every figure (API, plan stats, variants, the console).
/// <c>targets</c> counts every recipient written to the outbox (suppressed ones included); <c>received</c> (= <c>delivered</c>)
/// and <c>opened</c> are what apps reported back; <c>clicked</c> counts pushes tapped (body or button; a click is also an
/// open); <c>influenced_opens</c> pushes followed by a session within the influence window and never opened directly;
/// <c>conversions</c> recipients who did the campaign's goal event within its window; <c>unsubscribed</c> opt-outs
/// attributed to the campaign (within 24 hours after it reached the person).
/// </summary>
public record DeliveryCounts
{
    [JsonPropertyName("targets")] public long Targets { get; init; }
    [JsonPropertyName("sent")] public long Sent { get; init; }
    [JsonPropertyName("failed")] public long Failed { get; init; }
    [JsonPropertyName("invalid_token")] public long InvalidToken { get; init; }
    [JsonPropertyName("received")] public long Received { get; init; }
    [JsonPropertyName("opened")] public long Opened { get; init; }
    /// <summary>Not sent yet: waiting for their time, being sent, or held by a pause.</summary>
    [JsonPropertyName("pending")] public long Pending { get; init; }
    [JsonPropertyName("suppressed")] public long Suppressed { get; init; }
    [JsonPropertyName("expired")] public long Expired { get; init; }
    [JsonPropertyName("cancelled")] public long Cancelled { get; init; }
    /// <summary>Device receipts (the same as <see cref="Received"/>).</summary>
    [JsonPropertyName("delivered")] public long Delivered => Received;
    [JsonPropertyName("clicked")] public long Clicked { get; init; }
    /// <summary>Clicks per button id (a push's first click); taps on the body are <c>clicked</c> minus these.</summary>
    [JsonPropertyName("clicked_by_action")] public IReadOnlyDictionary<string, long> ClickedByAction { get; init; } = new Dictionary<string, long>();
    /// <summary>Clicked ÷ delivered, or ÷ sent when no device reports receipts; null before anything was sent.</summary>
    [JsonPropertyName("ctr")] public double? Ctr => Interactive.EngagementFigures.Ctr(Clicked, Received, Sent);
    [JsonPropertyName("influenced_opens")] public long InfluencedOpens { get; init; }
    [JsonPropertyName("conversions")] public long Conversions { get; init; }
    [JsonPropertyName("unsubscribed")] public long Unsubscribed { get; init; }

    public DeliveryCounts Plus(DeliveryCounts o) => new()
    {
        Targets = Targets + o.Targets, Sent = Sent + o.Sent, Failed = Failed + o.Failed, InvalidToken = InvalidToken + o.InvalidToken,
        Received = Received + o.Received, Opened = Opened + o.Opened, Pending = Pending + o.Pending, Suppressed = Suppressed + o.Suppressed,
        Expired = Expired + o.Expired, Cancelled = Cancelled + o.Cancelled, Clicked = Clicked + o.Clicked,
        ClickedByAction = ClickedByAction.Concat(o.ClickedByAction).GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal),
        InfluencedOpens = InfluencedOpens + o.InfluencedOpens, Conversions = Conversions + o.Conversions, Unsubscribed = Unsubscribed + o.Unsubscribed,
    };
}

/// <summary>Counts overall and broken down by platform (android/ios/web), provider (fcm/apns/webpush) and message type (notification/message).</summary>
public record DeliveryStats : DeliveryCounts
{
    [JsonPropertyName("by_platform")] public IReadOnlyDictionary<string, DeliveryCounts> ByPlatform { get; init; } = new Dictionary<string, DeliveryCounts>();
    [JsonPropertyName("by_provider")] public IReadOnlyDictionary<string, DeliveryCounts> ByProvider { get; init; } = new Dictionary<string, DeliveryCounts>();
    [JsonPropertyName("by_message_type")] public IReadOnlyDictionary<string, DeliveryCounts> ByMessageType { get; init; } = new Dictionary<string, DeliveryCounts>();
    /// <summary>Per campaign (the console's plan page); not part of the API answer.</summary>
    [JsonIgnore] public IReadOnlyDictionary<long, DeliveryCounts> ByCampaign { get; init; } = new Dictionary<long, DeliveryCounts>();
    /// <summary>Per A/B variant key (for one message).</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, DeliveryCounts> ByVariant { get; init; } = new Dictionary<string, DeliveryCounts>();
}

/// <summary>
/// Statistics of plans and messages, from the outbox and the purged deliveries' rollups (platform unknown there) with one grouped query (campaign × provider × platform × variant),
/// folded here; indexes: campaigns(plan_id), deliveries(campaign_id, status), installations' key.
/// </summary>
public sealed class DeliveryStatistics(Database database, IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    /// <summary>A campaign whose figures take at least this long to count is counted again only after <see cref="SlowCountReuse"/> times that.</summary>
    public static readonly TimeSpan SlowCount = TimeSpan.FromMilliseconds(100);
    public const int SlowCountReuse = 10;
    private readonly ConcurrentDictionary<long, SlowFigures> _slow = new();

    private sealed class SlowFigures(DeliveryStats figures, int status, long countedAt, TimeSpan took)
    {
        public DeliveryStats Figures => figures;
        public int Status => status;
        public long CountedAt => countedAt;
        public TimeSpan Took => took;
        public int Recounting;
    }

    public static string MessageType(PushType type) => type == PushType.Background ? "message" : "notification";

    public static string ProviderName(PushProvider provider) => provider switch
    {
        PushProvider.Fcm => "fcm",
        PushProvider.Apns => "apns",
        _ => "webpush",
    };

    /// <summary>The platform a provider serves (one each: FCM Android, APNs iOS, Web Push the browser).</summary>
    public static string PlatformOf(PushProvider provider) => provider switch
    {
        PushProvider.Fcm => PlatformNames.Of(Platform.Android),
        PushProvider.Apns => PlatformNames.Of(Platform.Ios),
        _ => PlatformNames.Of(Platform.Web),
    };

    /// <summary>Statistics per plan (row ids); plans without deliveries get zeros.</summary>
    public async Task<IReadOnlyDictionary<long, DeliveryStats>> ForPlansAsync(IReadOnlyCollection<long> planIds, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters();
        parameters.Add("plans", planIds.ToArray());
        var rows = await QueryAsync("c.plan_id", database.InList("c.plan_id", "@plans"), parameters, ct);
        var types = await MessageTypesAsync(rows.Select(r => r.CampaignId), ct);
        await UnsubscribesAsync(rows, ct);
        return planIds.ToDictionary(id => id, id => Fold(rows.Where(r => r.GroupKey == id), types));
    }

    /// <summary>
    /// A campaign's figures. A big one (a million rows take seconds to count) is counted at most once per ten times its
    /// counting time, however many pages and API clients poll it; meanwhile they get the last count. A change of the
    /// campaign's status (completed, paused, cancelled) always counts again.
    /// </summary>
    public async Task<DeliveryStats> ForCampaignAsync(long campaignId, CancellationToken ct = default)
    {
        int status;
        await using (var connection = await database.OpenAsync(ct))
            status = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }, cancellationToken: ct));
        if (_slow.TryGetValue(campaignId, out var known) && known.Status == status
            && (clock.GetElapsedTime(known.CountedAt) < known.Took * SlowCountReuse || Interlocked.CompareExchange(ref known.Recounting, 1, 0) != 0))
            return known.Figures;
        try
        {
            var started = clock.GetTimestamp();
            DeliveryStats figures;
            using (StageCpu.Start("statistics"))
                figures = await CountCampaignAsync(campaignId, ct);
            var took = clock.GetElapsedTime(started);
            if (took >= SlowCount)
            {
                if (_slow.Count > 100) _slow.Clear();
                _slow[campaignId] = new SlowFigures(figures, status, clock.GetTimestamp(), took);
            }
            else _slow.TryRemove(campaignId, out _);
            return figures;
        }
        finally
        {
            if (known is not null) known.Recounting = 0;
        }
    }

    private async Task<DeliveryStats> CountCampaignAsync(long campaignId, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        parameters.Add("campaign", campaignId);
        var rows = await QueryAsync("d.campaign_id", "d.campaign_id = @campaign", parameters, ct);
        await UnsubscribesAsync(rows, ct);
        return Fold(rows, await MessageTypesAsync([campaignId], ct));
    }

    /// <summary>Opt-outs attributed to these rows' campaigns, as rows of their own (no platform or variant: an opt-out names a campaign only).</summary>
    private async Task UnsubscribesAsync(List<Row> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.CampaignId).Distinct().ToArray();
        if (ids.Length == 0) return;
        await using var connection = await database.OpenAsync(ct);
        var counts = await connection.QueryAsync<(long CampaignId, long Count)>(new CommandDefinition(
            $"SELECT campaign_id, COUNT(*) FROM unsubscribes WHERE {database.InList("campaign_id", "@ids")} GROUP BY campaign_id", new { ids }, cancellationToken: ct));
        foreach (var (campaignId, count) in counts)
        {
            var key = rows.First(r => r.CampaignId == campaignId);
            rows.Add(new Row { GroupKey = key.GroupKey, CampaignId = campaignId, Provider = key.Provider, Variant = key.Variant, Unsubscribed = count });
        }
    }

    private async Task<List<Row>> QueryAsync(string groupKey, string where, DynamicParameters parameters, CancellationToken ct)
    {
        parameters.Add("sent", (int)DeliveryStatus.Sent);
        parameters.Add("failed", (int)DeliveryStatus.Failed);
        parameters.Add("invalid", (int)DeliveryStatus.InvalidToken);
        parameters.Add("expired", (int)DeliveryStatus.Expired);
        parameters.Add("suppressed", (int)DeliveryStatus.Suppressed);
        parameters.Add("cancelled", (int)DeliveryStatus.Cancelled);
        parameters.Add("pending", new[] { (int)DeliveryStatus.Pending, (int)DeliveryStatus.InFlight, (int)DeliveryStatus.Held });
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {groupKey} AS GroupKey, d.campaign_id AS CampaignId, d.provider AS Provider, d.variant AS Variant,
                   COUNT(*) AS Targets,
                   SUM(CASE WHEN d.status = @sent THEN 1 ELSE 0 END) AS Sent,
                   SUM(CASE WHEN d.status = @failed THEN 1 ELSE 0 END) AS Failed,
                   SUM(CASE WHEN d.status = @invalid THEN 1 ELSE 0 END) AS InvalidToken,
                   SUM(CASE WHEN d.received_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Received,
                   SUM(CASE WHEN d.opened_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Opened,
                   SUM(CASE WHEN {database.InList("d.status", "@pending")} THEN 1 ELSE 0 END) AS Pending,
                   SUM(CASE WHEN d.status = @suppressed THEN 1 ELSE 0 END) AS Suppressed,
                   SUM(CASE WHEN d.status = @expired THEN 1 ELSE 0 END) AS Expired,
                   SUM(CASE WHEN d.status = @cancelled THEN 1 ELSE 0 END) AS Cancelled,
                   SUM(CASE WHEN d.clicked_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Clicked,
                   d.clicked_action AS ClickedAction,
                   SUM(CASE WHEN d.influenced_at_ms IS NOT NULL AND d.opened_at_ms IS NULL THEN 1 ELSE 0 END) AS InfluencedOpens,
                   SUM(CASE WHEN d.converted_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Conversions
            FROM deliveries d
            JOIN campaigns c ON c.id = d.campaign_id
            WHERE {where}
            GROUP BY {groupKey}, d.campaign_id, d.provider, d.variant, d.clicked_action
            UNION ALL
            SELECT {groupKey}, d.campaign_id, d.provider, d.variant,
                   CAST(SUM(d.count) AS BIGINT),
                   CAST(SUM(CASE WHEN d.status = @sent THEN d.count ELSE 0 END) AS BIGINT),
                   CAST(SUM(CASE WHEN d.status = @failed THEN d.count ELSE 0 END) AS BIGINT),
                   CAST(SUM(CASE WHEN d.status = @invalid THEN d.count ELSE 0 END) AS BIGINT),
                   CAST(SUM(d.received) AS BIGINT), CAST(SUM(d.opened) AS BIGINT),
                   CAST(SUM(CASE WHEN {database.InList("d.status", "@pending")} THEN d.count ELSE 0 END) AS BIGINT),
                   CAST(SUM(CASE WHEN d.status = @suppressed THEN d.count ELSE 0 END) AS BIGINT),
                   CAST(SUM(CASE WHEN d.status = @expired THEN d.count ELSE 0 END) AS BIGINT),
                   CAST(SUM(CASE WHEN d.status = @cancelled THEN d.count ELSE 0 END) AS BIGINT),
                   CAST(SUM(d.clicked) AS BIGINT), NULLIF(d.clicked_action, ''),
                   CAST(SUM(d.influenced_opens) AS BIGINT), CAST(SUM(d.conversions) AS BIGINT)
            FROM delivery_rollups d
            JOIN campaigns c ON c.id = d.campaign_id
            WHERE {where}
            GROUP BY {groupKey}, d.campaign_id, d.provider, d.variant, d.clicked_action
            """, parameters, cancellationToken: ct, commandTimeout: 300));
        return rows.ToList();
    }

    private async Task<Dictionary<long, PushType>> MessageTypesAsync(IEnumerable<long> campaignIds, CancellationToken ct)
    {
        var ids = campaignIds.Distinct().ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var options = await db.Set<Campaign>().AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Options }).ToListAsync(ct);
        return options.ToDictionary(o => o.Id, o => o.Options.PushType);
    }

    private static DeliveryStats Fold(IEnumerable<Row> rows, IReadOnlyDictionary<long, PushType> types)
    {
        var total = new DeliveryCounts();
        var byPlatform = new SortedDictionary<string, DeliveryCounts>(StringComparer.Ordinal);
        var byProvider = new SortedDictionary<string, DeliveryCounts>(StringComparer.Ordinal);
        var byType = new SortedDictionary<string, DeliveryCounts>(StringComparer.Ordinal);
        var byCampaign = new Dictionary<long, DeliveryCounts>();
        var byVariant = new SortedDictionary<string, DeliveryCounts>(StringComparer.Ordinal);
        static void Add<TKey>(IDictionary<TKey, DeliveryCounts> map, TKey key, DeliveryCounts counts) where TKey : notnull =>
            map[key] = map.TryGetValue(key, out var sum) ? sum.Plus(counts) : counts;
        foreach (var row in rows)
        {
            var counts = row.ToCounts();
            total = total.Plus(counts);
            Add(byPlatform, PlatformOf((PushProvider)row.Provider), counts);
            Add(byProvider, ProviderName((PushProvider)row.Provider), counts);
            Add(byType, MessageType(types.GetValueOrDefault(row.CampaignId)), counts);
            Add(byCampaign, row.CampaignId, counts);
            Add(byVariant, row.Variant, counts);
        }
        return new DeliveryStats
        {
            Targets = total.Targets, Sent = total.Sent, Failed = total.Failed, InvalidToken = total.InvalidToken, Received = total.Received,
            Opened = total.Opened, Pending = total.Pending, Suppressed = total.Suppressed, Expired = total.Expired, Cancelled = total.Cancelled,
            Clicked = total.Clicked, ClickedByAction = total.ClickedByAction, InfluencedOpens = total.InfluencedOpens, Conversions = total.Conversions,
            Unsubscribed = total.Unsubscribed,
            ByPlatform = byPlatform, ByProvider = byProvider, ByMessageType = byType, ByCampaign = byCampaign, ByVariant = byVariant,
        };
    }

    // properties, not a positional record: SQLite hands every integer back as Int64, PostgreSQL sums as numeric/bigint
    private sealed class Row
    {
        public long GroupKey { get; init; }
        public long CampaignId { get; init; }
        public int Provider { get; init; }
        public string Variant { get; init; } = "";
        public long Targets { get; init; }
        public long Sent { get; init; }
        public long Failed { get; init; }
        public long InvalidToken { get; init; }
        public long Received { get; init; }
        public long Opened { get; init; }
        public long Pending { get; init; }
        public long Suppressed { get; init; }
        public long Expired { get; init; }
        public long Cancelled { get; init; }
        public long Clicked { get; init; }
        public string? ClickedAction { get; init; }
        public long InfluencedOpens { get; init; }
        public long Conversions { get; init; }
        public long Unsubscribed { get; init; }

        public DeliveryCounts ToCounts() => new()
        {
            Targets = Targets, Sent = Sent, Failed = Failed, InvalidToken = InvalidToken, Received = Received, Opened = Opened,
            Pending = Pending, Suppressed = Suppressed, Expired = Expired, Cancelled = Cancelled, Clicked = Clicked,
            ClickedByAction = ClickedAction is null || Clicked == 0 ? new Dictionary<string, long>() : new Dictionary<string, long> { [ClickedAction] = Clicked },
            InfluencedOpens = InfluencedOpens, Conversions = Conversions, Unsubscribed = Unsubscribed,
        };
    }
}
