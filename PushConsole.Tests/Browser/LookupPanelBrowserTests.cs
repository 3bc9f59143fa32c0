using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Devices;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Browser;

/// <summary>How the dispatcher and the providers plug their deliveries and "Send test push" into the lookup page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LookupPanelBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Registered_panels_replace_the_placeholders_and_receive_the_installation()
    {
        await using var host = await AppHost.StartAsync(o => o.Services = s =>
        {
            s.AddLookupPanel<FakePanel>(LookupSlot.Deliveries);
            s.AddLookupPanel<FakePanel>(LookupSlot.Actions);
        });
        using var kit = await DeviceKit.CreateAsync(host);
        await kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("panel"), "ana");
        var page = await browser.NewPageAsync();
        await page.SignInAsync(host, await host.CreateUserAsync(Roles.Support), TestAccounts.Password);

        await page.GotoConsoleAsync(host, "lookup?q=phone");

        var device = page.Locator(".lookup-installation[data-installation-id=phone]");
        await Assertions.Expect(device.Locator(".lookup-deliveries .fake-panel")).ToHaveTextAsync("panel for phone (android)");
        await Assertions.Expect(device.Locator(".lookup-actions .fake-panel")).ToHaveTextAsync("panel for phone (android)");
        await Assertions.Expect(device.Locator(".deliveries-placeholder")).ToHaveCountAsync(0);
        await Assertions.Expect(device.Locator(".send-test-push")).ToHaveCountAsync(0);
    }

    public sealed class FakePanel : ComponentBase
    {
        [Parameter] public LookupInstallation Installation { get; set; } = default!;

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "div");
            builder.AddAttribute(1, "class", "fake-panel");
            builder.AddContent(2, $"panel for {Installation.InstallationId} ({DeviceNames.Of(Installation.Platform)})");
            builder.CloseElement();
        }
    }
}
