using Microsoft.Extensions.Options;
using PushConsole.Devices;

namespace PushConsole.Campaigns.Interactive;

/// <summary>
/// Stamps deliveries as events arrive, in the storing transaction, so every figure is a count over <c>deliveries</c>:
/// a click (first one wins; a click is also a receipt and an open), an influenced open (a session start within the
/// influence window after the push's receipt, else its send), a conversion (the campaign's goal event within its window after the send).
/// </summary>
public sealed class EngagementSink(IOptions<EngagementOptions> options) : IClientEventSink
{
    public async Task OnStoredAsync(RegistryTx tx, long appId, IReadOnlyList<StoredClientEvent> events)
    {
        HashSet<string>? goals = null;
        var window = (long)options.Value.InfluenceWindow.TotalMilliseconds;
        foreach (var e in events)
        {
            var at = new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
            if (e.Type == ClientEventTypes.NotificationClicked && e.DeliveryId is { } deliveryId && e.InstallationId is { } clicker)
                await tx.ExecuteAsync("""
                    UPDATE deliveries SET clicked_action = CASE WHEN clicked_at_ms IS NULL THEN CAST(@p3 AS VARCHAR(32)) ELSE clicked_action END,
                        clicked_at_ms = COALESCE(clicked_at_ms, @p2), opened_at_ms = COALESCE(opened_at_ms, @p2), received_at_ms = COALESCE(received_at_ms, @p2)
                    WHERE id = @p0 AND installation_id = @p1
                    """, deliveryId, clicker, at, e.ActionId);
            if (e.Type == ClientEventTypes.SessionStart && e.InstallationId is { } installation)
                // the window opens when the push reached the device (its receipt), else when it was sent
                await tx.ExecuteAsync("""
                    UPDATE deliveries SET influenced_at_ms = @p1
                    WHERE installation_id = @p0 AND sent_at_ms IS NOT NULL
                      AND COALESCE(received_at_ms, sent_at_ms) <= @p1 AND COALESCE(received_at_ms, sent_at_ms) >= @p2
                      AND influenced_at_ms IS NULL AND opened_at_ms IS NULL
                    """, installation, at, at - window);
            if (e.Quiet) continue;
            var goal = e.Type == ClientEventTypes.Custom ? e.Name : e.Type;
            if (goal is null) continue;
            goals ??= (await tx.QueryAsync("SELECT DISTINCT conversion_event FROM campaigns WHERE app_id = @p0 AND conversion_event IS NOT NULL",
                r => r.GetString(0), appId)).ToHashSet(StringComparer.Ordinal);
            if (!goals.Contains(goal)) continue;
            // one conversion per recipient and campaign: the user's latest push of that campaign in the window (else the device's)
            var (column, who) = e.UserId is { } user ? ("user_id", user) : ("installation_id", e.InstallationId ?? 0);
            await tx.ExecuteAsync($"""
                UPDATE deliveries SET converted_at_ms = @p1 WHERE id IN (
                    SELECT MAX(d.id) FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
                    WHERE d.{column} = @p0 AND c.app_id = @p3 AND c.conversion_event = @p2
                      AND d.sent_at_ms IS NOT NULL AND d.sent_at_ms <= @p1 AND d.sent_at_ms >= @p1 - c.conversion_window_ms
                      AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.campaign_id = d.campaign_id AND x.{column} = d.{column} AND x.converted_at_ms IS NOT NULL)
                    GROUP BY d.campaign_id)
                """, who, at, goal, appId);
        }
    }
}
