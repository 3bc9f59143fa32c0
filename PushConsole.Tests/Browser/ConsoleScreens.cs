using Microsoft.Playwright;

namespace PushConsole.Tests.Browser;

/// <summary>Every console page of the seeded demo at 1440×900 and 390×844, light and dark, opens without the error panel;
/// scripts/screens.sh keeps the pictures (PUSHCONSOLE_SCREENS = docs/screens), a plain test run throws them away.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleScreens(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private ConsoleTour _tour = default!;

    public async Task InitializeAsync() => _tour = await ConsoleTour.StartAsync(output);

    public async Task DisposeAsync() => await _tour.DisposeAsync();

    [Fact]
    public async Task Every_page_at_desktop_and_phone_width_in_light_and_dark()
    {
        var keep = Environment.GetEnvironmentVariable("PUSHCONSOLE_SCREENS");
        var folder = string.IsNullOrEmpty(keep) ? Directory.CreateTempSubdirectory("pushconsole-screens-").FullName : keep;
        try { await TakeAsync(folder); }
        finally { if (string.IsNullOrEmpty(keep)) Directory.Delete(folder, recursive: true); }
    }

    private async Task TakeAsync(string folder)
    {
        // PUSHCONSOLE_SCREENS_ONLY=agenda,apps narrows the run to some pages
        var names = Environment.GetEnvironmentVariable("PUSHCONSOLE_SCREENS_ONLY")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // screens.sh passes an empty list for "every page"
        var only = names is { Length: > 0 } ? names : null;
        Directory.CreateDirectory(folder);
        var failed = new List<string>();
        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                var suffix = $"{width}-{scheme.ToString().ToLowerInvariant()}";
                var signedOut = await TourBrowser.NewPageAsync(browser, width, height, scheme);
                foreach (var p in ConsoleTour.SignedOutPages.Where(p => only is null || only.Contains(p.Name)))
                {
                    await TourBrowser.OpenAsync(signedOut, _tour.Host, p.Path, console: false);
                    await signedOut.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{p.Name}-{suffix}.png"), FullPage = true });
                }
                if (only is null || only.Contains(ConsoleTour.Setup.Name))
                    await using (var firstRun = await AppHost.StartAsync())
                    {
                        await TourBrowser.OpenAsync(signedOut, firstRun, ConsoleTour.Setup.Path, console: false);
                        await signedOut.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{ConsoleTour.Setup.Name}-{suffix}.png"), FullPage = true });
                    }
                await signedOut.Context.CloseAsync();

                var page = await TourBrowser.NewPageAsync(browser, width, height, scheme);
                await page.SignInAsync(_tour.Host, ConsoleTour.Email, ConsoleTour.Password);
                foreach (var p in _tour.Pages.Where(p => only is null || only.Contains(p.Name)))
                {
                    await TourBrowser.OpenAsync(page, _tour.Host, p.Path);
                    if (await page.Locator("#page-failed").CountAsync() > 0) failed.Add($"{p.Path} ({suffix})");
                    // a page wider than the screen makes the phone scroll sideways (tables scroll inside their cards instead)
                    var wide = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                    if (wide > width) failed.Add($"{p.Path} ({suffix}) is {wide} px wide");
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{p.Name}-{suffix}.png"), FullPage = true });
                }
                await page.Context.CloseAsync();
            }
        Assert.True(failed.Count == 0, $"pages that showed the error panel or overflowed the screen: {string.Join(", ", failed)}");
    }
}
