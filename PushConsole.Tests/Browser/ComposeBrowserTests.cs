using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Reports;
using PushConsole.Delivery;
using PushConsole.Devices;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ComposeBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task An_organizer_composes_a_two_language_ab_test_to_a_tag_previews_sends_and_sees_opens_per_variant()
    {
        await _s.RegisterAsync(android: 20, ios: 12, web: 8, tags: ["track-ai"], language: "fr", timeZone: "Europe/Paris", prefix: "ai-fr");
        await _s.RegisterAsync(android: 10, ios: 6, web: 4, tags: ["track-ai"], language: "en", prefix: "ai-en");
        await _s.RegisterAsync(android: 15, prefix: "other");
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, "compose");

        await page.FillAsync("#compose-name", "Keynote in Hall B");
        await page.ClickAsync("#audience-kind >> text=Tags");
        await page.FillAsync("#tags-any", "track-ai");
        await page.Locator("#tags-any").BlurAsync();
        await Assertions.Expect(page.Locator("#recipient-count")).ToHaveTextAsync("60");
        await Assertions.Expect(page.Locator("#count-android")).ToHaveTextAsync("30");
        await Assertions.Expect(page.Locator("#count-ios")).ToHaveTextAsync("18");
        await Assertions.Expect(page.Locator("#count-web")).ToHaveTextAsync("12");

        // variant A in English and French
        await page.FillAsync("#content-title", "Keynote moved");
        await page.FillAsync("#content-body", "Now in Hall B at 10:30");
        await page.FillAsync("#new-language", "fr");
        await page.ClickAsync("#add-language");
        await Assertions.Expect(page.Locator("#languages .rz-state-active")).ToHaveTextAsync("fr");
        await page.FillAsync("#content-title", "La keynote change de salle");
        await page.FillAsync("#content-body", "Désormais en salle B à 10h30");
        await Assertions.Expect(page.Locator("#preview-ios .preview-title")).ToHaveTextAsync("La keynote change de salle");

        // variant B starts as a copy of A: only the titles change
        await page.ClickAsync("#add-variant");
        await Assertions.Expect(page.Locator("#variants .rz-state-active")).ToHaveTextAsync("B");
        await Assertions.Expect(page.Locator("#weights-sum")).ToContainTextAsync("100 %");
        await page.FillAsync("#content-title", "Changement de salle : keynote en B");
        await page.ClickAsync("#languages >> text=en");
        await page.FillAsync("#content-title", "Room change: keynote in Hall B");
        await Assertions.Expect(page.Locator("#preview-android .preview-title")).ToHaveTextAsync("Room change: keynote in Hall B");
        await Assertions.Expect(page.Locator("#preview-web .preview-body")).ToHaveTextAsync("Now in Hall B at 10:30");
        await Assertions.Expect(page.Locator("#preview-ios .payload-size")).ToContainTextAsync("of 4,096 bytes");
        // a throttle spreads the sends over a few seconds, so the page can be watched while they go out
        await page.FillAsync("#compose-throttle input", "600");
        await page.ClickAsync("#review-send");
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("to 60 recipients (30 Android, 18 iOS, 12 web)");
        await dialog.Locator("button:has-text('Send to 60 recipients')").ClickAsync();
        await page.WaitForURLAsync("**/campaigns/*");
        var campaignId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);

        // counters and a chart move while it sends
        var sent = page.Locator("#count-sent");
        await Assertions.Expect(sent).Not.ToHaveTextAsync("0");
        Assert.InRange(long.Parse(await sent.InnerTextAsync()), 1, 59);
        await Assertions.Expect(sent).ToHaveTextAsync("60", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#campaign-status")).ToHaveTextAsync("completed");
        var chart = page.Locator("#chart-deliveries");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-chart-ready", "true");
        await page.WaitForFunctionAsync("() => { const s = document.querySelector('#chart-deliveries').dataset.chartSeries; " +
                                        "return s && JSON.parse(s)[0].data.reduce((n, p) => n + p[1], 0) === 60; }");
        Assert.True(int.Parse((await chart.GetAttributeAsync("data-chart-updates"))!) >= 1);
        await Assertions.Expect(page.Locator("#variant-A-sent")).Not.ToHaveTextAsync("0");

        // every payload went out in the recipient's language and variant
        var recent = _s.Sandbox.State.Fcm.Recent().Concat(_s.Sandbox.State.Apns.Recent()).Concat(_s.Sandbox.State.WebPush.Recent()).ToList();
        Assert.Equal(60, recent.Count(m => m.Status is >= 200 and < 300));
        Assert.Contains(recent, m => m.Payload!.Contains("Changement de salle : keynote en B"));
        Assert.Contains(recent, m => m.Payload!.Contains("Room change: keynote in Hall B"));
        Assert.Contains(recent, m => m.Payload!.Contains("La keynote change de salle"));

        // the apps report opens: 2 of variant A, 5 of variant B
        var stats = _s.Host.Get<CampaignStats>();
        var a = (await stats.DeliveriesAsync(campaignId, new DeliveryFilter(Variant: "A"), 0, 100)).Rows;
        var b = (await stats.DeliveriesAsync(campaignId, new DeliveryFilter(Variant: "B"), 0, 100)).Rows;
        var client = _s.Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", _s.App.AppKey);
        var events = a.Take(2).Concat(b.Take(5)).Select(d => new { installationId = d.InstallationId, type = "notification_opened", deliveryId = d.Id.ToString() });
        var response = await client.PostAsJsonAsync("api/v1/events", events);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await Assertions.Expect(page.Locator("#variant-A-opened")).ToHaveTextAsync("2", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#variant-B-opened")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("#variant-B-rate")).ToHaveTextAsync($"{500.0 / b.Count:0.0} %");
        await page.WaitForFunctionAsync("() => { const s = document.querySelector('#chart-opens').dataset.chartSeries; " +
                                        "return s && JSON.parse(s)[1].data.at(-1)[1] === 7; }");
    }
}
