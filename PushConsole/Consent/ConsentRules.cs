using System.Data.Common;
using Dapper;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;
using PushConsole.Sending.Providers;

namespace PushConsole.Consent;

/// <summary>Suppression reasons and deferral notes the consent rules write on deliveries.</summary>
public static class ConsentReasons
{
    public const string NoConsent = "no_consent";
    public const string CategoryOptedOut = "category_opted_out";
    public const string FrequencyCap = "frequency_cap";
    public const string QuietHours = "quiet_hours";
}

/// <summary>
/// Consent and category opt-outs. A non-transactional push needs consent (granted, or not denied when the app takes
/// the device permission as consent); a categorised push needs the category on (the person's choice, else its default).
/// A user's choices decide for their devices; an anonymous installation's own choices decide for it.
/// Also notes the campaign's category at launch, which frequency caps count by.
/// </summary>
public sealed class ConsentRule(ConsentCatalog catalog, Database database) : ILaunchRule
{
    public int Order => LaunchRuleOrder.Consent;

    public async ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct)
    {
        var policy = await catalog.GetFreshAsync(campaign.AppId, ct);
        var category = policy.Find(campaign.Options.Category);
        await NoteCampaignAsync(campaign, category, ct);
        var checkConsent = category?.Transactional != true;
        if (!checkConsent && category is null) return null;

        var columns = "CASE WHEN i.app_user_id IS NULL THEN i.consent ELSE u.consent END AS consent_state";
        string? joins = null;
        if (category is not null)
        {
            joins = "LEFT JOIN user_categories consent_uc ON consent_uc.app_user_id = i.app_user_id AND consent_uc.category = @consentCategory " +
                    "LEFT JOIN installation_categories consent_ic ON consent_ic.installation_id = i.id AND consent_ic.category = @consentCategory";
            columns += ", CASE WHEN i.app_user_id IS NULL THEN consent_ic.enabled ELSE consent_uc.enabled END AS consent_category_on";
        }
        var explicitOnly = policy.RequireExplicitConsent;
        var categoryDefault = category?.DefaultEnabled ?? true;
        int consentColumn = -1, categoryColumn = -1;
        return new LaunchRuleSql(columns, joins, category is null ? null : new { consentCategory = category.Key },
            (DbDataReader row, AudienceRow _, ref RecipientDecision decision) =>
            {
                if (consentColumn < 0) consentColumn = row.GetOrdinal("consent_state");
                if (checkConsent)
                {
                    var state = ConsentNames.Parse(row.IsDBNull(consentColumn) ? null : row.GetString(consentColumn));
                    if (state == ConsentState.Denied || explicitOnly && state != ConsentState.Granted)
                    {
                        decision.Suppress(ConsentReasons.NoConsent);
                        return;
                    }
                }
                if (category is null) return;
                if (categoryColumn < 0) categoryColumn = row.GetOrdinal("consent_category_on");
                var on = row.IsDBNull(categoryColumn) ? categoryDefault : row.GetBoolean(categoryColumn);
                if (!on) decision.Suppress(ConsentReasons.CategoryOptedOut);
            });
    }

    private async Task NoteCampaignAsync(Campaign campaign, CategoryDefinition? category, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO consent_campaigns (campaign_id, app_id, category, transactional) VALUES (@id, @app, @category, @transactional) " +
            "ON CONFLICT (campaign_id) DO UPDATE SET category = excluded.category, transactional = excluded.transactional",
            new { id = campaign.Id, app = campaign.AppId, category = category?.Key, transactional = category?.Transactional == true }, cancellationToken: ct));
    }
}

/// <summary>
/// Frequency caps: at most N non-transactional pushes per person (their user, else the installation) in a rolling window,
/// per app and per category. Counted in the audience query from <c>deliveries</c> (sent in the window, or still queued),
/// one push per campaign however many devices it reached.
/// </summary>
public sealed class FrequencyCapRule(ConsentCatalog catalog) : ILaunchRule
{
    public int Order => LaunchRuleOrder.FrequencyCap;

