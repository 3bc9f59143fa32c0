using System.Net.Http.Json;
using Microsoft.Playwright;
using PushConsole.Devices;
using PushConsole.Sending;
using PushConsole.Tests.Campaigns.ServerApi;

namespace PushConsole.Tests.Attendee;

[Collection(BrowserCollection.Name)]
public sealed class AttendeeInboxBrowserTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task The_attendee_page_lists_the_users_messages_and_marks_one_read_when_opened_at_phone_width()
    {
        await using var kit = await ServerApiKit.StartAsync(DateTimeOffset.UtcNow);
        kit.Host.Output = output;
        await kit.RegisterAsync("ana-phone", Platform.Android, userId: "ana");
        var id = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", """
            {"to": "all", "body": {"notification": {"alert": "Now in Hall B", "url": "https://event.example/s/42",
                                                    "actions": [{"id": "going", "title": "I'm going", "url": "https://event.example/s/42/checkin"}]}}}
            """))).GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);

        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        try
        {
            await page.GotoAsync($"{kit.Host.BaseAddress.ToString().TrimEnd('/')}/attendee/{kit.Scenario.App.AppKey}?user=ana");
            var item = page.Locator("#inbox-items li");
            await Assertions.Expect(item).ToHaveCountAsync(1);
            await Assertions.Expect(item).ToHaveAttributeAsync("data-read", "false");
            await Assertions.Expect(item.Locator(".item-open")).ToHaveTextAsync("Now in Hall B");
            await Assertions.Expect(item.Locator(".state")).ToHaveTextAsync("New");

            await item.Locator(".item-open").ClickAsync();
            await Assertions.Expect(item.Locator(".body")).ToHaveTextAsync("Now in Hall B");
            await Assertions.Expect(item.Locator(".links a").First).ToHaveAttributeAsync("href", "https://event.example/s/42");
            await Assertions.Expect(item.Locator("a.action")).ToHaveTextAsync("I'm going");
            await Assertions.Expect(item).ToHaveAttributeAsync("data-read", "true");
            await Assertions.Expect(item.Locator(".state")).ToHaveTextAsync("Read");
            // nothing wider than the phone
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"));

            // the read reached the server: the inbox says so and the push counts an open
            var inbox = await kit.OkJsonAsync(await kit.Device.GetAsync("api/v1/users/ana/inbox"));
            Assert.True(inbox.GetProperty("items")[0].GetProperty("read").GetBoolean());
            Assert.Equal(1, (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"))).GetProperty("opened").GetInt64());

            // a reload remembers the user from the link and shows the item read
            await page.GotoAsync($"{kit.Host.BaseAddress.ToString().TrimEnd('/')}/attendee/{kit.Scenario.App.AppKey}");
            await Assertions.Expect(page.Locator("#inbox-items li")).ToHaveAttributeAsync("data-read", "true");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
