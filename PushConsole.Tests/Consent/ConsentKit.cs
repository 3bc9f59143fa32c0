using Dapper;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Devices;

namespace PushConsole.Tests.Consent;

/// <summary>One delivery as a consent test reads it.</summary>
public sealed record Outcome(DeliveryStatus Status, string? Reason, long DueAtMs, long? SentAtMs);

/// <summary>Helpers for consent tests on top of <see cref="DispatchScenario"/>: Android devices with users and zones, categorised campaigns, outcomes.</summary>
public static class ConsentKit
{
    /// <summary>Registers an Android device (as the client API would) and returns its FCM token.</summary>
    public static async Task<string> DeviceAsync(this DispatchScenario s, string installationId, string? userId = null, string? timeZone = null, bool notificationsEnabled = true)
    {
        var token = $"fcm-{installationId}-{Guid.NewGuid():N}";
        var request = new InstallationRequest { Platform = "android", PushToken = token, TimeZone = timeZone, NotificationsEnabled = notificationsEnabled };
        if (userId is not null) request.UserId = userId;
        await s.Host.Get<DeviceRegistry>().RegisterAsync(s.App.Id, installationId, request);
        return token;
    }

    public static Task<PreferencesAnswer> PreferencesAsync(this DispatchScenario s, string userId, bool? consent = null, Dictionary<string, bool>? categories = null) =>
        s.Host.Get<PreferenceService>().SetForUserAsync(s.App.Id, userId, new PreferencesRequest { Consent = consent, Categories = categories });

    public static Task<Campaign> SendAsync(this DispatchScenario s, string name, string? category, AudienceSpec? audience = null, string? planKey = null) =>
        s.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = s.App.Id,
            Name = name,
            Audience = audience ?? AudienceSpec.Everyone,
            Message = DispatchScenario.Message(name),
            Options = new DeliveryOptions { Category = category },
            PlanKey = planKey,
        }, Actor.System);

    /// <summary>Sends and waits until the campaign completes.</summary>
    public static async Task<Campaign> SendAndWaitAsync(this DispatchScenario s, string name, string? category, AudienceSpec? audience = null, string? planKey = null)
    {
        var campaign = await s.SendAsync(name, category, audience, planKey);
        return await s.WaitForAsync(campaign.Id, CampaignStatus.Completed);
    }

    /// <summary>Each delivery of a campaign by installation id.</summary>
    public static async Task<Dictionary<string, Outcome>> OutcomesAsync(this AppHost host, long campaignId)
    {
        await using var connection = await host.Get<Database>().OpenAsync();
        var rows = await connection.QueryAsync<(string Id, long Status, string? Reason, long Due, long? Sent)>(
            "SELECT i.external_id, d.status, d.reason, d.due_at_ms, d.sent_at_ms FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE d.campaign_id = @campaignId",
            new { campaignId });
        return rows.ToDictionary(r => r.Id, r => new Outcome((DeliveryStatus)r.Status, r.Reason, r.Due, r.Sent));
    }

    public static async Task SetRulesAsync(this DispatchScenario s, Action<SettingsForm> change)
    {
        var form = SettingsForm.From(await s.Host.Get<ConsentCatalog>().GetFreshAsync(s.App.Id));
        change(form);
        await s.Host.Get<ConsentAdmin>().SaveSettingsAsync(s.App.Id, form, Actor.System);
    }

    /// <summary>How many pushes the FCM sandbox accepted for a token.</summary>
    public static int Received(this DispatchScenario s, string token) =>
        s.Sandbox.State.Fcm.Recent().Count(m => m.Status is >= 200 and < 300 && m.Target == token);
}
