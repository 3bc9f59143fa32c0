using System.Net;
using System.Text.Json;
using PushConsole.Campaigns;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns.ServerApi;

public sealed class PushApiTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_push_reaches_each_platform_in_each_language_with_its_titles_options_and_custom_args()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        var frAndroid = await kit.RegisterAsync("android-fr", Platform.Android, "Europe/Paris", language: "fr-FR");
        var enAndroid = await kit.RegisterAsync("android-en", Platform.Android, "Europe/London");
        var frIphone = await kit.RegisterAsync("iphone-fr", Platform.Ios, "Europe/Paris", language: "fr");
        await kit.RegisterAsync("browser-de", Platform.Web, "Europe/Berlin", language: "de");

        var answer = await kit.OkJsonAsync(await kit.PostAsync("v4/push", """
            {"from": "push", "to": "all",
             "body": {"platform": "all",
                      "notification": {"alert": "Doors open at 9", "android": {"title": "Welcome", "extras": {"gate": "B", "floor": 2}},
                                       "ios": {"alert": {"title": "Welcome on iOS"}, "sound": "default", "badge": 1},
                                       "web": {"title": "Welcome on the web", "url": "https://event.example.com/doors"}},
                      "options": {"time_to_live": 3600, "collapse_id": "doors", "priority": "normal",
                                  "multi_language": {"fr": {"title": "Bienvenue", "alert": "Ouverture des portes à 9h"}}}},
             "custom_args": {"source": "crm", "batch": 12}}
            """));
        Assert.True(answer.TryGetProperty("request_id", out _));
        var id = long.Parse(answer.GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);

        JsonElement Fcm(string token) => JsonDocument.Parse(kit.Sandbox.State.Fcm.Recent().Single(m => m.Target == token).Payload!).RootElement.GetProperty("message");
        var fr = Fcm(frAndroid);
        // the recipient's translation wins over the (default-language) Android title; fr-FR falls back to fr
        Assert.Equal("Bienvenue", fr.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("Ouverture des portes à 9h", fr.GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal("NORMAL", fr.GetProperty("android").GetProperty("priority").GetString());
        Assert.Equal("3600s", fr.GetProperty("android").GetProperty("ttl").GetString());
        Assert.Equal("doors", fr.GetProperty("android").GetProperty("collapse_key").GetString());
        var en = Fcm(enAndroid);
        Assert.Equal("Welcome", en.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("Doors open at 9", en.GetProperty("notification").GetProperty("body").GetString());
        foreach (var data in new[] { fr.GetProperty("data"), en.GetProperty("data") })
        {
            Assert.Equal("B", data.GetProperty("gate").GetString());
            Assert.Equal("2", data.GetProperty("floor").GetString());
            Assert.Equal("crm", data.GetProperty("source").GetString());
            Assert.Equal("12", data.GetProperty("batch").GetString());
        }

        var ios = JsonDocument.Parse(kit.Sandbox.State.Apns.Recent().Single(m => m.Target == frIphone).Payload!).RootElement;
        Assert.Equal("Bienvenue", ios.GetProperty("aps").GetProperty("alert").GetProperty("title").GetString());
        Assert.Equal(1, ios.GetProperty("aps").GetProperty("badge").GetInt32());
        Assert.Equal("crm", ios.GetProperty("source").GetString());
        var web = JsonDocument.Parse(Assert.Single(kit.Sandbox.State.WebPush.Recent()).Payload!).RootElement;
        Assert.Equal("Welcome on the web", web.GetProperty("title").GetString());
        Assert.Equal("Doors open at 9", web.GetProperty("body").GetString());
        Assert.Equal("https://event.example.com/doors", web.GetProperty("url").GetString());
        Assert.Equal("crm", web.GetProperty("data").GetProperty("source").GetString());

        var view = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"));
        Assert.Equal(4, view.GetProperty("sent").GetInt64());
        Assert.Equal(2, view.GetProperty("by_platform").GetProperty("android").GetProperty("sent").GetInt64());
        Assert.Equal(1, view.GetProperty("by_provider").GetProperty("webpush").GetProperty("sent").GetInt64());
    }

    [Fact]
    public async Task A_data_only_message_is_a_background_push_and_the_audience_filters_intersect()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("speaker-phone", Platform.Android, userId: "ana", tags: ["speaker", "track-ai"]);
        await kit.RegisterAsync("speaker-iphone", Platform.Ios, userId: "bo", tags: ["speaker", "track-ai"]);
        await kit.RegisterAsync("speaker-other-track", Platform.Android, userId: "cy", tags: ["speaker", "track-web"]);
        await kit.RegisterAsync("staff-phone", Platform.Android, userId: "dee", tags: ["staff", "track-ai"]);
        await kit.RegisterAsync("muted-speaker", Platform.Android, userId: "eve", tags: ["speaker", "track-ai", "muted"]);

        var answer = await kit.OkJsonAsync(await kit.PostAsync("v4/push", """
            {"to": {"tag": ["speaker", "staff"], "tag_and": ["track-ai"], "tag_not": ["muted"], "user_id": ["ana", "bo", "dee", "eve"]},
             "body": {"platform": ["android"], "message": {"msg_content": "sync_agenda", "title": "Agenda", "extras": {"rev": 42}}}}
            """));
        var id = long.Parse(answer.GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);
        // speaker or staff, on track-ai, not muted, among the users listed, on Android: ana and dee
        Assert.Equal(["speaker-phone", "staff-phone"], (await kit.DeliveriesAsync(id)).Select(r => r.InstallationId));
        foreach (var sent in kit.Sandbox.State.Fcm.Recent())
        {
            var message = JsonDocument.Parse(sent.Payload!).RootElement.GetProperty("message");
            Assert.False(message.TryGetProperty("notification", out _));
            Assert.Equal("sync_agenda", message.GetProperty("data").GetProperty("msg_content").GetString());
            Assert.Equal("Agenda", message.GetProperty("data").GetProperty("title").GetString());
            Assert.Equal("42", message.GetProperty("data").GetProperty("rev").GetString());
            Assert.Equal("NORMAL", message.GetProperty("android").GetProperty("priority").GetString());
        }
        Assert.Equal("message", (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"))).GetProperty("message_type").GetString());
    }

    [Fact]
    public async Task A_request_id_sends_once_for_24_hours_whether_replayed_in_turn_or_at_the_same_time()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        for (var i = 0; i < 3; i++) await kit.RegisterAsync($"phone-{i}", Platform.Android);
        const string Push = """{"to": "all", "body": {"notification": {"alert": "Lunch is served"}}, "request_id": "lunch-0302"}""";

        // a refused first try does not use the id up
        await ServerApiKit.ProblemAsync(await kit.PostAsync("v4/push",
            """{"to": "all", "body": {"notification": {"alert": "Lunch"}, "options": {"time_to_live": -1}}, "request_id": "lunch-0302"}"""),
            400, "body.options.time_to_live");
        Assert.Equal(0, await kit.CampaignCountAsync());

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ => await (await kit.PostAsync("v4/push", Push)).Content.ReadAsStringAsync()));
        Assert.Single(answers.Distinct());
        var first = JsonDocument.Parse(answers[0]).RootElement;
        Assert.Equal("lunch-0302", first.GetProperty("request_id").GetString());
        var id = long.Parse(first.GetProperty("msg_id").GetString()!);
        Assert.Equal(1, await kit.CampaignCountAsync());
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);

        // later the same day, even with another body: the first answer, nothing sent
        var replay = await kit.PostAsync("v4/push", """{"to": "all", "body": {"notification": {"alert": "Dinner"}}, "request_id": "lunch-0302"}""");
        Assert.Equal(answers[0], await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", replay.Headers.GetValues(ServerApiRegistration.ReplayHeader).Single());
        Assert.Equal(1, await kit.CampaignCountAsync());
        Assert.Equal(3, kit.Accepted);
        Assert.Equal(0, kit.Sandbox.State.Fcm.Stats().Duplicates);

        // another id is another push; after 24 hours the id may be used again
        var other = await kit.OkJsonAsync(await kit.PostAsync("v4/push", Push.Replace("lunch-0302", "lunch-0303")));
        Assert.NotEqual(id.ToString(), other.GetProperty("msg_id").GetString());
        await kit.Scenario.WaitForAsync(long.Parse(other.GetProperty("msg_id").GetString()!), CampaignStatus.Completed);
        kit.Clock.Advance(TimeSpan.FromHours(24.5));
        var nextDay = await kit.OkJsonAsync(await kit.PostAsync("v4/push", Push));
        Assert.NotEqual(id.ToString(), nextDay.GetProperty("msg_id").GetString());
        Assert.Equal(3, await kit.CampaignCountAsync());
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_and_another_apps_message_is_not_found()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("phone", Platform.Android);
        var id = (await kit.OkJsonAsync(await kit.PostAsync("v4/push", """{"to": "all", "body": {"notification": {"alert": "Hi"}}}"""))).GetProperty("msg_id").GetString();

        using var wrong = kit.Client(kit.Scenario.App.AppKey, "not-the-secret");
        var refused = await wrong.PostAsync("v4/push", new StringContent("""{"to": "all", "body": {"notification": {"alert": "Hi"}}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var anonymous = kit.Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v4/push_plan")).StatusCode);
        Assert.Equal(1, await kit.CampaignCountAsync());

        var other = await kit.Host.Get<PushConsole.Apps.AppService>().CreateAsync(new PushConsole.Apps.NewApp("Other app"), PushConsole.Audit.Actor.System);
        using var stranger = kit.Client(other.App.AppKey, other.MasterSecret);
        var notFound = await stranger.GetAsync($"v4/messages/{id}");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await kit.Api.GetAsync($"v4/messages/{id}")).StatusCode);
    }
}
