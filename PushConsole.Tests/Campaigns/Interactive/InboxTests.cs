using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PushConsole.Devices;
using PushConsole.Sending;
using PushConsole.Tests.Campaigns.ServerApi;

namespace PushConsole.Tests.Campaigns.Interactive;

public sealed class InboxTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_inbox_lists_visible_pushes_even_to_those_who_refused_notifications_marks_reads_as_opens_and_forgets_after_30_days()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await kit.RegisterAsync("ana-phone", Platform.Android, userId: "ana");
        await kit.RegisterAsync("bo-phone", Platform.Android, userId: "bo");
        var refused = await kit.Device.PutAsJsonAsync("api/v1/users/bo/preferences", new { consent = false });
        Assert.True(refused.IsSuccessStatusCode, await refused.Content.ReadAsStringAsync());

        var id = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", """
            {"to": "all", "body": {"notification": {"alert": "Keynote moved to Hall B", "url": "https://event.example/s/42",
                                                    "actions": [{"id": "going", "title": "I'm going"}]}}}
            """))).GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);
        // a data-only push is no inbox item
        await kit.Scenario.WaitForAsync(long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push",
            """{"to": "all", "body": {"message": {"msg_content": "sync"}}}"""))).GetProperty("msg_id").GetString()!), CampaignStatus.Completed);
        Assert.Equal(DeliveryStatus.Suppressed, (await kit.DeliveriesAsync(id)).Single(d => d.InstallationId == "bo-phone").Status);

        async Task<JsonElement> InboxAsync(string user) =>
            (await kit.OkJsonAsync(await kit.Device.GetAsync($"api/v1/users/{user}/inbox"))).GetProperty("items");
        var ana = Assert.Single((await InboxAsync("ana")).EnumerateArray());
        Assert.Equal("Keynote moved to Hall B", ana.GetProperty("body").GetString());
        Assert.Equal("https://event.example/s/42", ana.GetProperty("url").GetString());
        Assert.Equal("going", ana.GetProperty("actions")[0].GetProperty("id").GetString());
        Assert.False(ana.GetProperty("read").GetBoolean());
        // bo refused notifications: nothing reached the phone, the announcement is in the app
        var bo = Assert.Single((await InboxAsync("bo")).EnumerateArray());
        Assert.Equal("Keynote moved to Hall B", bo.GetProperty("body").GetString());

        var anaDelivery = ana.GetProperty("deliveryId").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Device.PostAsync($"api/v1/users/bo/inbox/{anaDelivery}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await kit.Device.PostAsync($"api/v1/users/ana/inbox/{anaDelivery}/read", null)).StatusCode);
        Assert.True((await InboxAsync("ana"))[0].GetProperty("read").GetBoolean());
        Assert.Equal(1, (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"))).GetProperty("opened").GetInt64());

        kit.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(0, (await InboxAsync("ana")).GetArrayLength());
    }
}
