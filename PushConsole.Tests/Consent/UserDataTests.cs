using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using PushConsole.Campaigns;
using PushConsole.Consent;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Devices;

namespace PushConsole.Tests.Consent;

/// <summary>
/// A user with a phone, an iPhone and a browser who got a campaign, opened it, set preferences, opted out, was looked at
/// through the API — and someone else who now uses a phone she used before. Export and erasure run on it.
/// </summary>
public sealed class GdprScenario(DispatchScenario s)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    public string UserId => $"erase-me-{_suffix}";
    public string Email => $"Erase.Me.{_suffix}@Example.com";
    public string OtherUserId => $"keep-me-{_suffix}";
    public List<string> Tokens { get; } = [];
    public string OtherToken { get; private set; } = "";
    public long CampaignId { get; private set; }

    public HttpClient Server()
    {
        var client = s.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{s.App.AppKey}:{MasterSecret}")));
        return client;
    }

    public string MasterSecret { get; set; } = "";

    public async Task BuildAsync()
    {
        var registry = s.Host.Get<DeviceRegistry>();
        // her zone is known; the test must not wait for her night to end
        await s.SetRulesAsync(r => r.QuietHoursEnabled = false);
        var apns = s.Sandbox.State.NewApnsDeviceToken();
        var web = s.Sandbox.State.CreateWebPushSubscription(s.App.Vapid.PublicKey);
        var fcm = await s.DeviceAsync("her-phone", UserId, "Europe/Warsaw");
        await registry.RegisterAsync(s.App.Id, "her-iphone", new InstallationRequest
            { Platform = "ios", PushToken = apns, ApnsEnvironment = "production", UserId = UserId, DeviceModel = "iPhone15,2", Tags = ["vip"] });
        await registry.RegisterAsync(s.App.Id, "her-browser", new InstallationRequest
            { Platform = "web", WebPush = new() { Endpoint = web.Endpoint, Keys = new() { P256dh = web.P256dh, Auth = web.Auth } }, UserId = UserId });
        Tokens.AddRange([fcm, apns, web.Endpoint, web.P256dh, web.Auth]);
        // a phone she used, now someone else's: its token is theirs now
        OtherToken = await s.DeviceAsync("shared-phone", UserId);
        await registry.SetUserAsync(s.App.Id, "shared-phone", OtherUserId);

        using var server = Server();
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync($"v4/users/{UserId}", new
        {
            email = Email, displayName = "Erase Me", attributes = new Dictionary<string, object> { ["company"] = "Acme", ["role"] = "speaker" }, tags = new[] { "day-1" },
        })).StatusCode);
        await s.PreferencesAsync(UserId, consent: true, categories: new() { ["marketing"] = true });

        var campaign = await s.SendAndWaitAsync("Speaker dinner tonight", "networking",
            new AudienceSpec { UserIds = [UserId, OtherUserId] });
        CampaignId = campaign.Id;
        long delivery;
        await using (var connection = await s.Host.Get<Database>().OpenAsync())
            delivery = await connection.ExecuteScalarAsync<long>(
                "SELECT d.id FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE i.external_id = 'her-phone' AND d.campaign_id = @id", new { id = campaign.Id });
        using var device = s.Host.CreateClient();
        device.DefaultRequestHeaders.Add("X-App-Key", s.App.AppKey);
        var opened = await device.PostAsJsonAsync("api/v1/events", new
        {
            installationId = "her-phone", type = "notification_opened", deliveryId = delivery.ToString(), properties = new { account = Email },
        });
        Assert.Equal(HttpStatusCode.Accepted, opened.StatusCode);
        await s.PreferencesAsync(UserId, consent: false);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync($"v4/users/{UserId}?reveal_tokens=true")).StatusCode);
    }
}

public sealed class UserDataTests : IAsyncLifetime
{
    private DispatchScenario _s = default!;
    private GdprScenario _g = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _g = new GdprScenario(_s) { MasterSecret = await NewMasterSecretAsync(_s) };
        await _g.BuildAsync();
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    /// <summary>The scenario's app was created without keeping its master secret: rotate one for the server API.</summary>
    public static Task<string> NewMasterSecretAsync(DispatchScenario s) => s.Host.Get<PushConsole.Apps.AppService>().RotateMasterSecretAsync(s.App.Id, Audit.Actor.System);

