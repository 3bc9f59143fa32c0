using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Audit;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LookupBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;
    private DeviceKit _kit = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _host.Output = output;
        await _host.CreateUserAsync(Roles.Admin, "root@example.com");
        _kit = await DeviceKit.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Support_reads_that_the_device_moved_from_user_A_to_user_B_after_two_logins()
    {
        await _kit.RegisterAndroidAsync("shared-phone", DeviceKit.FcmToken("shared"));
        await _kit.SetUserAsync("shared-phone", "A");
        await _kit.SetUserAsync("shared-phone", "B");
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, await _host.CreateUserAsync(Roles.Support), TestAccounts.Password);

        await page.GotoConsoleAsync(_host, "lookup");
        await page.FillAsync("#lookup-query", "A");
        await page.ClickAsync("#lookup-search");

        var device = page.Locator(".lookup-installation[data-installation-id=shared-phone]");
        await Assertions.Expect(device.Locator(".change-sentence").First).ToHaveTextAsync("moved from user A to user B");
        await Assertions.Expect(device.Locator(".formerly-of")).ToContainTextAsync("now belongs to user B");
        await Assertions.Expect(device.Locator(".change")).ToHaveCountAsync(3);
        await Assertions.Expect(device.Locator(".delivery-history")).ToContainTextAsync("No campaign has targeted this device yet");
    }

    [Fact]
    public async Task Support_reveals_a_token_and_the_audit_log_records_it_while_an_organizer_cannot()
    {
        var token = DeviceKit.ApnsToken("reveal-in-browser");
        await _kit.RegisterAsync("iphone", new { platform = "ios", pushToken = token, userId = "ana" });
        var support = await _host.CreateUserAsync(Roles.Support);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, support, TestAccounts.Password);
        await page.GotoConsoleAsync(_host, $"lookup?q={token[..10]}");

        var device = page.Locator(".lookup-installation[data-installation-id=iphone]");
        await Assertions.Expect(device.Locator(".token-masked")).ToHaveTextAsync($"{token[..6]}…{token[^4..]}");
        Assert.DoesNotContain(token, await page.ContentAsync());
        await device.Locator(".reveal-token").ClickAsync();
        await Assertions.Expect(device.Locator(".token-revealed")).ToHaveTextAsync(token);

        var (entries, _) = await _host.Get<AuditLog>().SearchAsync("token.revealed", 0, 10);
        var entry = Assert.Single(entries);
        Assert.Equal((support, "Event app / installation iphone"), (entry.Actor, entry.Target));

        var organizer = await browser.NewPageAsync();
        await organizer.SignInAsync(_host, await _host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await organizer.GotoConsoleAsync(_host, "lookup?q=iphone");
        await Assertions.Expect(organizer.Locator(".lookup-installation[data-installation-id=iphone] .token-masked")).ToBeVisibleAsync();
        await Assertions.Expect(organizer.Locator(".reveal-token")).ToHaveCountAsync(0);
    }
}
