using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>
/// Issue 15 item 9 (headers): the Content-Security-Policy is strict enough to mean something and loose enough for what the
/// product runs: the Blazor Server console with its charts, and the attendee page with its service worker. A browser says.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _host.Output = output;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_console_with_charts_and_the_attendee_page_run_without_a_single_csp_violation()
    {
        var admin = await _host.CreateUserAsync(Roles.Admin);
        using var kit = await DeviceKit.CreateAsync(_host, "Summit 2026");
        await kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("phone"));
        using var api = kit.ServerClient();
        var push = await api.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/push", """{"to": "all", "body": {"notification": {"alert": "Doors open"}}}"""));
        var campaignId = JsonDocument.Parse(await push.Content.ReadAsStringAsync()).RootElement.GetProperty("msg_id").ToString();

        var page = await browser.NewPageAsync();
        var violations = new ConcurrentQueue<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Text.Contains("Refused to", StringComparison.Ordinal))
                violations.Enqueue($"{page.Url}: {m.Text}");
        };
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));");

        await page.SignInAsync(_host, admin, TestAccounts.Password);
        await page.GotoConsoleAsync(_host, $"campaigns/{campaignId}");
        await page.WaitForSelectorAsync("#chart-deliveries svg");
        await page.GotoConsoleAsync(_host, "segments/new");

        var origin = _host.BaseAddress.ToString().TrimEnd('/');
        await page.Context.GrantPermissionsAsync(["notifications"], new() { Origin = origin });
        await page.GotoAsync($"{origin}/attendee/{kit.App.App.AppKey}");
        await page.WaitForSelectorAsync("#attendee[data-worker=ready]");
        // no public name set: the page names "the event", never the app's internal name
        await Assertions.Expect(page.Locator("#app-name")).ToHaveTextAsync("the event");

        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("account/login")]
    [InlineData("api/v1/app")]
    [InlineData("v4/push_plan")]
    [InlineData("attendee/ak_abcdefghijklmnopqrstuvwx")]
    [InlineData("attendee/attendee.js")]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        await _host.CreateUserAsync(Roles.Admin);
        using var client = _host.CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
    }
}
