using System.Net.Http.Json;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Devices;
using PushConsole.Audit;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AutomationsBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync(o => o.Args.Add("--Automations:PollMilliseconds=200"));
        _s.Host.Output = output;
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task An_organizer_builds_the_welcome_recipe_and_an_arrival_reported_by_the_app_is_pushed_and_counted_on_the_page()
    {
        var token = $"fcm-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        await _s.Host.Get<DeviceRegistry>().RegisterAsync(_s.App.Id, "ada-phone", new InstallationRequest { Platform = "android", PushToken = token, UserId = "ada" });

        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, "automations");
        await page.ClickAsync("[data-test=recipe-welcome]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("automations/new\\?recipe=welcome"));
        await Assertions.Expect(page.Locator("[data-test=preview-0]")).ToContainTextAsync("Welcome, Ada Lovelace!");
        await page.ClickAsync("[data-test=save-automation]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("automations/\\d+$"));
        await Assertions.Expect(page.Locator("[data-test=sent-0]")).ToHaveTextAsync("0");

        // the app reports the arrival through the client API
        using var app = _s.Host.CreateClient();
        app.DefaultRequestHeaders.Add("X-App-Key", _s.App.AppKey);
        // the venue exists and Ada allowed location: otherwise the transition is refused or dropped before any automation sees it
        await _s.Host.Get<PushConsole.Geofences.GeofenceService>().CreateAsync(_s.App.Id,
            new PushConsole.Geofences.GeofenceRequest("venue", "Main entrance", 52.2297, 21.0122, 150, null, null, null, null), Actor.System);
        Assert.True((await app.PutAsJsonAsync("api/v1/users/ada/preferences", new { location = true })).IsSuccessStatusCode);
        var response = await app.PostAsJsonAsync("api/v1/events", new { installationId = "ada-phone", type = "geofence_entered", geofenceId = "venue" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var until = DateTime.UtcNow.AddSeconds(30);
        while (!_s.Sandbox.State.Providers.SelectMany(p => p.Recent()).Any(m => m.Target == token && m.Status is >= 200 and < 300) && DateTime.UtcNow < until)
            await Task.Delay(100);
        var message = Assert.Single(_s.Sandbox.State.Providers.SelectMany(p => p.Recent()), m => m.Target == token);
        Assert.Contains("Welcome, friend! Badges are at the main desk.", message.Payload);
        await Assertions.Expect(page.Locator("[data-test=sent-0]")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-test=entered]")).ToHaveTextAsync("1");
    }
}
