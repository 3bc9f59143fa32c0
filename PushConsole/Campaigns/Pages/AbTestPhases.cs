using Dapper;
using PushConsole.Campaigns.AbTest;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Pages;

/// <summary>An A/B campaign's figures split into the test phase and the rollout to the rest, so the rollout never counts as test evidence.</summary>
public sealed record AbPhases(IReadOnlyList<VariantResult> Test, IReadOnlyList<VariantResult> Rollout, DateTime? ChosenAt)
{
    public bool HasRollout => Rollout.Any(r => r.Recipients > 0);
}

public static class AbTestPhases
{
    /// <summary>
    /// Before a pick everything not awaiting is the test. After it, a delivery sent at or after the pick, or still unsent and due after
    /// it (the released rest is re-dated to the pick), belongs to the rollout.
    /// </summary>
    public static async Task<AbPhases> SplitAsync(Database database, Campaign campaign, IReadOnlyList<VariantResult> all, CancellationToken ct = default)
    {
        if (campaign.Message.Winner is not { ChosenAt: { } chosenAt }) return new AbPhases(all, [], null);
        var chosenMs = new DateTimeOffset(DateTime.SpecifyKind(chosenAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT variant AS Variant,
                   CASE WHEN (sent_at_ms IS NOT NULL AND sent_at_ms >= @chosen) OR (sent_at_ms IS NULL AND due_at_ms >= @chosen) THEN 1 ELSE 0 END AS Rollout,
                   COUNT(*) AS Recipients,
                   SUM(CASE WHEN status = @sent THEN 1 ELSE 0 END) AS Sent,
                   SUM(CASE WHEN status = @sent AND received_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Received,
                   SUM(CASE WHEN status = @sent AND opened_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Opened,
                   SUM(CASE WHEN status = @sent AND clicked_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Clicked,
                   SUM(CASE WHEN status = @sent AND converted_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS Converted
            FROM deliveries WHERE campaign_id = @id AND status <> @awaiting
            GROUP BY variant, CASE WHEN (sent_at_ms IS NOT NULL AND sent_at_ms >= @chosen) OR (sent_at_ms IS NULL AND due_at_ms >= @chosen) THEN 1 ELSE 0 END
            """, new { id = campaign.Id, chosen = chosenMs, sent = (int)DeliveryStatus.Sent, awaiting = (int)DeliveryStatus.AwaitingWinner },
            cancellationToken: ct))).ToList();
        VariantResult Of(VariantResult v, long rollout)
        {
            // the control group gets nothing, so it has no rollout: its baseline stays whole beside the test
            if (v.IsControl) return rollout == 0 ? v : new VariantResult(v.Key, true, 0, 0, 0, 0, 0);
            var r = rows.FirstOrDefault(x => x.Variant == v.Key && x.Rollout == rollout) ?? new Row { Variant = v.Key };
            return new VariantResult(v.Key, false, r.Recipients, r.Sent, r.Received, r.Opened, rollout == 0 ? v.Awaiting : 0, null, r.Clicked, r.Converted);
        }
        return new AbPhases([.. all.Select(v => Of(v, 0))], [.. all.Select(v => Of(v, 1))], chosenAt);
    }

    // properties, not a positional record: SQLite hands every integer back as Int64
    private sealed class Row
    {
        public string Variant { get; set; } = "";
        public long Rollout { get; set; }
        public long Recipients { get; set; }
        public long Sent { get; set; }
        public long Received { get; set; }
        public long Opened { get; set; }
        public long Clicked { get; set; }
        public long Converted { get; set; }
    }
}
