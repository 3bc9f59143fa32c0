using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Audience;

/// <summary>
/// The builder in a real browser: an organizer builds a nested segment, watches the count follow each edit, sees a bad
/// value refused beside its field, saves, finds the saved rules, and targets the segment from compose.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SegmentBuilderBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;
    private DeviceKit _kit = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _host.Output = output;
        await _host.CreateUserAsync(Roles.Admin, "root@example.com");
        _kit = await DeviceKit.CreateAsync(_host, "Conference app");
        using var api = _kit.ServerClient();
        await _kit.RegisterAsync("ana-phone", new { platform = "android", pushToken = DeviceKit.FcmToken("ana"), userId = "ana" });
        await _kit.RegisterAsync("bob-phone", new { platform = "android", pushToken = DeviceKit.FcmToken("bob"), userId = "bob", tags = new[] { "vip" } });
        await _kit.RegisterAsync("cid-phone", new { platform = "ios", pushToken = DeviceKit.ApnsToken("cid"), userId = "cid" });
        await _kit.RegisterAsync("kiosk", new { platform = "android", pushToken = DeviceKit.FcmToken("kiosk") });
        foreach (var (user, role) in new[] { ("ana", "speaker"), ("bob", "attendee"), ("cid", "speaker") })
            Assert.True((await api.PutAsJsonAsync($"v4/users/{user}", new { attributes = new { role } })).IsSuccessStatusCode);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task An_organizer_builds_a_nested_segment_watches_the_count_change_and_saves_it()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, await _host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_host, $"segments/new?app={_kit.AppId}");
        var installations = page.Locator("[data-test=count-installations]");
        await Assertions.Expect(installations).ToHaveTextAsync("4");

        await page.FillAsync("#segment-name", "Android speakers or VIPs");
        var root = page.Locator(".rule-root");
        await root.Locator(".rule-group-head .add-condition").First.ClickAsync();
        var platform = page.Locator(".rule-condition[data-path='rules.root.rules[0]']");
        await platform.Locator(".field-select").SelectOptionAsync("platform");
        await platform.Locator(".choice input[value=android]").CheckAsync();
        await Assertions.Expect(installations).ToHaveTextAsync("3");

        // a nested OR group: role is speaker, or tagged vip
        await root.Locator(".rule-group-head .add-group").First.ClickAsync();
        var nested = page.Locator(".rule-group[data-path='rules.root.rules[1]']");
        await Assertions.Expect(nested.Locator(".group-match")).ToHaveValueAsync("any");
        var role = nested.Locator(".rule-condition[data-path='rules.root.rules[1].rules[0]']");
        await role.Locator(".field-select").SelectOptionAsync("attribute");
        await role.Locator(".name-input").FillAsync("role");
        await role.Locator(".name-input").PressAsync("Tab");
        await role.Locator(".operator-select").SelectOptionAsync("equals");
        await role.Locator(".value-input").FillAsync("speaker");
        await role.Locator(".value-input").PressAsync("Tab");
        await Assertions.Expect(installations).ToHaveTextAsync("1"); // ana only

        await nested.Locator(".rule-group-head .add-condition").ClickAsync();
        var vip = nested.Locator(".rule-condition[data-path='rules.root.rules[1].rules[1]']");
        await vip.Locator(".field-select").SelectOptionAsync("tags");
        await vip.Locator(".value-add").FillAsync("vip");
        await vip.Locator(".value-add").PressAsync("Enter");
        await Assertions.Expect(vip.Locator(".value-chip[data-value=vip]")).ToBeVisibleAsync();
        await Assertions.Expect(installations).ToHaveTextAsync("2"); // ana and bob
        await Assertions.Expect(page.Locator(".platform-count[data-platform=android] .installations")).ToHaveTextAsync("2");
        var sample = page.Locator(".sample-member[data-user-id=ana] a");
        await Assertions.Expect(sample).ToHaveAttributeAsync("href", $"lookup?q=ana&app={_kit.AppId}"); // retried, not read once

        // NOT on the nested group: Android devices that are neither
        await nested.Locator(".group-not").First.CheckAsync();
        await Assertions.Expect(installations).ToHaveTextAsync("1"); // the kiosk
        await Assertions.Expect(page.Locator(".sample-member a")).ToHaveTextAsync("device kiosk");
        await nested.Locator(".group-not").First.UncheckAsync();
        await Assertions.Expect(installations).ToHaveTextAsync("2");

        // a bad attribute name is refused beside its field, and nothing is counted meanwhile
        await role.Locator(".name-input").FillAsync("job title!");
        await role.Locator(".name-input").PressAsync("Tab");
        await Assertions.Expect(role.Locator(".field-error[data-for=name]")).ToContainTextAsync("is not a valid attribute name");
        await Assertions.Expect(page.Locator("[data-test=count-message]")).ToBeVisibleAsync();
        await role.Locator(".name-input").FillAsync("role");
        await role.Locator(".name-input").PressAsync("Tab");
        await Assertions.Expect(role.Locator(".field-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-test=count-message]")).ToHaveCountAsync(0);
        await Assertions.Expect(installations).ToHaveTextAsync("2");

        await page.ClickAsync("[data-test=save-segment]");
        await Assertions.Expect(page.Locator("[data-test=segment-id]")).ToBeVisibleAsync();
        var id = long.Parse(await page.Locator("[data-test=segment-id]").InnerTextAsync());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/segments/{id}$")); // retried, not read once
        var saved = await _host.Get<SegmentService>().GetAsync(_kit.AppId, id);
        Assert.Equal("Android speakers or VIPs", saved.Name);
        Assert.Equal("""{"version":1,"root":{"match":"all","rules":[{"field":"platform","operator":"in","value":["android"]},""" +
                     """{"match":"any","rules":[{"field":"attribute","name":"role","operator":"equals","value":"speaker"},""" +
                     """{"field":"tags","operator":"has_any","value":["vip"]}]}]}}""", RulesJson.Write(saved.Rules));
        await Assertions.Expect(installations).ToHaveTextAsync("2");
        // the two actions are real buttons, visible and not covered by the "saved" confirmation
        await Assertions.Expect(page.Locator("[data-test=segment-saved]")).ToBeVisibleAsync();
        foreach (var action in new[] { "[data-test=compose-to-segment]", "[data-test=export-segment]" })
        {
            await Assertions.Expect(page.Locator(action)).ToHaveClassAsync(new Regex("mud-button-root"));
            Assert.True(await page.Locator(action).EvaluateAsync<bool>(
                "e => { const r = e.getBoundingClientRect(); return r.width > 40 && e.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"), action);
        }

        // the export link downloads the user ids with the organizer's sign-in, and the audit log says who took them
        var csv = await page.APIRequest.GetAsync(new Uri(_host.BaseAddress, await page.Locator("[data-test=export-segment]").GetAttributeAsync("href")).ToString());
        Assert.Equal(200, csv.Status);
        Assert.Equal("user_id\r\nana\r\nbob\r\n", await csv.TextAsync());
        var (entries, _) = await _host.Get<AuditLog>().SearchAsync("segment.exported", 0, 10);
        Assert.Equal("2 user ids", Assert.Single(entries).Details);

        // "Send a push to it": compose opens on the app with the segment picked and counts the same recipients
        await page.ClickAsync("[data-test=compose-to-segment]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/compose\?segment={id}$")); // polled: a pushState navigation can be missed by WaitForURLAsync
        await page.WaitForSelectorAsync("html[data-circuit=ready]");
        await Assertions.Expect(page.Locator("#segment-picker input:not([type=hidden])").First).ToHaveValueAsync("Android speakers or VIPs");
        await Assertions.Expect(page.Locator("[data-test=recipient-count]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-test=count-android]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-test=count-ios]")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task Deleting_a_segment_another_uses_is_refused_in_the_builder_saying_which()
    {
        var segments = _host.Get<SegmentService>();
        var speakers = await segments.CreateAsync(_kit.AppId, "Speakers", RulesJson.Parse(
            """{"root": {"match": "all", "rules": [{"field": "attribute", "name": "role", "operator": "equals", "value": "speaker"}]}}"""), Actor.System);
        await segments.CreateAsync(_kit.AppId, "Everyone but speakers", RulesJson.Parse(
            $$$"""{"root": {"match": "all", "rules": [{"field": "segment", "operator": "not_in", "value": ["{{{speakers.Id}}}"]}]}}"""), Actor.System);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, "root@example.com", TestAccounts.Password);
        await page.GotoConsoleAsync(_host, $"segments/{speakers.Id}");
        await Assertions.Expect(page.Locator("[data-test=count-installations]")).ToHaveTextAsync("2");

        await page.ClickAsync("[data-test=delete-segment]");
        await page.Locator(".mud-dialog button", new() { HasText = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delete-refused")).ToContainTextAsync("segment \"Everyone but speakers\" uses it");
        Assert.Equal(2, (await segments.ListAsync(_kit.AppId)).Count);
    }
}
