using Microsoft.Playwright;

namespace PushConsole.Tests.Infrastructure;

/// <summary>One headless Debian Chromium for all browser tests (Playwright for .NET, no downloaded browser).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public IPlaywright Playwright { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // a 2-core CI box running the whole suite answers slower than Playwright's 5 s default for expectations
        Assertions.SetDefaultExpectTimeout(20_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh context (own cookies) and page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

public static class PageExtensions
{
    /// <summary>Blazor events only work once the circuit is up; the layout marks it on its first interactive render.</summary>
    /// <summary>
    /// Closes the page's browser context when the host goes: a page left open on a stopped host keeps reconnecting its
    /// circuit and costs a renderer's CPU for the rest of the run.
    /// </summary>
    public static void CloseWith(this IPage page, AppHost host)
    {
        if (Tracked.TryAdd(page.Context, 0)) host.OnDispose(() => page.Context.CloseAsync());
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IBrowserContext, object> Tracked = new();

    public static async Task GotoConsoleAsync(this IPage page, AppHost host, string path)
    {
        page.CloseWith(host);
        await page.GotoAsync(new Uri(host.BaseAddress, path).ToString());
        await page.WaitForSelectorAsync("html[data-circuit=ready]");
    }

    /// <summary>Blazor's InputFile hears "change" only after its JS init (which sets this marker) ran: files set sooner are lost.</summary>
    public static async Task SetBlazorInputFilesAsync(this IPage page, string selector, string path)
    {
        await page.WaitForFunctionAsync("s => document.querySelector(s)?._blazorInputFileNextFileId !== undefined", selector);
        await page.SetInputFilesAsync(selector, path);
    }

    public static async Task SetBlazorInputFilesAsync(this IPage page, string selector, FilePayload file)
    {
        await page.WaitForFunctionAsync("s => document.querySelector(s)?._blazorInputFileNextFileId !== undefined", selector);
        await page.SetInputFilesAsync(selector, file);
    }

    public static async Task SignInAsync(this IPage page, AppHost host, string email, string password)
    {
        page.CloseWith(host);
        await page.GotoAsync(new Uri(host.BaseAddress, "account/login").ToString());
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("html[data-circuit=ready]");
    }
}
