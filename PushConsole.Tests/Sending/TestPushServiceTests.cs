using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Sending;
using PushConsole.Sending.Providers;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Sending;

[Collection(BrowserCollection.Name)]
public sealed class TestPushServiceTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Actor Support = new("support@example.com");
    private SandboxHost _sandbox = default!;
    private AppHost _host = default!;
    private App _app = default!;
    private SandboxApnsKey _key = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync();
        _host = await AppHost.StartAsync(o => o.Args.AddRange(_sandbox.ProviderArgs()));
        _host.Output = output;
        _key = _sandbox.State.CreateApnsKey("com.example.eventapp");
        _app = (await _host.Get<AppService>().CreateAsync(new NewApp("Event app", _sandbox.State.CreateServiceAccountJson("event-app"),
            _key.P8, _key.KeyId, _key.TeamId, _key.BundleId, "sandbox"), Actor.System)).App;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private TestPushService Service => _host.Get<TestPushService>();

    [Fact]
    public async Task A_test_push_reaches_each_platform_and_returns_the_providers_raw_answer()
    {
        var subscription = _sandbox.State.CreateWebPushSubscription(_app.Vapid.PublicKey);
        var device = _sandbox.State.NewApnsDeviceToken(ApnsEnvironment.Sandbox);

        var android = await Service.SendAsync(new TestPushRequest(new TestPushTarget(_app.Id, Platform.Android, "fcm-token"), "Hello", "From support"), Support);
        var ios = await Service.SendAsync(new TestPushRequest(new TestPushTarget(_app.Id, Platform.Ios, device.ToUpperInvariant()), "Hello", null), Support);
        var web = await Service.SendAsync(new TestPushRequest(new TestPushTarget(_app.Id, Platform.Web, subscription.Endpoint, null, subscription.P256dh, subscription.Auth), "Hello", null), Support);

        Assert.All(new[] { android, ios, web }, r => Assert.True(r.IsSent, r.ToString()));
        Assert.Contains("projects/event-app/messages/", android.Answer.Body);
        Assert.Contains("apns-unique-id", ios.Answer.Headers); // the app's environment (sandbox) picked the development host
        Assert.Equal(201, web.Answer.StatusCode);
        var (entries, _) = await _host.Get<AuditLog>().SearchAsync("push.test_sent", 0, 10);
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(Support.Name, e.Actor));
        Assert.DoesNotContain(entries, e => e.Details!.Contains(device, StringComparison.OrdinalIgnoreCase)); // tokens are masked
    }

    [Fact]
    public async Task A_dead_token_shows_the_providers_reason()
    {
        _sandbox.State.Fcm.Fail("gone", new SandboxFailure(404, "UNREGISTERED"));

        var result = await Service.SendAsync(new TestPushRequest(new TestPushTarget(_app.Id, Platform.Android, "gone"), "Hello", null), Support);

        Assert.Equal((ProviderOutcome.DeadToken, "UNREGISTERED", 404), (result.Outcome, result.Reason, result.Answer.StatusCode));
        Assert.Contains("\"errorCode\":\"UNREGISTERED\"", result.Answer.Body);
    }

    [Fact]
    public async Task Bad_input_names_its_fields_and_sends_nothing()
    {
        var error = await Assert.ThrowsAsync<BadInputException>(() =>
            Service.SendAsync(new TestPushRequest(new TestPushTarget(_app.Id, Platform.Ios, "not-hex"), "", null), Support));
        var web = await Assert.ThrowsAsync<BadInputException>(() =>
            Service.SendAsync(new TestPushRequest(new TestPushTarget(_app.Id, Platform.Web, "https://push.example.net/x"), "Hi", null), Support));

        Assert.Equal(["title", "token"], error.Errors.Keys.Order());
        Assert.Equal(["webPushAuth", "webPushP256dh"], web.Errors.Keys.Order());
        Assert.Equal(0, _sandbox.State.Apns.Stats().Requests);
    }

    [Fact]
    public async Task On_the_app_page_an_admin_sends_a_test_push_and_reads_the_answer()
    {
        var email = await _host.CreateUserAsync(Roles.Admin);
        var page = await browser.NewPageAsync();
        try
        {
            await page.SignInAsync(_host, email, TestAccounts.Password);
            await page.GotoConsoleAsync(_host, $"apps/{_app.Id}");
            await page.FillAsync("#test-token", "fcm-from-the-page");
            await page.ClickAsync("#send-test-push");

            // the push goes to the provider and back before the outcome shows: server work
            await Assertions.Expect(page.Locator("#test-push-outcome")).ToHaveTextAsync("Sent", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#test-push-answer")).ToContainTextAsync("HTTP/2 200");
            Assert.Equal("fcm-from-the-page", _sandbox.State.Fcm.Recent().Single().Target);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
