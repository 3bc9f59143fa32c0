using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AppsBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;
    private IPage _page = default!;
    private readonly string _files = TempFolder.Create("pushconsole-uploads");

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _host.Output = output;
        var email = await _host.CreateUserAsync(Roles.Admin);
        _page = await browser.NewPageAsync();
        await _page.SignInAsync(_host, email, TestAccounts.Password);
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        await _host.DisposeAsync();
        TempFolder.Delete(_files);
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_files, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Admin_creates_an_app_sees_the_secret_once_and_configures_credentials()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await _page.GotoConsoleAsync(_host, "apps");

        // empty and duplicate names are form errors
        await _page.ClickAsync("#create-app");
        await Assertions.Expect(_page.Locator(".mud-input-control.mud-input-error:has(#new-app-name) .mud-input-helper-text")).ToContainTextAsync("Give the app a name");
        await _page.FillAsync("#new-app-name", "Event app — production");
        await _page.ClickAsync("#create-app");
        var secret = await _page.Locator("#created-master-secret").InnerTextAsync();
        Assert.StartsWith("ms_", secret);
        await Assertions.Expect(_page.Locator("#apps-grid")).ToContainTextAsync("Event app — production");
        await _page.FillAsync("#new-app-name", "EVENT APP — PRODUCTION");
        await _page.ClickAsync("#create-app");
        await Assertions.Expect(_page.Locator(".mud-input-control.mud-input-error:has(#new-app-name) .mud-input-helper-text")).ToContainTextAsync("already exists");

        await _page.ClickAsync("#apps-grid >> text=Event app — production");
        await _page.WaitForSelectorAsync("#fcm-card");
        Assert.DoesNotContain(secret, await _page.ContentAsync());

        // a broken service account is refused on the form; a good one shows only its fingerprint
        await _page.SetBlazorInputFilesAsync("[data-test=fcm-file] input[type=file], input[type=file][data-test=fcm-file]", File("broken.json", "{\"type\":\"service_account\"}"));
        // the file goes up through the circuit before it is checked: slow on a busy machine
        await Assertions.Expect(_page.Locator("#fcm-error")).ToContainTextAsync("\"project_id\" is missing", new() { Timeout = 30_000 });
        var json = sandbox.State.CreateServiceAccountJson("event-app-prod");
        await _page.SetBlazorInputFilesAsync("[data-test=fcm-file] input[type=file], input[type=file][data-test=fcm-file]", File("service-account.json", json));
        await Assertions.Expect(_page.Locator("#fcm-fingerprint")).ToContainTextAsync("event-app-prod", new() { Timeout = 30_000 });
        Assert.DoesNotContain("PRIVATE KEY", await _page.ContentAsync());
        await _page.ClickAsync("#check-fcm");
        // the check asks the provider for an access token: server work
        await Assertions.Expect(_page.Locator("#fcm-check-result")).ToContainTextAsync("issued an access token", new() { Timeout = 30_000 });

        // APNs: a key that is not P-256 is refused, a good one is saved
        var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKeyPem();
        await _page.SetBlazorInputFilesAsync("[data-test=apns-file] input[type=file], input[type=file][data-test=apns-file]", File("AuthKey_WRONG.p8", p384));
        // the key is read on the server asynchronously; saving before its name shows would save without it (or with the previous one)
        await Assertions.Expect(_page.Locator("#apns-card")).ToContainTextAsync("AuthKey_WRONG.p8", new() { Timeout = 30_000 });
        await _page.FillAsync("#apns-key-id", "ABC123DEFG");
        await _page.FillAsync("#apns-team-id", "TEAM123456");
        await _page.FillAsync("#apns-bundle-id", "com.example.event");
        await _page.ClickAsync("#save-apns");
        await Assertions.Expect(_page.Locator("#apns-key-error")).ToContainTextAsync("P-256");
        // saving at once, as a quick user would: the page waits for the key it is still reading, not the refused one before it
        await _page.SetBlazorInputFilesAsync("[data-test=apns-file] input[type=file], input[type=file][data-test=apns-file]", File("AuthKey_ABC123DEFG.p8", TestKeys.NewP8()));
        await _page.ClickAsync("#save-apns");
        await Assertions.Expect(_page.Locator("#apns-fingerprint")).ToContainTextAsync("ABC123DEFG");

        var app = (await _host.Get<AppService>().ListAsync()).Single();
        Assert.Equal("event-app-prod", app.Fcm?.ProjectId);
        Assert.Equal("com.example.event", app.Apns?.BundleId);
        await Assertions.Expect(_page.Locator("#vapid-public-key")).ToHaveTextAsync(app.Vapid.PublicKey);
    }
}