    public async ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct)
    {
        var policy = await catalog.GetFreshAsync(campaign.AppId, ct);
        var category = policy.Find(campaign.Options.Category);
        if (category?.Transactional == true || campaign.Options.PushType == PushType.Background) return null;
        var appCap = policy.FrequencyCap;
        var categoryCap = category?.FrequencyCap;
        if (appCap is null && categoryCap is null) return null;

        var since = new DateTimeOffset(nowUtc).AddHours(-policy.CapWindowHours).ToUnixTimeMilliseconds();
        var columns = new List<string>();
        if (appCap is not null) columns.Add($"{Count("")} AS cap_app_count");
        if (categoryCap is not null) columns.Add($"{Count(" AND cap_cc.category = @capCategory")} AS cap_category_count");
        var queued = string.Join(", ", new[] { DeliveryStatus.Pending, DeliveryStatus.InFlight, DeliveryStatus.Held }.Select(s => (int)s));
        int appColumn = -1, categoryColumn = -1;
        return new LaunchRuleSql(string.Join(", ", columns).Replace("@queued", queued), null,
            new { capCampaign = campaign.Id, capSince = since, capCategory = category?.Key },
            (DbDataReader row, AudienceRow _, ref RecipientDecision decision) =>
            {
                if (appCap is { } a)
                {
                    if (appColumn < 0) appColumn = row.GetOrdinal("cap_app_count");
                    if (Convert.ToInt64(row.GetValue(appColumn)) >= a) { decision.Suppress(ConsentReasons.FrequencyCap); return; }
                }
                if (categoryCap is { } c)
                {
                    if (categoryColumn < 0) categoryColumn = row.GetOrdinal("cap_category_count");
                    if (Convert.ToInt64(row.GetValue(categoryColumn)) >= c) decision.Suppress(ConsentReasons.FrequencyCap);
                }
            });
    }

    /// <summary>Distinct non-transactional campaigns that reached the person in the window; each branch walks one index.</summary>
    private static string Count(string extra)
    {
        string Of(string who) =>
            "(SELECT COUNT(DISTINCT cap_d.campaign_id) FROM deliveries cap_d JOIN consent_campaigns cap_cc ON cap_cc.campaign_id = cap_d.campaign_id " +
            $"WHERE {who} AND NOT cap_cc.transactional AND cap_d.campaign_id <> @capCampaign{extra} " +
            "AND (cap_d.sent_at_ms >= @capSince OR cap_d.status IN (@queued)))";
        return $"CASE WHEN i.app_user_id IS NULL THEN {Of("cap_d.installation_id = i.id")} ELSE {Of("cap_d.user_id = i.app_user_id")} END";
    }
}

/// <summary>
/// Quiet hours: a non-transactional visible push due inside the app's window in the recipient's own time zone waits
/// until the window ends there. Recipients whose zone is unknown are not held (their night cannot be known).
/// </summary>
public sealed class QuietHoursRule(ConsentCatalog catalog) : ILaunchRule
{
    public int Order => LaunchRuleOrder.QuietHours;

    public async ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct)
    {
        var policy = await catalog.GetFreshAsync(campaign.AppId, ct);
        if (!policy.QuietHoursEnabled || campaign.Options.PushType == PushType.Background) return null;
        if (policy.Find(campaign.Options.Category)?.Transactional == true) return null;
        var window = new QuietHours(policy.QuietStartMinute, policy.QuietEndMinute);
        if (window.IsEmpty) return null;
        return new LaunchRuleSql(null, null, null, (DbDataReader _, AudienceRow recipient, ref RecipientDecision decision) =>
        {
            if (TimeZones.Find(recipient.TimeZone) is not { } zone) return;
            var due = DateTimeOffset.FromUnixTimeMilliseconds(decision.DueAtMs).UtcDateTime;
            if (window.HoldUntil(due, zone) is { } until)
                decision.DeferUntil(new DateTimeOffset(until).ToUnixTimeMilliseconds(), ConsentReasons.QuietHours);
        });
    }
}
