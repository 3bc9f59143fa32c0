using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Tests.Attendee;

[Collection(BrowserCollection.Name)]
public sealed class AttendeePageBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Method, string Path, string? AppKey, string Body)> _clientApi = new();
    private AppHost _host = default!;
    private App _app = default!;

    public async Task InitializeAsync()
    {
        // records what the page and its worker send to the client API (whichever feature answers it)
        _host = await AppHost.StartAsync(o => o.Services = s => s.AddSingleton<IStartupFilter>(new RecordClientApi(_clientApi)));
        _host.Output = output;
        _app = (await _host.Get<AppService>().CreateAsync(new NewApp("Summit 2026 — production (internal)"), Actor.System)).App;
        await _host.Get<AppService>().SetPublicNameAsync(_app.Id, "Summit 2026", Actor.System);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_worker_shows_a_push_and_reports_the_open_with_its_delivery_id()
    {
        var page = await browser.NewPageAsync();
        var origin = _host.BaseAddress.ToString().TrimEnd('/');
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
            await page.GotoAsync($"{origin}/attendee/{_app.AppKey}");
            await page.WaitForSelectorAsync("#attendee[data-worker=ready]");
            // the public name, never the internal one nor the installation id
            await Assertions.Expect(page.Locator("#app-name")).ToHaveTextAsync("Summit 2026");
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("internal");
            var installationId = await page.Locator("#attendee").GetAttributeAsync("data-installation-id") ?? "";
            Assert.StartsWith("web-", installationId);
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync(installationId);

            // the registration comes as a CDP event that may trail the page's ready mark: wait for it rather than read it once
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!registrations.Any(r => r.Scope == $"{origin}/attendee/") && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            var registration = registrations.First(r => r.Scope == $"{origin}/attendee/");
            var push = JsonSerializer.Serialize(new { deliveryId = 4242, type = "alert", title = "Keynote moved", body = "Now in Hall B", url = $"{origin}/attendee/{_app.AppKey}?session=42", tag = "keynote" });
            var notification = await DeliverUntilShownAsync(cdp, page, origin, registration.Id, push, """
                async () => {
                  const n = await (await navigator.serviceWorker.ready).getNotifications();
                  return n.length ? { title: n[0].title, body: n[0].body, tag: n[0].tag, deliveryId: n[0].data.deliveryId } : null;
                }
                """);
            Assert.Equal(("Keynote moved", "Now in Hall B", "keynote", 4242), (notification.GetProperty("title").GetString(), notification.GetProperty("body").GetString(),
                notification.GetProperty("tag").GetString(), notification.GetProperty("deliveryId").GetInt32()));

            // the user clicks it: the worker's click handler runs with the shown notification (dispatched inside the worker)
            await EvaluateInWorkerAsync(cdp, "/attendee/sw.js", """
                (async () => {
                  const [n] = await self.registration.getNotifications();
                  self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n }));
                  return 'clicked';
                })()
                """);
            var opened = await WaitForEventAsync("notification_opened");
            var received = await WaitForEventAsync("notification_received");

            Assert.Equal(_app.AppKey, opened.AppKey);
            using var body = JsonDocument.Parse(opened.Body);
            Assert.Equal((installationId, "4242"), (body.RootElement.GetProperty("installationId").GetString(), body.RootElement.GetProperty("deliveryId").GetString()));
            Assert.Contains("\"deliveryId\":\"4242\"", received.Body);
            // the click closed it; close() in the worker and getNotifications() in the page travel apart, so poll until it shows
            var remaining = await PollAsync(page, "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length", n => n.GetInt32() == 0);
            Assert.Equal(0, remaining.GetInt32());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Turning_notifications_on_subscribes_with_the_apps_vapid_key_and_registers_the_subscription()
    {
        // headless Chromium has no push service to subscribe with: stand in for PushManager with a real subscription shape
        var page = await browser.NewPageAsync();
        var origin = _host.BaseAddress.ToString().TrimEnd('/');
        await page.Context.GrantPermissionsAsync(["notifications"], new() { Origin = origin });
        await page.Context.AddInitScriptAsync("""
            PushManager.prototype.getSubscription = async function () { return null; };
            PushManager.prototype.subscribe = async function (options) {
              window.__subscribeOptions = { userVisibleOnly: options.userVisibleOnly, key: options.applicationServerKey };
              const json = { endpoint: 'https://push.example.net/push/abc', expirationTime: null, keys: { p256dh: 'BPUBLIC', auth: 'AUTH' } };
              return { endpoint: json.endpoint, toJSON: () => json };
            };
            """);
        try
        {
            await page.GotoAsync($"{origin}/attendee/{_app.AppKey}");
            await page.WaitForSelectorAsync("#attendee[data-worker=ready]");
            await page.ClickAsync("#enable");
            await page.WaitForFunctionAsync("() => ['subscribed', 'error'].includes(document.getElementById('attendee').dataset.state)");

            var options = await page.EvaluateAsync<JsonElement>("() => window.__subscribeOptions");
            Assert.True(options.GetProperty("userVisibleOnly").GetBoolean());
            Assert.Equal(_app.Vapid.PublicKey, options.GetProperty("key").GetString());
            var put = _clientApi.Single(r => r.Method == "PUT");
            var installationId = await page.Locator("#attendee").GetAttributeAsync("data-installation-id");
            Assert.Equal(($"/api/v1/installations/{installationId}", _app.AppKey), (put.Path, put.AppKey));
            using var body = JsonDocument.Parse(put.Body);
            Assert.Equal("web", body.RootElement.GetProperty("platform").GetString());
            Assert.Equal("https://push.example.net/push/abc", body.RootElement.GetProperty("webPush").GetProperty("endpoint").GetString());
            Assert.Equal("BPUBLIC", body.RootElement.GetProperty("webPush").GetProperty("keys").GetProperty("p256dh").GetString());
            Assert.True(body.RootElement.GetProperty("notificationsEnabled").GetBoolean());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_failed_subscription_says_what_to_do_instead_of_the_browsers_error()
    {
        var page = await browser.NewPageAsync();
        var origin = _host.BaseAddress.ToString().TrimEnd('/');
        await page.Context.GrantPermissionsAsync(["notifications"], new() { Origin = origin });
        await page.Context.AddInitScriptAsync("""
            PushManager.prototype.getSubscription = async function () { return null; };
            PushManager.prototype.subscribe = async function () { throw new DOMException('Registration failed - push service error', 'AbortError'); };
            """);
        try
        {
            await page.GotoAsync($"{origin}/attendee/{_app.AppKey}");
            await page.WaitForSelectorAsync("#attendee[data-worker=ready]");
            await page.ClickAsync("#enable");
            await page.WaitForSelectorAsync("#attendee[data-state=error]");
            var status = await page.Locator("#status").InnerTextAsync();
            Assert.Contains("Reload the page and try again", status);
            Assert.DoesNotContain("Registration failed", status);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_wrong_app_key_gets_a_page_a_person_can_read()
    {
        using var client = _host.CreateClient();
        foreach (var key in new[] { "ak_000000000000000000000000", "not-a-key" })
        {
            var response = await client.GetAsync($"attendee/{key}");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("This notification page does not exist", await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Playwright for .NET does not expose service workers; attach to the worker's target over CDP and evaluate there.</summary>
    internal static async Task EvaluateInWorkerAsync(ICDPSession cdp, string scriptPath, string expression)
    {
        var targets = (await cdp.SendAsync("Target.getTargets"))!.Value.GetProperty("targetInfos").EnumerateArray();
        var worker = targets.First(t => t.GetProperty("type").GetString() == "service_worker" && t.GetProperty("url").GetString()!.Contains(scriptPath, StringComparison.Ordinal));
        var attached = await cdp.SendAsync("Target.attachToTarget", new() { ["targetId"] = worker.GetProperty("targetId").GetString()!, ["flatten"] = false });
        var sessionId = attached!.Value.GetProperty("sessionId").GetString()!;
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        cdp.Event("Target.receivedMessageFromTarget").OnEvent += (_, e) =>
        {
            if (e!.Value.GetProperty("sessionId").GetString() == sessionId && e.Value.GetProperty("message").GetString() is { } m && m.Contains("\"id\":7", StringComparison.Ordinal))
                answer.TrySetResult(m);
        };
        var message = JsonSerializer.Serialize(new { id = 7, method = "Runtime.evaluate", @params = new { expression, awaitPromise = true, returnByValue = true } });
        await cdp.SendAsync("Target.sendMessageToTarget", new() { ["sessionId"] = sessionId, ["message"] = message });
        var result = await answer.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("clicked", result);
    }

    /// <summary>
    /// Evaluates an async function until its value passes: WaitForFunctionAsync would take the returned promise itself as truthy.
    /// </summary>
    internal static async Task<JsonElement> PollAsync(Microsoft.Playwright.IPage page, string asyncFunction, Func<JsonElement, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await page.EvaluateAsync<JsonElement>(asyncFunction);
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Hands a push to the worker through CDP until the page sees a notification (read by <paramref name="readShown"/>, null while none):
    /// a push handed over while the worker is still activating can be dropped, so it is handed again after 5 s, for 30 s at most.
    /// </summary>
    internal static async Task<JsonElement> DeliverUntilShownAsync(ICDPSession cdp, Microsoft.Playwright.IPage page, string origin, string registrationId, string data, string readShown)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await cdp.SendAsync("ServiceWorker.deliverPushMessage", new() { ["origin"] = origin, ["registrationId"] = registrationId, ["data"] = data });
            var shown = await PollAsync(page, readShown, v => v.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(5));
            if (shown.ValueKind == JsonValueKind.Object || DateTime.UtcNow > deadline) return shown;
        }
    }

    private async Task<(string Method, string Path, string? AppKey, string Body)> WaitForEventAsync(string type)
    {
        // the worker's report goes through a busy server: 30 s like other server steps, not 200 short sleeps (~10 s)
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var hit = _clientApi.FirstOrDefault(r => r.Path == "/api/v1/events" && r.Body.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal));
            if (hit.Path is not null) return hit;
            if (DateTime.UtcNow > deadline) break;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"No {type} event reached the client API; saw: {string.Join(", ", _clientApi.Select(r => $"{r.Method} {r.Path}"))}");
    }

    private sealed class RecordClientApi(ConcurrentQueue<(string, string, string?, string)> requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path.StartsWithSegments("/api/v1"))
                {
                    context.Request.EnableBuffering();
                    var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
                    context.Request.Body.Position = 0;
                    requests.Enqueue((context.Request.Method, context.Request.Path.Value!, context.Request.Headers["X-App-Key"].ToString(), body));
                }
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
