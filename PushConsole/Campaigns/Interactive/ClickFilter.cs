using System.Text.Json;
using PushConsole.Api;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Interactive;

/// <summary>
/// A click must name a push this installation got and, with an <c>actionId</c>, a button that push carried; otherwise the
/// click alone is refused (reported as <c>[i].deliveryId</c> / <c>[i].actionId</c>) and the request's other events are stored.
/// </summary>
public sealed class ClickFilter : IClientEventFilter
{
    public async Task FilterAsync(RegistryTx tx, long appId, IReadOnlyList<VettedClientEvent> events, FieldErrors errors)
    {
        var messages = new Dictionary<long, CampaignMessage?>();
        foreach (var vetted in events)
        {
            var e = vetted.Event;
            if (e.Type != ClientEventTypes.NotificationClicked || e.DeliveryId is not { } deliveryId) continue;
            var found = await tx.QueryAsync("SELECT d.campaign_id, d.variant FROM deliveries d WHERE d.id = @p0 AND d.installation_id = @p1 AND d.app_id = @p2",
                r => (Campaign: r.GetInt64(0), Variant: r.GetString(1)), deliveryId, e.InstallationId, appId);
            if (found.Count == 0)
            {
                vetted.Refuse("deliveryId", $"This installation got no push with deliveryId {deliveryId}; send the deliveryId its payload carried.");
                continue;
            }
            if (e.ActionId is not { } actionId) continue;
            var (campaignId, variantKey) = found[0];
            if (!messages.TryGetValue(campaignId, out var message))
            {
                var json = (string?)await tx.ScalarAsync("SELECT message FROM campaigns WHERE id = @p0", campaignId);
                messages[campaignId] = message = json is null ? null : JsonSerializer.Deserialize<CampaignMessage>(json, JsonColumns.Options);
            }
            var variant = message?.Variants.FirstOrDefault(v => v.Key == variantKey) ?? message?.Variants.FirstOrDefault();
            var ids = variant?.Actions?.Select(a => a.Id).ToList() ?? [];
            if (!ids.Contains(actionId))
                vetted.Refuse("actionId", ids.Count == 0
                    ? $"The push had no buttons; report a tap on its body without actionId."
                    : $"The push had no button \"{actionId}\"; its buttons are {string.Join(", ", ids)} (or leave actionId out for the body).");
        }
    }
}
