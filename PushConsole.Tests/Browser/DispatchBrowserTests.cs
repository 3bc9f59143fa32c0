using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Campaigns;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DispatchBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _s.Host.Output = output;
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task The_campaign_page_shows_counters_moving_live_and_pauses_and_resumes_the_campaign()
    {
        await _s.RegisterAsync(android: 1200);
        _s.Sandbox.State.Fcm.Latency = TimeSpan.FromMilliseconds(15);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        // 1,200 at 2,400/min take 30 s: time enough to open the page and pause it even on a loaded box
        var campaign = await _s.SendAsync(throttlePerMinute: 2_400, name: "Live one");

        await page.GotoConsoleAsync(_s.Host, $"campaigns/{campaign.Id}");
        var sent = page.Locator("[data-test=count-sent]");
        // the number changes on the open page without reloading it
        await Assertions.Expect(sent).Not.ToHaveTextAsync("0");
        var first = long.Parse((await sent.InnerTextAsync()).Replace(",", ""));
        Assert.InRange(first, 1, 1199);
        await page.ClickAsync("[data-test=pause-campaign]");
        await Assertions.Expect(page.Locator("[data-test=campaign-status]")).ToHaveTextAsync("paused");
        await Assertions.Expect(page.Locator("[data-test=resume-campaign]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-test=resume-campaign]");
        await Assertions.Expect(sent).ToHaveTextAsync("1,200", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-test=campaign-status]")).ToHaveTextAsync("completed");
        await Assertions.Expect(page.Locator("[data-test=count-queued]")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task Support_reads_a_device_s_deliveries_and_sends_it_a_test_push_from_the_lookup_page()
    {
        var devices = await _s.RegisterAsync(android: 1, ios: 1, prefix: "support");
        var iphone = devices.Single(d => d.Platform == Platform.Ios);
        _s.Sandbox.State.Apns.Fail(iphone.Token, new PushConsole.Sandbox.SandboxFailure(410, "Unregistered"));
        var campaign = await _s.SendAsync(name: "Welcome to the venue");
        await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);

        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Support), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, $"lookup?q={iphone.InstallationId}");
        var device = page.Locator($".lookup-installation[data-installation-id={iphone.InstallationId}]");
        await Assertions.Expect(device.Locator(".delivery-history")).ToContainTextAsync("Welcome to the venue");
        await Assertions.Expect(device.Locator(".delivery-outcome")).ToHaveTextAsync("not delivered: the provider says the token is dead (Unregistered)");
        await Assertions.Expect(device.Locator(".change-sentence").First).ToContainTextAsync("invalidated by APNs: Unregistered");

        var android = devices.Single(d => d.Platform == Platform.Android);
        await page.GotoConsoleAsync(_s.Host, $"lookup?q={android.InstallationId}");
        device = page.Locator($".lookup-installation[data-installation-id={android.InstallationId}]");
        await Assertions.Expect(device.Locator(".delivery-outcome")).ToHaveTextAsync("sent (accepted by the provider)");
        await device.Locator("button:has-text('Send test push')").ClickAsync();
        await page.FillAsync("#test-title", "Can you see this?");
        await page.ClickAsync("#send-test-push");
        // the push goes to the provider and back before the outcome shows: server work
        await Assertions.Expect(page.Locator("#test-push-outcome")).ToHaveTextAsync("Sent", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#test-push-answer")).ToContainTextAsync("HTTP/2 200");
        Assert.Contains(_s.Sandbox.State.Fcm.Recent(), m => m.Target == android.Token && m.Payload!.Contains("Can you see this?"));
    }
}
