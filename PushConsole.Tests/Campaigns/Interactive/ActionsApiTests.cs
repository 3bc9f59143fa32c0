using System.Text.Json;
using PushConsole.Devices;
using PushConsole.Sending;
using PushConsole.Sending.Launch;
using PushConsole.Tests.Campaigns.ServerApi;

namespace PushConsole.Tests.Campaigns.Interactive;

public sealed class ActionsApiTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private const string Interactive = """
        {"to": "all",
         "body": {"notification": {"alert": "Keynote in Hall B", "url": "https://event.example/s/42",
                                   "actions": [{"id": "going", "title": "I'm going", "url": "app://session/42/checkin"},
                                               {"id": "skip", "title": "Not this time"}],
                                   "ios": {"category": "SESSION_INVITE"}},
                  "options": {"multi_language": {"fr": {"alert": "Keynote en salle B", "actions": {"going": "J'y vais"}}},
                              "conversion": {"event": "session_checked_in", "within_seconds": 7200}}}}
        """;

    [Fact]
    public async Task Buttons_and_the_link_reach_each_provider_in_its_own_form_with_titles_per_language()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        var android = await kit.RegisterAsync("android-fr", Platform.Android, language: "fr");
        var iphone = await kit.RegisterAsync("iphone-en", Platform.Ios);
        await kit.RegisterAsync("browser-en", Platform.Web);

        var id = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", Interactive))).GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);

        var fcm = JsonDocument.Parse(kit.Sandbox.State.Fcm.Recent().Single(m => m.Target == android).Payload!).RootElement.GetProperty("message");
        var data = fcm.GetProperty("data");
        Assert.Equal("https://event.example/s/42", data.GetProperty("link").GetString());
        var fcmActions = JsonDocument.Parse(data.GetProperty("actions").GetString()!).RootElement;
        Assert.Equal(["going", "skip"], fcmActions.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        // French title for the translated button, the default title for the other
        Assert.Equal("J'y vais", fcmActions[0].GetProperty("title").GetString());
        Assert.Equal("Not this time", fcmActions[1].GetProperty("title").GetString());
        Assert.Equal("app://session/42/checkin", fcmActions[0].GetProperty("url").GetString());
        Assert.Equal("SESSION_INVITE", fcm.GetProperty("android").GetProperty("notification").GetProperty("click_action").GetString());

        var apns = JsonDocument.Parse(kit.Sandbox.State.Apns.Recent().Single(m => m.Target == iphone).Payload!).RootElement;
        Assert.Equal("SESSION_INVITE", apns.GetProperty("aps").GetProperty("category").GetString());
        Assert.Equal("https://event.example/s/42", apns.GetProperty("link").GetString());
        Assert.Equal("I'm going", apns.GetProperty("actions")[0].GetProperty("title").GetString());
        Assert.Equal("skip", apns.GetProperty("actions")[1].GetProperty("id").GetString());

        var web = JsonDocument.Parse(Assert.Single(kit.Sandbox.State.WebPush.Recent()).Payload!).RootElement;
        Assert.Equal(["going", "skip"], web.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("action").GetString()));
        Assert.Equal("I'm going", web.GetProperty("actions")[0].GetProperty("title").GetString());
        Assert.Equal("app://session/42/checkin", web.GetProperty("actions")[0].GetProperty("url").GetString());
        Assert.Equal("https://event.example/s/42", web.GetProperty("data").GetProperty("url").GetString());

        // the stored campaign keeps the goal for its conversions
        var campaign = await kit.Host.Get<PushConsole.Campaigns.CampaignService>().GetAsync(id);
        Assert.Equal("session_checked_in", campaign.Options.Conversion?.Event);
        Assert.Equal(7200, campaign.Options.Conversion?.WithinSeconds);
    }

    [Theory]
    [InlineData("""[{"id": "a", "title": "A"}, {"id": "b", "title": "B"}, {"id": "c", "title": "C"}, {"id": "d", "title": "D"}]""", null, "body.notification.actions")]
    [InlineData("""[{"id": "going", "title": "A"}, {"id": "going", "title": "B"}]""", null, "body.notification.actions[1].id")]
    [InlineData("""[{"id": "Going!", "title": "A"}]""", null, "body.notification.actions[0].id")]
    [InlineData("""[{"id": "going", "title": "A", "url": "http://event.example/s/42"}]""", null, "body.notification.actions[0].url")]
    [InlineData("""[{"id": "going", "title": "A", "url": "javascript:alert(1)"}]""", null, "body.notification.actions[0].url")]
    [InlineData("""[{"id": "going", "title": "A"}]""", """{"multi_language": {"fr": {"alert": "x", "actions": {"maybe": "Peut-être"}}}}""", "body.options.multi_language.fr.actions.maybe")]
    [InlineData("""[{"id": "going", "title": "A"}]""", """{"conversion": {"event": "session_checked_in", "within_seconds": 2592001}}""", "body.options.conversion.within_seconds")]
    [InlineData("""[{"id": "going", "title": "A"}]""", """{"devices": "newest"}""", "body.options.devices")]
    public async Task Bad_buttons_links_and_goals_are_refused_naming_the_field_and_nothing_is_stored(string actions, string? options, string field)
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("phone", Platform.Android);
        var body = """{"to": "all", "body": {"notification": {"alert": "Hi", "actions": """ + actions + "}" + (options is null ? "" : ", \"options\": " + options) + "}}";
        await ServerApiKit.ProblemAsync(await kit.PostAsync("v4/push", body), 400, field);
        Assert.Equal(0, await kit.CampaignCountAsync());
    }

    [Fact]
    public async Task A_body_link_that_is_neither_https_nor_an_app_link_is_refused()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await ServerApiKit.ProblemAsync(await kit.PostAsync("v4/push", """{"to": "all", "body": {"notification": {"alert": "Hi", "url": "http://event.example"}}}"""),
            400, "body.notification.url");
        Assert.Equal(0, await kit.CampaignCountAsync());
    }

    private static string Android(string alert, string rest) =>
        "{\"to\": \"all\", \"body\": {\"platform\": \"android\", \"notification\": {\"alert\": \"" + alert + "\"" + rest + "}}}";

    [Fact]
    public async Task Buttons_count_in_the_payload_size_check()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        // a text that fits alone, but not with three long button URLs beside it
        var alert = new string('a', 3000);
        var url = "https://event.example/" + new string('u', 400);
        var actions = string.Join(", ", Enumerable.Range(0, 3).Select(i => $$"""{"id": "b{{i}}", "title": "Button {{i}}", "url": "{{url}}"}"""));
        var fits = await kit.PostAsync("v4/push", Android(alert, ""));
        Assert.True(fits.IsSuccessStatusCode, await fits.Content.ReadAsStringAsync());
        await ServerApiKit.ProblemAsync(await kit.PostAsync("v4/push",
            Android(alert, ", \"actions\": [" + actions + "]")), 400, "body.notification.alert");
    }

    [Fact]
    public async Task Last_active_sends_to_each_users_last_seen_device_only_and_the_compose_count_follows()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("ana-tablet", Platform.Android, userId: "ana");
        kit.Clock.Advance(TimeSpan.FromMinutes(5));
        await kit.RegisterAsync("ana-phone", Platform.Ios, userId: "ana");
        await kit.RegisterAsync("kiosk", Platform.Android);
        const string Body = """{"to": "all", "body": {"notification": {"alert": "Hi"}, "options": {"devices": "DEVICES"}}}""";

        var all = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", Body.Replace("DEVICES", "all")))).GetProperty("msg_id").GetString()!);
        var last = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", Body.Replace("DEVICES", "last_active")))).GetProperty("msg_id").GetString()!);
        Assert.Equal(["ana-phone", "ana-tablet", "kiosk"], (await kit.DeliveriesAsync(all)).Select(d => d.InstallationId));
        // ana's phone was seen last; a device without a user is its own last device
        Assert.Equal(["ana-phone", "kiosk"], (await kit.DeliveriesAsync(last)).Select(d => d.InstallationId));

        var counter = kit.Host.Get<PushConsole.Campaigns.Compose.AudienceCounter>();
        Assert.Equal(3, (await counter.CountAsync(kit.AppId, AudienceSpec.Everyone, PushConsole.Sending.Providers.PushType.Alert)).Total);
        Assert.Equal(2, (await counter.CountAsync(kit.AppId, AudienceSpec.Everyone, PushConsole.Sending.Providers.PushType.Alert, default, DeviceChoice.LastActive)).Total);
    }
}
