using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Campaigns;
using PushConsole.Devices;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Tests.Attendee;

/// <summary>A Web Push with buttons reaches the attendee page's worker; a tap on a button is reported and counted on the campaign page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ActionClickBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _s.Host.Output = output;
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task A_tap_on_a_button_in_the_workers_notification_is_counted_on_the_campaign_page()
    {
        var page = await browser.NewPageAsync();
        var origin = _s.Host.BaseAddress.ToString().TrimEnd('/');
        await page.Context.GrantPermissionsAsync(["notifications"], new() { Origin = origin });
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var registrations = new ConcurrentQueue<(string Id, string Scope)>();
        cdp.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, e) =>
        {
            foreach (var r in e!.Value.GetProperty("registrations").EnumerateArray())
                registrations.Enqueue((r.GetProperty("registrationId").GetString()!, r.GetProperty("scopeURL").GetString()!));
        };
        await cdp.SendAsync("ServiceWorker.enable");
        try
        {
            await page.GotoAsync($"{origin}/attendee/{_s.App.AppKey}");
            await page.WaitForSelectorAsync("#attendee[data-worker=ready]");
            var installationId = await page.Locator("#attendee").GetAttributeAsync("data-installation-id") ?? "";
            // headless Chromium has no push service: the page's installation gets a sandbox subscription, and CDP hands the worker what the sandbox received
            var subscription = _s.Sandbox.State.CreateWebPushSubscription(_s.App.Vapid.PublicKey);
            await _s.Host.Get<DeviceRegistry>().RegisterAsync(_s.App.Id, installationId, new InstallationRequest
            {
                Platform = "web",
                WebPush = new PushConsole.Devices.WebPushSubscription { Endpoint = subscription.Endpoint, Keys = new WebPushKeys { P256dh = subscription.P256dh, Auth = subscription.Auth } },
            });
            var message = DispatchScenario.Message("Keynote in Hall B", "Starts at 10:30") with { };
            message = message with
            {
                Variants = [message.Variants[0] with { Actions = [new PushAction { Id = "going", Title = "I'm going" }, new PushAction { Id = "skip", Title = "Not this time" }] }],
            };
            var campaign = await _s.SendAsync(new AudienceSpec { InstallationIds = [installationId] }, message, name: "Keynote invite");
            await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);
            var payload = Assert.Single(_s.Sandbox.State.WebPush.Recent()).Payload!;

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!registrations.Any(r => r.Scope == $"{origin}/attendee/") && DateTime.UtcNow < deadline) await Task.Delay(50);
            var registration = registrations.First(r => r.Scope == $"{origin}/attendee/");
            var shown = await AttendeePageBrowserTests.DeliverUntilShownAsync(cdp, page, origin, registration.Id, payload, """
                async () => {
                  const n = await (await navigator.serviceWorker.ready).getNotifications();
                  return n.length ? { title: n[0].title, actions: n[0].actions.map(a => a.action + ':' + a.title).join('|') } : null;
                }
                """);
            Assert.Equal("Keynote in Hall B", shown.GetProperty("title").GetString());
            Assert.Equal("going:I'm going|skip:Not this time", shown.GetProperty("actions").GetString());

            // the attendee taps "I'm going": the worker's click handler runs with the button's action
            await AttendeePageBrowserTests.EvaluateInWorkerAsync(cdp, "/attendee/sw.js", """
                (async () => {
                  const [n] = await self.registration.getNotifications();
                  self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n, action: 'going' }));
                  return 'clicked';
                })()
                """);

            var console = await browser.NewPageAsync();
            await console.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
            await console.GotoConsoleAsync(_s.Host, $"campaigns/{campaign.Id}");
            // the funnel re-reads every 5 s: the click shows without reloading
            await Assertions.Expect(console.Locator("#funnel-clicked")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
            await Assertions.Expect(console.Locator("#clicks-going")).ToHaveTextAsync("1");
            await Assertions.Expect(console.Locator("#clicks-skip")).ToHaveTextAsync("0");
            await Assertions.Expect(console.Locator("#funnel-opened")).ToHaveTextAsync("1");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
