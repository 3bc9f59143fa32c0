using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Sending;

/// <summary>
/// GDPR "deliveries": every push meant for the user (their user id, or their device while no one was logged in on it)
/// with its outcome. Erasure keeps the rows as anonymous counts for campaign statistics: the link to the user and the
/// provider's answers go, queued ones are cancelled, and campaigns that named the user in their audience forget the id.
/// </summary>
public sealed partial class DeliveryPersonalData(Database database, DeliveryStates states, IDbContextFactory<AppDbContext> contexts) : IPersonalData
{
    public string Section => "deliveries";

    /// <summary>The subject's deliveries (<c>@user</c> is their user row id): theirs, or their device's while no one was logged in on it.</summary>
    internal const string Mine = "(d.user_id = @user OR (d.user_id IS NULL AND d.installation_id IN (SELECT id FROM installations WHERE app_user_id = @user)))";

    public async Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT d.id AS Id, d.campaign_id AS CampaignId, c.name AS CampaignName, i.external_id AS InstallationId, d.provider AS Provider,
                   d.variant AS Variant, d.language AS Language, d.status AS Status, d.reason AS Reason, d.attempts AS Attempts,
                   d.provider_message_id AS ProviderMessageId, d.provider_answer AS ProviderAnswer, d.created_at_ms AS CreatedAtMs,
                   d.due_at_ms AS DueAtMs, d.sent_at_ms AS SentAtMs, d.received_at_ms AS ReceivedAtMs, d.opened_at_ms AS OpenedAtMs, d.dismissed_at_ms AS DismissedAtMs
            FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id LEFT JOIN installations i ON i.id = d.installation_id
            WHERE {Mine} AND d.app_id = @app ORDER BY d.id
            """, new { user = subject.AppUserId, app = subject.AppId }, cancellationToken: ct));
        return rows.Select(r => new
        {
            deliveryId = r.Id, campaignId = r.CampaignId, campaign = r.CampaignName, installationId = r.InstallationId,
            provider = ((Providers.PushProvider)r.Provider).ToString().ToLowerInvariant(), variant = r.Variant, language = r.Language,
            status = Snake(((DeliveryStatus)r.Status).ToString()), reason = r.Reason, attempts = r.Attempts,
            providerMessageId = r.ProviderMessageId, providerAnswer = r.ProviderAnswer,
            createdAt = DeliveryHistory.Time(r.CreatedAtMs), dueAt = DeliveryHistory.Time(r.DueAtMs), sentAt = DeliveryHistory.Time(r.SentAtMs),
            receivedAt = DeliveryHistory.Time(r.ReceivedAtMs), openedAt = DeliveryHistory.Time(r.OpenedAtMs), dismissedAt = DeliveryHistory.Time(r.DismissedAtMs),
        }).ToList();
    }

    public async Task EraseAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var args = new { user = subject.AppUserId, app = subject.AppId };
            await states.CancelErasedAsync(connection, transaction, subject.AppId, subject.AppUserId, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE deliveries SET user_id = NULL, provider_answer = NULL, provider_message_id = NULL WHERE id IN (SELECT d.id FROM deliveries d WHERE {Mine} AND d.app_id = @app)",
                args, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }
        await ForgetInAudiencesAsync(subject, ct);
    }

    /// <summary>A campaign aimed at listed user ids keeps its audience size, but the erased id becomes one that matches nobody.</summary>
    private async Task ForgetInAudiencesAsync(PersonalDataSubject subject, CancellationToken ct)
    {
        var quoted = JsonSerializer.Serialize(subject.UserId, JsonColumns.Options);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var candidates = await db.Database.SqlQueryRaw<long>("SELECT id AS \"Value\" FROM campaigns WHERE app_id = {0} AND audience LIKE {1}",
            subject.AppId, "%" + quoted + "%").ToListAsync(ct);
        foreach (var id in candidates)
        {
            var campaign = await db.Set<Campaign>().FirstAsync(c => c.Id == id, ct);
            if (campaign.Audience.UserIds is not { } users || !users.Contains(subject.UserId)) continue;
            // "" is no valid user id: the list must not become empty, which would mean everyone
            campaign.Audience = campaign.Audience with { UserIds = users.Select(u => u == subject.UserId ? "" : u).ToList() };
        }
        await db.SaveChangesAsync(ct);
    }

    private static string Snake(string name) => SnakeRegex().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex SnakeRegex();

    private sealed class Row
    {
        public long Id { get; init; }
        public long CampaignId { get; init; }
        public string CampaignName { get; init; } = "";
        public string? InstallationId { get; init; }
        public int Provider { get; init; }
        public string Variant { get; init; } = "";
        public string Language { get; init; } = "";
        public int Status { get; init; }
        public string? Reason { get; init; }
        public int Attempts { get; init; }
        public string? ProviderMessageId { get; init; }
        public string? ProviderAnswer { get; init; }
        public long CreatedAtMs { get; init; }
        public long DueAtMs { get; init; }
        public long? SentAtMs { get; init; }
        public long? ReceivedAtMs { get; init; }
        public long? OpenedAtMs { get; init; }
        public long? DismissedAtMs { get; init; }
    }
}
