using PushConsole.Devices;

namespace PushConsole.Consent;

/// <summary>
/// Records opt-outs inside the registry transaction that made them, attributed to the campaign last delivered to
/// the person (their user, else the installation) within <see cref="AttributionWindow"/>.
/// </summary>
public static class Unsubscribes
{
    public static readonly TimeSpan AttributionWindow = TimeSpan.FromHours(24);

    public static async Task RecordAsync(RegistryTx tx, long appId, long? userKey, long? installationKey, string kind, string? category)
    {
        var since = new DateTimeOffset(tx.Now).Add(-AttributionWindow).ToUnixTimeMilliseconds();
        var campaign = userKey is { } user
            ? await tx.ScalarAsync("SELECT campaign_id FROM deliveries WHERE user_id = @p0 AND sent_at_ms >= @p1 ORDER BY sent_at_ms DESC LIMIT 1", user, since)
            : await tx.ScalarAsync("SELECT campaign_id FROM deliveries WHERE installation_id = @p0 AND sent_at_ms >= @p1 ORDER BY sent_at_ms DESC LIMIT 1", installationKey, since);
        var campaignId = campaign is null ? (long?)null : Convert.ToInt64(campaign);
        // one opt-out per person and campaign: a person who withdraws consent and turns categories off counts once
        if (campaignId is not null)
        {
            var seen = userKey is not null
                ? await tx.ScalarAsync("SELECT 1 FROM unsubscribes WHERE campaign_id = @p0 AND app_user_id = @p1 LIMIT 1", campaignId, userKey)
                : await tx.ScalarAsync("SELECT 1 FROM unsubscribes WHERE campaign_id = @p0 AND installation_id = @p1 AND app_user_id IS NULL LIMIT 1", campaignId, installationKey);
            if (seen is not null) return;
        }
        await tx.ExecuteAsync(
            "INSERT INTO unsubscribes (app_id, campaign_id, app_user_id, installation_id, kind, category, at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
            appId, campaignId, userKey, installationKey, kind, category, tx.Now);
    }
}

/// <summary>Notifications turned off on a device count as an opt-out of the campaign that reached the person last.</summary>
public sealed class PermissionOptOuts : IPushPermissionSink
{
    public Task TurnedOffAsync(RegistryTx tx, long appId, long? userKey, long installationKey) =>
        Unsubscribes.RecordAsync(tx, appId, userKey, installationKey, UnsubscribeKinds.PermissionOff, null);
}