    [Fact]
    public async Task The_export_contains_the_users_profile_devices_tokens_changelog_deliveries_events_and_opt_outs()
    {
        using var server = _g.Server();
        var response = await server.GetAsync($"v4/users/{_g.UserId}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();
        var text = export.GetRawText();
        Assert.All(_g.Tokens, token => Assert.Contains(JsonSerializer.Serialize(token)[1..^1], text));
        var profile = export.GetProperty("profile");
        Assert.Equal((_g.UserId, _g.Email, "denied", "Acme"), (profile.GetProperty("userId").GetString(), profile.GetProperty("email").GetString(),
            profile.GetProperty("consent").GetProperty("state").GetString(), profile.GetProperty("attributes").GetProperty("company").GetString()));
        var installations = export.GetProperty("installations").EnumerateArray().ToDictionary(i => i.GetProperty("installationId").GetString()!);
        Assert.Equal(["her-browser", "her-iphone", "her-phone", "shared-phone"], installations.Keys.Order());
        Assert.Equal("iPhone15,2", installations["her-iphone"].GetProperty("deviceModel").GetString());
        Assert.Contains(installations["her-phone"].GetProperty("changelog").EnumerateArray(), c => c.GetProperty("details").GetString()?.Contains("consent withdrawn") == true);
        // the phone that is someone else's now: only what concerns her, and not its current token
        var shared = installations["shared-phone"];
        Assert.False(shared.GetProperty("current").GetBoolean());
        Assert.False(shared.TryGetProperty("token", out _));
        Assert.Equal(3, export.GetProperty("deliveries").GetArrayLength());
        Assert.All(export.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("sent", d.GetProperty("status").GetString()));
        var opened = Assert.Single(export.GetProperty("events").EnumerateArray());
        Assert.Equal(_g.Email, opened.GetProperty("properties").GetProperty("account").GetString());
        Assert.Equal("consent_withdrawn", Assert.Single(export.GetProperty("opt_outs").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Contains(export.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "token.revealed");
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/users/nobody/export")).StatusCode);
    }

    [Fact]
    public async Task Erasure_leaves_no_personal_data_in_any_table_nor_in_the_database_files_and_keeps_anonymous_counts()
    {
        var before = await _s.Host.Get<EngagementStats>().ForCampaignAsync(_g.CampaignId);
        using var server = _g.Server();

        var erased = await server.DeleteAsync($"v4/users/{_g.UserId}");

        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        string[] personal = [_g.UserId, _g.Email, _g.Email.ToLowerInvariant(), .. _g.Tokens];
        var found = await DatabaseScan.FindAsync(_s.Host, [.. personal, _g.OtherUserId, _g.OtherToken]);
        Assert.All(personal, needle => Assert.True(found[needle].Count == 0, $"{needle} is still in {string.Join(", ", found[needle])}"));
        // the scan does find what is still held: the other user's id and token, in tables and in the file
        Assert.Contains("installations.token", found[_g.OtherToken]);
        Assert.Contains("app_users.external_id", found[_g.OtherUserId]);
        Assert.Contains(found[_g.OtherToken], f => f.StartsWith("pushconsole.db", StringComparison.Ordinal));

        // statistics stay as anonymous counts; each of her devices keeps one erased entry
        Assert.Equal(before, await _s.Host.Get<EngagementStats>().ForCampaignAsync(_g.CampaignId));
        Assert.Equal(4, (await _s.Host.Get<DispatchProgress>().SnapshotAsync(_g.CampaignId)).Sent);
        await using var connection = await _s.Host.Get<Database>().OpenAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM token_changes WHERE kind = 'erased'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE user_id IS NOT NULL AND campaign_id = @id AND user_id NOT IN (SELECT id FROM app_users)", new { id = _g.CampaignId }));
        var (audit, _) = await _s.Host.Get<Audit.AuditLog>().SearchAsync("user.erased", 0, 10);
        Assert.Contains("3 installation(s)", Assert.Single(audit).Details);
        Assert.Equal(HttpStatusCode.NotFound, (await server.DeleteAsync($"v4/users/{_g.UserId}")).StatusCode);
    }
}
