using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Reports;
using PushConsole.Sending;
using PushConsole.Devices;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ComposeBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _s.Host.Output = output;
    }

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
        await Assertions.Expect(page.Locator("[data-test=recipient-count]")).ToHaveTextAsync("60");
        await Assertions.Expect(page.Locator("[data-test=count-android]")).ToHaveTextAsync("30");
        await Assertions.Expect(page.Locator("[data-test=count-ios]")).ToHaveTextAsync("18");
        await Assertions.Expect(page.Locator("[data-test=count-web]")).ToHaveTextAsync("12");

        // variant A in English and French
        await page.FillAsync("#content-title", "Keynote moved");
        await page.FillAsync("#content-body", "Now in Hall B at 10:30");
        await page.FillAsync("#new-language", "fr");
        await page.ClickAsync("[data-test=add-language]");
        await Assertions.Expect(page.Locator("#languages .mini-tab.active")).ToHaveTextAsync("fr");
        await page.FillAsync("#content-title", "La keynote change de salle");
        await page.FillAsync("#content-body", "Désormais en salle B à 10h30");
        await Assertions.Expect(page.Locator("#preview-ios .preview-title")).ToHaveTextAsync("La keynote change de salle");

        // variant B starts as a copy of A: only the titles change
        await page.ClickAsync("[data-test=add-variant]");
        await Assertions.Expect(page.Locator("#variants .mini-tab.active")).ToHaveTextAsync("B");
        await Assertions.Expect(page.Locator("[data-test=weights-sum]")).ToContainTextAsync("100 %");
        // each fill waits for the field to show the copied text: typing into the previous tab's field would edit that one
        await Assertions.Expect(page.Locator("#content-title")).ToHaveValueAsync("La keynote change de salle");
        await page.FillAsync("#content-title", "Changement de salle : keynote en B");
        await page.Locator("#content-title").BlurAsync();
        await page.ClickAsync("#languages >> text=en");
        await Assertions.Expect(page.Locator("#languages .mini-tab.active")).ToHaveTextAsync("en");
        await Assertions.Expect(page.Locator("#content-title")).ToHaveValueAsync("Keynote moved");
        await page.FillAsync("#content-title", "Room change: keynote in Hall B");
        await page.Locator("#content-title").BlurAsync();
        await Assertions.Expect(page.Locator("#preview-android .preview-title")).ToHaveTextAsync("Room change: keynote in Hall B");
        await Assertions.Expect(page.Locator("#preview-web .preview-body")).ToHaveTextAsync("Now in Hall B at 10:30");
        await Assertions.Expect(page.Locator("#preview-ios .payload-size")).ToContainTextAsync("of 4,096 bytes");
        // a throttle spreads the sends over a few seconds, so the page can be watched while they go out
        await page.FillAsync("#compose-throttle", "600");
        await page.ClickAsync("[data-test=review-send]");
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("to 60 recipients (30 Android, 18 iOS, 12 web)");
        await dialog.Locator("button:has-text('Send to 60 recipients')").ClickAsync();
        // Blazor moves on with history.pushState: poll the URL (WaitForURLAsync can miss a same-document navigation)
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/campaigns/\d+$"), new() { Timeout = 60_000 });
        var campaignId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);

        // counters and a chart move while it sends
        var sent = page.Locator("[data-test=count-sent]");
        await Assertions.Expect(sent).Not.ToHaveTextAsync("0");
        Assert.InRange(long.Parse(await sent.InnerTextAsync()), 1, 59);
        await Assertions.Expect(sent).ToHaveTextAsync("60", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-test=campaign-status]")).ToHaveTextAsync("completed");
        var chart = page.Locator("#chart-deliveries");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-chart-ready", "true");
        await page.WaitForFunctionAsync("() => { const s = document.querySelector('#chart-deliveries').dataset.chartSeries; " +
                                        "return s && JSON.parse(s)[0].data.reduce((n, p) => n + p[1], 0) === 60; }");
        Assert.True(int.Parse((await chart.GetAttributeAsync("data-chart-updates"))!) >= 1);
        await Assertions.Expect(page.Locator("#variant-A-sent")).Not.ToHaveTextAsync("0");

        // every payload went out in the recipient's language and variant
        var recent = _s.Sandbox.State.Fcm.Recent().Concat(_s.Sandbox.State.Apns.Recent()).Concat(_s.Sandbox.State.WebPush.Recent()).ToList();
        Assert.Equal(60, recent.Count(m => m.Status is >= 200 and < 300));
        // say which languages and variants went out if one is missing
        var titles = string.Join(" | ", recent.Select(m => m.Payload!).Select(p => p.Contains("Room change") ? "en-B" : p.Contains("Keynote moved") ? "en-A"
            : p.Contains("Changement") ? "fr-B" : p.Contains("La keynote") ? "fr-A" : "?").GroupBy(t => t).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(titles.Contains("en-B") && titles.Contains("en-A") && titles.Contains("fr-B") && titles.Contains("fr-A"), titles);
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
        await Assertions.Expect(page.Locator("#variant-A-opened")).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#variant-B-opened")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("#variant-B-rate")).ToHaveTextAsync($"{500.0 / b.Count:0.0} %");
        await page.WaitForFunctionAsync("() => { const s = document.querySelector('#chart-opens').dataset.chartSeries; " +
                                        "return s && JSON.parse(s)[1].data.at(-1)[1] === 7; }");
    }

    [Fact]
    public async Task Each_problem_is_named_beside_its_field_and_a_test_reaches_my_test_devices()
    {
        var devices = await _s.RegisterAsync(android: 2, ios: 1, prefix: "check");
        var other = await _s.Host.Get<PushConsole.Apps.AppService>().CreateAsync(
            new PushConsole.Apps.NewApp("No iOS app", _s.Sandbox.State.CreateServiceAccountJson("no-ios")), PushConsole.Audit.Actor.System);
        await _s.Host.Get<DeviceRegistry>().RegisterAsync(other.App.Id, "iphone-without-key",
            new InstallationRequest { Platform = "ios", PushToken = _s.Sandbox.State.NewApnsDeviceToken(), ApnsEnvironment = "production" });
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, "compose");

        // no test device yet
        await page.ClickAsync("[data-test=send-test]");
        await Assertions.Expect(page.Locator("#error-testDevices")).ToContainTextAsync("You have no test device in this app");

        // an audience nobody is in
        await page.FillAsync("#compose-name", "Checks");
        await page.FillAsync("#content-title", "Doors open");
        await page.FillAsync("#content-body", "Welcome to the venue");
        await page.ClickAsync("#audience-kind >> text=Tags");
        await page.FillAsync("#tags-any", "nobody-has-this");
        await page.ClickAsync("[data-test=review-send]");
        await Assertions.Expect(page.Locator("#error-audience")).ToContainTextAsync("Nobody matches this audience");
        // "N problems to fix" brings the first one back into view from the bottom of the form
        await page.Locator("#compose-send").ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(page.Locator("#error-audience")).Not.ToBeInViewportAsync();
        await page.ClickAsync("[data-test=compose-problems]");
        await Assertions.Expect(page.Locator("#error-audience")).ToBeInViewportAsync();
        await Assertions.Expect(page.Locator("[data-test=recipient-count]")).ToHaveTextAsync("0");

        // content in French only while English is the default
        await page.ClickAsync("#audience-kind >> text=Everyone");
        await page.FillAsync("#new-language", "fr");
        await page.ClickAsync("[data-test=add-language]");
        // each fill waits for its tab: typing before the server switched tabs would edit the other language
        var active = page.Locator("#languages .mini-tab.active");
        await Assertions.Expect(active).ToHaveTextAsync("fr");
        await page.FillAsync("#content-title", "Ouverture des portes");
        await page.Locator("#content-title").BlurAsync();
        await page.ClickAsync("#languages >> text=en");
        await Assertions.Expect(active).ToHaveTextAsync("en");
        await Assertions.Expect(page.Locator("#content-title")).ToHaveValueAsync("Doors open");
        await page.FillAsync("#content-title", "");
        await page.FillAsync("#content-body", "");
        await page.Locator("#content-body").BlurAsync();
        await page.ClickAsync("#languages >> text=fr");
        await Assertions.Expect(active).ToHaveTextAsync("fr");
        await Assertions.Expect(page.Locator("#content-title")).ToHaveValueAsync("Ouverture des portes");
        await page.ClickAsync("[data-test=review-send]");
        await Assertions.Expect(page.Locator("#languages .mini-tab.active")).ToHaveTextAsync("en");
        await Assertions.Expect(page.Locator("#error-content")).ToContainTextAsync("Content in the default language (en) is required");
        await Assertions.Expect(page.Locator("#error-audience")).ToHaveCountAsync(0);

        // a data key FCM reserves
        await page.FillAsync("#content-title", "Doors open");
        await page.ClickAsync("#content-data-add");
        await page.FillAsync("#content-data-key-0", "google.campaign");
        await page.FillAsync("#content-data-value-0", "doors");
        await page.ClickAsync("[data-test=review-send]");
        await Assertions.Expect(page.Locator("#error-content-data-0")).ToContainTextAsync("\"google.campaign\" is reserved by FCM");
        await Assertions.Expect(page.Locator("#error-content")).ToHaveCountAsync(0);

        // a body too large for APNs
        await page.FillAsync("#content-data-key-0", "session");
        await page.FillAsync("#content-body", new string('é', 2100));
        await page.ClickAsync("[data-test=review-send]");
        await Assertions.Expect(page.Locator("#error-content-body")).ToContainTextAsync("On iOS this push is");
        await Assertions.Expect(page.Locator("#error-content-body")).ToContainTextAsync("APNs allows 4,096 bytes");
        await Assertions.Expect(page.Locator("#error-content-data-0")).ToHaveCountAsync(0);

        // iOS devices in the audience of an app without an APNs key
        await page.FillAsync("#content-body", "Welcome to the venue");
        await page.ClickAsync("[data-test=compose-app]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "No iOS app" }).ClickAsync();
        // the warning, not the count (both apps have one iOS device), shows the server has switched apps
        await Assertions.Expect(page.Locator("#missing-credentials")).ToContainTextAsync("No APNs key");
        await Assertions.Expect(page.Locator("[data-test=count-ios]")).ToHaveTextAsync("1");
        await page.ClickAsync("[data-test=review-send]");
        await Assertions.Expect(page.Locator("#error-audience-platforms")).ToContainTextAsync("1 iOS devices are in the audience, but the app has no APNs key");
        await Assertions.Expect(page.Locator("#error-content-body")).ToHaveCountAsync(0);
        Assert.Empty(await _s.Host.Get<CampaignQueries>().ListAsync(null));

        // my phone becomes a test device from the lookup page, then gets the test
        var phone = devices.First(d => d.Platform == Platform.Android);
        await page.GotoConsoleAsync(_s.Host, $"lookup?q={phone.InstallationId}");
        await page.ClickAsync("button:has-text('Add to my test devices')");
        await Assertions.Expect(page.Locator("button:has-text('Remove from my test devices')")).ToBeVisibleAsync();
        await page.GotoConsoleAsync(_s.Host, "compose");
        await page.FillAsync("#content-title", "Just for me");
        await page.FillAsync("#content-body", "Checking the wording");
        await page.ClickAsync("[data-test=send-test]");
        await Assertions.Expect(page.Locator("[data-test=test-result]")).ToContainTextAsync("Test sent to 1 of your device(s)");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_s.Sandbox.State.Fcm.Recent().Any(m => m.Target == phone.Token && m.Payload!.Contains("Just for me")) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Contains(_s.Sandbox.State.Fcm.Recent(), m => m.Target == phone.Token && m.Payload!.Contains("Just for me"));
        Assert.Equal(1, _s.Sandbox.State.Fcm.Stats().Accepted + _s.Sandbox.State.Apns.Stats().Accepted);
    }

    [Fact]
    public async Task When_the_database_refuses_the_campaign_the_organizer_keeps_the_message_and_sends_it_once_it_is_back()
    {
        await _s.RegisterAsync(android: 3, prefix: "hall");
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, "compose");
        await page.FillAsync("#compose-name", "Doors open");
        await page.FillAsync("#content-title", "Doors open");
        await page.FillAsync("#content-body", "Welcome to the venue");
        await Assertions.Expect(page.Locator("[data-test=recipient-count]")).ToHaveTextAsync("3");

        // a real storage failure: SQLite aborts every insert into campaigns
        await using var connection = await _s.Host.Get<PushConsole.Data.Database>().OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "CREATE TRIGGER refuse_campaigns BEFORE INSERT ON campaigns BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
        await page.ClickAsync("[data-test=review-send]");
        await page.Locator(".mud-dialog button:has-text('Send to 3 recipients')").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("your message is still here");
        Assert.EndsWith("/compose", page.Url);
        await Assertions.Expect(page.Locator("#content-title")).ToHaveValueAsync("Doors open");
        Assert.Empty(await _s.Host.Get<CampaignQueries>().ListAsync(null));
        Assert.Contains("Compose could not save campaign", _s.Host.Logs.All);

        // storage is back: the same page sends it
        await Dapper.SqlMapper.ExecuteAsync(connection, "DROP TRIGGER refuse_campaigns;");
        // the first attempt's dialog may still be leaving the page: its button would take the click meant for the new one
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-test=review-send]");
        await page.Locator(".mud-dialog button:has-text('Send to 3 recipients')").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/campaigns/\d+$"), new() { Timeout = 60_000 });
        var campaign = Assert.Single(await _s.Host.Get<CampaignQueries>().ListAsync(null));
        Assert.Equal("Doors open", campaign.Name);
    }
}
