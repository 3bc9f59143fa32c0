using Microsoft.Playwright;

namespace PushConsole.Tests.Browser;

/// <summary>Runs only when PUSHCONSOLE_SCREENS names a folder (scripts/screens.sh): the screenshots are made on purpose, not by every test run.</summary>
public sealed class ScreensFactAttribute : FactAttribute
{
    public ScreensFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PUSHCONSOLE_SCREENS"))) Skip = "scripts/screens.sh sets PUSHCONSOLE_SCREENS to take the screenshots";
    }
}

/// <summary>Every console page of the seeded demo at 1440×900 and 390×844, light and dark, saved as docs/screens/NAME-WIDTH-SCHEME.png.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleScreens(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private ConsoleTour _tour = default!;

    public async Task InitializeAsync() => _tour = await ConsoleTour.StartAsync(output);

    public async Task DisposeAsync() => await _tour.DisposeAsync();

    [ScreensFact]
    public async Task Every_page_at_desktop_and_phone_width_in_light_and_dark()
    {
        var folder = Environment.GetEnvironmentVariable("PUSHCONSOLE_SCREENS")!;
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
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{p.Name}-{suffix}.png"), FullPage = true });
                }
                await page.Context.CloseAsync();
            }
        Assert.True(failed.Count == 0, $"pages that showed the error panel: {string.Join(", ", failed)}");
    }
}
