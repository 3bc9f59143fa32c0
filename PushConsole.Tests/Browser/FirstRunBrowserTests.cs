using System.Net;
using Microsoft.Playwright;
using PushConsole.Audit;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class FirstRunBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _host.Output = output;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task First_run_creates_the_admin_then_setup_is_gone_and_sign_in_works()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(_host.BaseAddress.ToString());
        Assert.EndsWith("/setup", page.Url);

        // a mismatched confirmation is a form error, and nothing is created
        await page.FillAsync("#email", "admin@example.com");
        await page.FillAsync("#password", "a long enough password");
        await page.FillAsync("#confirm", "something else entirely");
        await page.ClickAsync("#create-admin");
        await Assertions.Expect(page.Locator(".validation-message")).ToContainTextAsync("differ");

        await page.FillAsync("#password", "a long enough password");
        await page.FillAsync("#confirm", "a long enough password");
        await page.ClickAsync("#create-admin");
        await page.WaitForSelectorAsync("html[data-circuit=ready]");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync("admin@example.com");
        await Assertions.Expect(page.Locator("#signed-in-role")).ToHaveTextAsync("admin");

        using var client = _host.CreateClient();
        var setup = await client.GetAsync("setup");
        Assert.Equal(HttpStatusCode.NotFound, setup.StatusCode);

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/account/login");

        await page.FillAsync("#email", "admin@example.com");
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("Wrong email or password.");

        await page.SignInAsync(_host, "admin@example.com", "a long enough password");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");

        var (audit, _) = await _host.Get<AuditLog>().SearchAsync("sign_in", 0, 20);
        Assert.Contains(audit, e => e.Action == "user.sign_in_failed" && e.Target == "admin@example.com");
        Assert.Contains(audit, e => e.Action == "user.sign_in" && e.Target == "admin@example.com");
    }
}
