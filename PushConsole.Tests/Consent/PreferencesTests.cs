using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Tests.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Consent;

/// <summary>The preferences client API, the categories an app defines, and campaigns choosing among them.</summary>
public sealed class PreferencesTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private DeviceKit _kit = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _kit = await DeviceKit.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_new_app_starts_with_the_event_categories_and_program_changes_and_safety_are_transactional()
    {
        var policy = await _host.Get<ConsentCatalog>().GetAsync(_kit.AppId);

        Assert.Equal(["program_changes", "safety", "reminders", "networking", "surveys", "gamification", "marketing"], policy.Categories.Select(c => c.Key));
        Assert.Equal(["program_changes", "safety"], policy.Categories.Where(c => c.Transactional).Select(c => c.Key));
        Assert.False(policy.Find("marketing")!.DefaultEnabled);
        Assert.Equal((false, true, 22 * 60, 8 * 60, (int?)null), (policy.RequireExplicitConsent, policy.QuietHoursEnabled, policy.QuietStartMinute, policy.QuietEndMinute, policy.FrequencyCap));
    }

    [Fact]
    public async Task Consent_true_and_false_become_granted_and_denied_and_the_answer_lists_every_category()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");

        var granted = await Put("ana", new { consent = true, categories = new { surveys = false } });
        Assert.Equal(("granted", true), (granted.GetProperty("consentState").GetString(), granted.GetProperty("consent").GetBoolean()));
        var categories = granted.GetProperty("categories");
        Assert.Equal(7, categories.EnumerateObject().Count());
        Assert.False(categories.GetProperty("surveys").GetBoolean());
        Assert.True(categories.GetProperty("reminders").GetBoolean());

        var denied = await Put("ana", new { consent = false });
        Assert.Equal("denied", denied.GetProperty("consentState").GetString());
        Assert.False(denied.GetProperty("categories").GetProperty("surveys").GetBoolean());
        var details = (await _kit.ChangesAsync("phone")).Where(c => c.Kind == ChangeKind.PermissionChanged).Select(c => c.Details).ToList();
        Assert.Equal(["preferences of user ana: consent granted, surveys off", "preferences of user ana: consent withdrawn"], details);
    }

    [Fact]
    public async Task An_unknown_category_is_a_400_naming_it_and_stores_nothing()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");

        var response = await _kit.Client.PutAsync("api/v1/users/ana/preferences",
            new StringContent("""{"consent":false,"categories":{"marketing":false,"marketting":false}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("the categories are: program_changes, safety, reminders, networking, surveys, gamification, marketing", errors.GetProperty("categories.marketting")[0].GetString());
        Assert.False(errors.TryGetProperty("categories.marketing", out _));
        var user = (await _kit.InstallationAsync("phone"))!.AppUser!;
        Assert.Equal(ConsentState.Unknown, user.Consent);
        Assert.Equal(0, await _kit.CountAsync<UserCategory>());
        Assert.Equal([ChangeKind.Registered], await _kit.KindsAsync("phone"));
    }

    [Fact]
    public async Task An_anonymous_installation_has_its_own_preferences_logged_on_its_changelog()
    {
        await _kit.RegisterAndroidAsync("kiosk", DeviceKit.FcmToken("k"));

        var response = await _kit.Client.PutAsJsonAsync("api/v1/installations/kiosk/preferences", new { consent = false, categories = new { reminders = false } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("kiosk", "denied"), (answer.GetProperty("installationId").GetString(), answer.GetProperty("consentState").GetString()));
        Assert.False(answer.TryGetProperty("userId", out _));
        var kiosk = (await _kit.InstallationAsync("kiosk"))!;
        Assert.Equal((ConsentState.Denied, "client_api"), (kiosk.Consent, kiosk.ConsentSource));
        Assert.Equal("preferences of this device: consent withdrawn, reminders off", (await _kit.ChangesAsync("kiosk")).Last().Details);
        Assert.Equal(HttpStatusCode.NotFound, (await _kit.Client.PutAsJsonAsync("api/v1/installations/nope/preferences", new { consent = true })).StatusCode);
    }

    [Fact]
    public async Task The_console_edits_a_users_preferences_with_the_editor_named_in_changelog_and_audit_log()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        var preferences = _host.Get<PreferenceService>();

        var answer = await preferences.SetFromConsoleAsync(_kit.AppId, "ana", ConsentState.Denied, new Dictionary<string, bool> { ["marketing"] = true },
            new Actor("support-lead@example.com"));

        Assert.Equal("denied", answer.ConsentState);
        var change = (await _kit.ChangesAsync("phone")).Last();
        Assert.Equal(("console", "preferences of user ana: consent withdrawn, marketing on (by support-lead@example.com)"), (change.Source, change.Details));
        var (entries, _) = await _host.Get<AuditLog>().SearchAsync("preferences.changed", 0, 10);
        Assert.Equal(("support-lead@example.com", "user ana"), (Assert.Single(entries).Actor, entries[0].Target));
        await Assert.ThrowsAsync<BadInputException>(() => preferences.SetFromConsoleAsync(_kit.AppId, "ana", ConsentState.Granted,
            new Dictionary<string, bool> { ["nope"] = true }, Actor.System));
    }

    [Fact]
    public async Task Categories_are_edited_per_app_and_campaigns_may_choose_only_defined_ones()
    {
        var admin = _host.Get<ConsentAdmin>();
        await admin.SaveCategoryAsync(_kit.AppId, null, new CategoryForm { Key = "lost_and_found", Label = "Lost & found", DefaultEnabled = true, Transactional = true }, Actor.System);
        await admin.DeleteCategoryAsync(_kit.AppId, "gamification", Actor.System);
        var bad = await Assert.ThrowsAsync<BadInputException>(() => admin.SaveCategoryAsync(_kit.AppId, null, new CategoryForm { Key = "reminders", Label = "" }, Actor.System));
        Assert.Equal(["key", "label"], bad.Errors.Keys.Order());
        var badRules = await Assert.ThrowsAsync<BadInputException>(() => admin.SaveSettingsAsync(_kit.AppId,
            new SettingsForm { QuietStart = "25:00", QuietEnd = "08:00", FrequencyCap = 0 }, Actor.System));
        Assert.Equal(["frequencyCap", "quietStart"], badRules.Errors.Keys.Order());

        var policy = await _host.Get<ConsentCatalog>().GetAsync(_kit.AppId);
        Assert.True(policy.Find("lost_and_found")!.Transactional);
        Assert.Null(policy.Find("gamification"));

        var campaigns = _host.Get<CampaignService>();
        CampaignDraft Draft(string category) => new()
        {
            AppId = _kit.AppId, Name = "Badge hunt", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(),
            Options = new DeliveryOptions { Category = category },
        };
        var refused = await Assert.ThrowsAsync<BadInputException>(() => campaigns.CreateAsync(Draft("gamification"), Actor.System));
        Assert.Contains("lost_and_found", refused.First("options.category"));
        Assert.NotNull(await campaigns.CreateAsync(Draft("lost_and_found"), Actor.System));
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Set<Campaign>().CountAsync());
    }

    private async Task<JsonElement> Put(string userId, object body)
    {
        var response = await _kit.Client.PutAsJsonAsync($"api/v1/users/{userId}/preferences", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
