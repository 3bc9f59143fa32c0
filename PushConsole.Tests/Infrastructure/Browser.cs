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
        var page = await context.NewPageAsync();
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Enqueue($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => problems.Enqueue($"page error: {e}");
        PageExtensions.BrowserProblems.AddOrUpdate(page, problems);
        return page;
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
    /// <summary>
    /// Closes the page's browser context when the host goes: a page left open on a stopped host keeps reconnecting its
    /// circuit and costs a renderer's CPU for the rest of the run.
    /// </summary>
    public static void CloseWith(this IPage page, AppHost host)
    {
        if (Tracked.TryAdd(page.Context, 0)) host.OnDispose(async () =>
        {
            if (host.Output is { } output) await DescribeAsync(page, output);
            await page.Context.CloseAsync();
        });
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IBrowserContext, object> Tracked = new();

    internal static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, System.Collections.Concurrent.ConcurrentQueue<string>> BrowserProblems = new();

    /// <summary>What the page showed when its test ended, and what its browser complained of: the story of a failed step.</summary>
    private static async Task DescribeAsync(IPage page, Xunit.Abstractions.ITestOutputHelper output)
    {
        var text = "";
        // the page's body area, any open dialog and the notifications: the navigation around them says nothing
        const string shown = "() => ['.mud-main-content', '.mud-dialog', '.mud-snackbar'].flatMap(s => [...document.querySelectorAll(s)])" +
                             ".map(e => e.innerText).join('\\n') || document.body.innerText";
        try { text = await page.EvaluateAsync<string>(shown).WaitAsync(TimeSpan.FromSeconds(3)); }
        catch (PlaywrightException e) { text = $"(no text: {e.Message.Split('\n')[0]})"; }
        catch (TimeoutException) { text = "(the page did not answer)"; }
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var problems = BrowserProblems.TryGetValue(page, out var queue) ? queue.TakeLast(20).ToList() : [];
        try
        {
            output.WriteLine($"== page {page.Url} showed ({lines.Length} lines, the first 60):\n{string.Join("\n", lines.Take(60))}");
            output.WriteLine($"== its browser logged {problems.Count} error(s) or warning(s):\n{string.Join("\n", problems)}");
        }
        catch (InvalidOperationException) { } // the test already ended
    }

    /// <summary>Blazor events only work once the circuit is up; the layout marks it on its first interactive render.</summary>
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
