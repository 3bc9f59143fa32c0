using System.Text.Json.Serialization;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PushConsole.Api;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Dispatch;
using PushConsole.Sending.Providers;

namespace PushConsole.Campaigns.Interactive;

public sealed record InboxItem(
    [property: JsonPropertyName("deliveryId")] string DeliveryId,
    [property: JsonPropertyName("campaignId")] string CampaignId,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("actions")] IReadOnlyList<PushAction> Actions,
    [property: JsonPropertyName("sentAt")] DateTime SentAt,
    [property: JsonPropertyName("read")] bool Read);

public sealed record InboxList([property: JsonPropertyName("items")] IReadOnlyList<InboxItem> Items);

/// <summary>
/// The message centre: every visible push of the last <see cref="EngagementOptions.InboxDays"/> days to a user, one item per
/// campaign, newest first — also those the consent rules or caps kept off the lock screen (no consent, a cap, quiet hours),
/// so an attendee who refused notifications still finds the announcement in the app. A read is an open of that delivery.
/// </summary>
public sealed class Inbox(Database database, IDbContextFactory<AppDbContext> contexts, IOptions<EngagementOptions> options, TimeProvider clock)
{
    private static readonly string[] ShownReasons = [ConsentReasons.NoConsent, ConsentReasons.FrequencyCap, ConsentReasons.QuietHours];

    private sealed class Row
    {
        public long Id { get; init; }
        public long CampaignId { get; init; }
        public string Variant { get; init; } = "";
        public string Language { get; init; } = "";
        public long CreatedAtMs { get; init; }
        public long? SentAtMs { get; init; }
        public long? OpenedAtMs { get; init; }
        public string InstallationId { get; init; } = "";
        /// <summary>Dapper reads the stored text by member name (see <see cref="PlatformNames"/>).</summary>
        public Platform Platform { get; init; }
    }

    public async Task<InboxList> ListAsync(long appId, string userId, string? installationId, CancellationToken ct = default)
    {
        var rows = await RowsAsync(appId, userId, ct);
        var ids = rows.Select(r => r.CampaignId).Distinct().ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaigns = await db.Set<Campaign>().AsNoTracking()
            .Where(c => ids.Contains(c.Id) && c.Origin != CampaignOrigin.Test).ToDictionaryAsync(c => c.Id, ct);
        var items = new List<InboxItem>();
        foreach (var group in rows.GroupBy(r => r.CampaignId))
        {
            if (!campaigns.TryGetValue(group.Key, out var campaign) || campaign.Options.PushType != PushType.Alert) continue;
            // this device's copy when it got one, else the latest; read on this device, or on any when no device is named
            var mine = group.FirstOrDefault(r => r.InstallationId == installationId) ?? group.OrderByDescending(r => r.Id).First();
            var read = installationId is null ? group.Any(r => r.OpenedAtMs is not null) : mine.OpenedAtMs is not null;
            var content = new Renderer(campaign).Content(mine.Variant, mine.Language, mine.Platform);
            items.Add(new InboxItem(mine.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), campaign.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                content.Title, content.Body, content.Link, content.Actions ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(mine.SentAtMs ?? mine.CreatedAtMs).UtcDateTime, read));
        }
        return new InboxList(items.OrderByDescending(i => i.SentAt).ToList());
    }

    /// <summary>Marks the item read: an open of that delivery (first one wins). 404 for a delivery that is not the user's.</summary>
    public async Task MarkReadAsync(long appId, string userId, string deliveryId, CancellationToken ct = default)
    {
        if (!long.TryParse(deliveryId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            throw new BadInputException("deliveryId", "deliveryId is the inbox item's deliveryId (digits).");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE deliveries SET opened_at_ms = COALESCE(opened_at_ms, @now)
            WHERE id = @id AND app_id = @appId AND user_id = (SELECT u.id FROM app_users u WHERE u.app_id = @appId AND u.external_id = @userId)
            """, new { id, appId, userId, now }, cancellationToken: ct));
        if (changed == 0) throw new NotFoundException($"User \"{userId}\" has no inbox item {deliveryId}.");
    }

    private async Task<List<Row>> RowsAsync(long appId, string userId, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-options.Value.InboxDays).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT d.id AS Id, d.campaign_id AS CampaignId, d.variant AS Variant, d.language AS Language, d.created_at_ms AS CreatedAtMs,
                   d.sent_at_ms AS SentAtMs, d.opened_at_ms AS OpenedAtMs, i.external_id AS InstallationId, i.platform AS Platform
            FROM deliveries d
            JOIN app_users u ON u.id = d.user_id
            JOIN installations i ON i.id = d.installation_id
            WHERE u.app_id = @appId AND u.external_id = @userId AND d.app_id = @appId AND d.created_at_ms >= @since
              AND (d.status = @sent OR (d.status = @suppressed AND {database.InList("d.reason", "@reasons")}))
            """, new { appId, userId, since, sent = (int)DeliveryStatus.Sent, suppressed = (int)DeliveryStatus.Suppressed, reasons = ShownReasons },
            cancellationToken: ct));
        return rows.ToList();
    }
}
