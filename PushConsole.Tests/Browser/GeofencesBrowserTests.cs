using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Audit;
using PushConsole.Geofences;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class GeofencesBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;

    public async Task InitializeAsync()
    {
        // no tile server: the map is a grid with coordinates (offline)
        _host = await AppHost.StartAsync(o => o.Args.Add("--Geofences:TileUrl="));
        _host.Output = output;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_organizer_draws_a_geofence_on_the_map_without_tiles_and_sees_it_listed()
    {
        using var kit = await DeviceKit.CreateAsync(_host, "Venue app");
        await _host.Get<GeofenceService>().CreateAsync(kit.AppId, new GeofenceRequest("venue", "Main entrance", 52.2297, 21.0122, 150, 0, 0, null, null), Actor.System);

        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, await _host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_host, $"geofences?app={kit.AppId}");
        var map = page.Locator("#geofence-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-map-ready", "true");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-circles", "1");
        await Assertions.Expect(map).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-no-tiles"));
        // the grid labels its lines with coordinates
        await Assertions.Expect(page.Locator(".map-grid-label").First).ToBeVisibleAsync();

        // draw: press left of centre, drag 60 px, release
        await page.ClickAsync("#draw-geofence");
        await Assertions.Expect(page.Locator("#draw-hint")).ToBeVisibleAsync();
        var box = (await map.BoundingBoxAsync())!;
        var (x, y) = (box.X + box.Width / 4, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 30, y, new() { Steps = 3 });
        await page.Mouse.MoveAsync(x + 60, y, new() { Steps = 3 });
        await page.Mouse.UpAsync();

        await Assertions.Expect(page.Locator("#geofence-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#geofence-latitude")).Not.ToHaveValueAsync("");
        await page.FillAsync("#geofence-id", "hall-b");
        await Assertions.Expect(page.Locator("#geofence-id")).ToHaveValueAsync("hall-b");
        await page.FillAsync("#geofence-name", "Hall B");
        await Assertions.Expect(page.Locator("#geofence-name")).ToHaveValueAsync("Hall B");
        await page.ClickAsync("#save-geofence");

        await Assertions.Expect(page.Locator("#geofence-list tr[data-id=hall-b]")).ToContainTextAsync("Hall B");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-circles", "2");
        var stored = await _host.Get<GeofenceService>().GetAsync(kit.AppId, "hall-b");
        // drawn west of the centre, with a radius of the 60 px dragged (well above the 20 m minimum at zoom 16)
        Assert.True(stored.Longitude < 21.0122, $"{stored.Longitude}");
        Assert.InRange(stored.RadiusM, 40, 500);
    }
}
