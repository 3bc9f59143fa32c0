using System.Text.Json;
using Microsoft.Playwright;

namespace PushConsole.Tests.Browser;

/// <summary>What the accessibility check and the screenshots share: a page at a given size and colour scheme, opened and settled.</summary>
public static class TourBrowser
{
    /// <summary>The repository's wwwroot-assets folder (npm ci installs axe-core there).</summary>
    public static string AssetsDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "wwwroot-assets"))) return Path.Combine(dir.FullName, "wwwroot-assets");
            throw new DirectoryNotFoundException("wwwroot-assets not found above the test binaries");
        }
    }

    public static string AxeScript => Path.Combine(AssetsDirectory, "node_modules", "axe-core", "axe.min.js");

    public static async Task<IPage> NewPageAsync(BrowserFixture browser, int width, int height, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, ColorScheme = scheme, ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens a console page and waits until its circuit is up and its loading skeletons are gone.</summary>
    public static async Task OpenAsync(IPage page, AppHost host, string path, bool console = true)
    {
        if (console) await page.GotoConsoleAsync(host, path);
        else
        {
            page.CloseWith(host);
            await page.GotoAsync(new Uri(host.BaseAddress, path).ToString());
        }
        // skeletons stand in while a page reads; a page that never settles is still checked as it is
        try { await page.WaitForFunctionAsync("() => !document.querySelector('.mud-skeleton, .mud-table-loading')", null, new() { Timeout = 15_000 }); }
        catch (TimeoutException) { }
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>axe-core's serious and critical violations on the page as shown (rule, impact, help, first elements).</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        // evaluated through the devtools protocol: a <script> tag would be refused by the console's Content-Security-Policy
        await page.EvaluateAsync(await File.ReadAllTextAsync(AxeScript));
        var found = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 140)).join(' | ')}`);
            }
            """);
        return found.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
