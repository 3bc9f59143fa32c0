using Dapper;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Consent;

/// <summary>
/// Engagement of a campaign or plan. Open rate = opened / sent (the seed's "opened out of all sent"); CTR as
/// <see cref="Campaigns.Interactive.EngagementFigures.Ctr"/> defines it (clicked ÷ delivered, else ÷ sent); unsubscribe rate = opt-outs attributed / sent.
/// </summary>
public sealed record Engagement(long Sent, long Received, long Opened, long Unsubscribes, long Clicked = 0)
{
    public static readonly Engagement None = new(0, 0, 0, 0);

    public double? OpenRate => Sent == 0 ? null : (double)Opened / Sent;
    public double? ClickThroughRate => Campaigns.Interactive.EngagementFigures.Ctr(Clicked, Received, Sent);
    public double? UnsubscribeRate => Sent == 0 ? null : (double)Unsubscribes / Sent;

    public Engagement Plus(Engagement o) => new(Sent + o.Sent, Received + o.Received, Opened + o.Opened, Unsubscribes + o.Unsubscribes, Clicked + o.Clicked);
}

/// <summary>Open rate, CTR and unsubscribe rate per campaign (campaign page) and per plan (plan statistics), from deliveries, their rollups and opt-outs.</summary>
public sealed class EngagementStats(Database database)
{
    private const string Sent = "2";

    public async Task<Engagement> ForCampaignAsync(long campaignId, CancellationToken ct = default) =>
        (await ForCampaignsAsync([campaignId], ct)).GetValueOrDefault(campaignId, Engagement.None);

    public async Task<IReadOnlyDictionary<long, Engagement>> ForCampaignsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken ct = default)
    {
        if (campaignIds.Count == 0) return new Dictionary<long, Engagement>();
        await using var connection = await database.OpenAsync(ct);
        var ids = campaignIds.Distinct().ToArray();
        var list = database.InList("campaign_id", "@ids");
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT campaign_id AS Id, CAST(SUM(CASE WHEN status = {Sent} THEN 1 ELSE 0 END) AS BIGINT) AS Sent, COUNT(received_at_ms) AS Received,
                   COUNT(opened_at_ms) AS Opened, CAST(0 AS BIGINT) AS Unsubscribes, COUNT(clicked_at_ms) AS Clicked
            FROM deliveries WHERE {list} GROUP BY campaign_id
            UNION ALL
            SELECT campaign_id, CAST(SUM(CASE WHEN status = {Sent} THEN count ELSE 0 END) AS BIGINT), CAST(SUM(received) AS BIGINT), CAST(SUM(opened) AS BIGINT), 0, CAST(SUM(clicked) AS BIGINT)
            FROM delivery_rollups WHERE {list} GROUP BY campaign_id
            UNION ALL
            SELECT campaign_id, 0, 0, 0, COUNT(*), 0 FROM unsubscribes WHERE {list} GROUP BY campaign_id
            """, new { ids }, cancellationToken: ct));
        return rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Aggregate(Engagement.None, (sum, r) => sum.Plus(new Engagement(r.Sent, r.Received, r.Opened, r.Unsubscribes, r.Clicked))));
    }

    /// <summary>For <c>GET /v4/push_plan/stats</c>: each asked plan of the app (unknown plan ids are left out) with its campaigns' engagement summed.</summary>
    public async Task<IReadOnlyDictionary<string, Engagement>> ForPlansAsync(long appId, IReadOnlyCollection<string> planIds, CancellationToken ct = default)
    {
        if (planIds.Count == 0) return new Dictionary<string, Engagement>();
        await using var connection = await database.OpenAsync(ct);
        var campaigns = await connection.QueryAsync<(string PlanKey, long CampaignId)>(new CommandDefinition(
            $"SELECT p.plan_key, COALESCE(c.id, 0) FROM plans p LEFT JOIN campaigns c ON c.plan_id = p.id WHERE p.app_id = @appId AND {database.InList("p.plan_key", "@keys")}",
            new { appId, keys = planIds.Distinct().ToArray() }, cancellationToken: ct));
        var byPlan = campaigns.ToLookup(c => c.PlanKey);
        var stats = await ForCampaignsAsync(campaigns.Where(c => c.CampaignId != 0).Select(c => c.CampaignId).ToList(), ct);
        return byPlan.ToDictionary(p => p.Key, p => p.Where(c => c.CampaignId != 0)
            .Aggregate(Engagement.None, (sum, c) => sum.Plus(stats.GetValueOrDefault(c.CampaignId, Engagement.None))));
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public long Sent { get; init; }
        public long Received { get; init; }
        public long Opened { get; init; }
        public long Unsubscribes { get; init; }
        public long Clicked { get; init; }
    }
}
