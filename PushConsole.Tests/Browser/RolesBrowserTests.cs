using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RolesBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;
    private long _appId;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _host.Output = output;
        await _host.CreateUserAsync(Roles.Admin, "root@example.com");
        _appId = (await _host.Get<AppService>().CreateAsync(new NewApp("Roles app"), Actor.System)).App.Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Support_cannot_reach_credentials_compose_or_users_and_does_not_see_them_in_navigation()
    {
        var email = await _host.CreateUserAsync(Roles.Support);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, email, TestAccounts.Password);

        var nav = page.Locator("#nav");
        await Assertions.Expect(nav).ToContainTextAsync("Audience lookup");
        await Assertions.Expect(nav).Not.ToContainTextAsync("Compose");
        await Assertions.Expect(nav).Not.ToContainTextAsync("Apps");

        foreach (var path in new[] { $"apps/{_appId}", "apps", "compose", "users", "audit", "segments" })
        {
            var response = await page.GotoAsync(new Uri(_host.BaseAddress, path).ToString());
            // server-rendered requests are refused before any page code runs
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("account/access-denied"));
            Assert.DoesNotContain("Rotate master secret", await page.ContentAsync());
        }
        await page.GotoConsoleAsync(_host, "lookup");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Audience lookup");
    }

    [Fact]
    public async Task Organizer_reaches_compose_but_not_apps()
    {
        var email = await _host.CreateUserAsync(Roles.Organizer);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, email, TestAccounts.Password);
        await page.GotoConsoleAsync(_host, "compose");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Compose");
        await page.GotoAsync(new Uri(_host.BaseAddress, "apps").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("account/access-denied"));
    }

    [Fact]
    public async Task Interactive_navigation_also_refuses_a_page_the_role_may_not_open()
    {
        var email = await _host.CreateUserAsync(Roles.Support);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, email, TestAccounts.Password);
        // navigate inside the circuit (no server round trip): AuthorizeRouteView must refuse it
        await page.EvaluateAsync("() => Blazor.navigateTo('apps')");
        await Assertions.Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, "apps").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("account/login\\?ReturnUrl=%2Fapps"));
    }
}
