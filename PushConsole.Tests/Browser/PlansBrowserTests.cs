using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PlansBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _s.Host.Output = output;
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task An_organizer_creates_a_plan_and_reads_its_campaigns_and_statistics_by_platform()
    {
        await _s.RegisterAsync(android: 3, ios: 1);
        await _s.Host.Get<PlanService>().CreateAsync(_s.App.Id, "spring_sale", "Spring sale 2026", Actor.System);
        var campaign = await _s.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = _s.App.Id, Name = "Spring sale opens", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(), PlanKey = "spring_sale",
        }, Actor.System);
        await _s.WaitForAsync(campaign.Id, CampaignStatus.Completed);

        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, "plans");
        await Assertions.Expect(page.Locator("[data-test=plans-grid]")).ToContainTextAsync("Spring sale 2026");

        // a duplicate id is named beside its field; a new one appears in the list
        await page.FillAsync("#plan-id", "spring_sale");
        await page.ClickAsync("[data-test=create-plan]");
        await Assertions.Expect(page.Locator("[data-test=new-plan] .field-error").Nth(1)).ToContainTextAsync("already a plan");
        await page.FillAsync("#plan-id", "summer_sale");
        await page.FillAsync("#plan-description", "Summer sale 2026");
        await page.ClickAsync("[data-test=create-plan]");
        await Assertions.Expect(page.Locator("[data-test=plans-grid]")).ToContainTextAsync("summer_sale");

        await page.GetByRole(AriaRole.Link, new() { Name = "spring_sale" }).ClickAsync();
        await Assertions.Expect(page.Locator("#plan-key")).ToHaveTextAsync("spring_sale");
        await Assertions.Expect(page.Locator("#stat-sent")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#by-platform tr[data-key=android] td").Nth(2)).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#by-provider tr[data-key=apns] td").Nth(2)).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-test=plan-campaigns]")).ToContainTextAsync("Spring sale opens");
        await Assertions.Expect(page.Locator("#by-provider tr[data-key=apns] td").First).ToHaveTextAsync("APNs (iOS)");
        // the three breakdowns sit apart at a desktop width
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var id in new[] { "#by-platform", "#by-provider", "#by-message-type" }) boxes.Add((await page.Locator(id).BoundingBoxAsync())!);
        for (var i = 0; i < boxes.Count; i++)
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
                Assert.False(overlap, $"breakdown tables {i} and {j} overlap");
            }
    }

    [Fact]
    public async Task Support_sees_a_devices_activity_profile_and_its_best_hour_on_the_lookup_page()
    {
        var device = (await _s.RegisterAsync(android: 1, timeZone: "Europe/Warsaw", prefix: "active"))[0];
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        await _s.Host.Get<ClientEvents>().RecordAsync(_s.App.Id,
        [
            new ClientEventRequest { InstallationId = device.InstallationId, Type = ClientEventTypes.SessionStart, At = at },
            new ClientEventRequest { InstallationId = device.InstallationId, Type = ClientEventTypes.SessionStart, At = at.AddDays(-7) },
            new ClientEventRequest { InstallationId = device.InstallationId, Type = ClientEventTypes.NotificationOpened, At = at.AddMinutes(-1) },
        ], isArray: true);

        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Support), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, $"lookup?q={device.InstallationId}");
        var profile = page.Locator($".lookup-installation[data-installation-id={device.InstallationId}] .activity-profile");
        await Assertions.Expect(profile.Locator(".activity-summary")).ToContainTextAsync("2 sessions and 1 opened pushes");
        await Assertions.Expect(profile.Locator(".activity-summary")).ToContainTextAsync("Europe/Warsaw");
        await Assertions.Expect(profile.Locator(".activity-best")).ToContainTextAsync("An intelligent send launched now reaches it");
        await Assertions.Expect(profile.Locator("td.activity-best-cell")).ToHaveCountAsync(1);
    }
}
