using Bunit;
using Microsoft.Extensions.Options;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Consent;
using PushConsole.Consent.Pages;
using PushConsole.Devices;

namespace PushConsole.Tests.Consent.Pages;

/// <summary>The consent page on the real consent services: readable category headers, errors beside their fields, categories added.</summary>
public sealed class ConsentPageTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private App _app = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _app = (await _host.Get<AppService>().CreateAsync(new NewApp("Summit"), Actor.System)).App;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private (BunitContext Ctx, IRenderedComponent<ConsentPage> Page) Render()
    {
        var ctx = ComponentContext.Create();
        ctx.UseHostServices(_host, "organizer@example.com", typeof(ConsentCatalog), typeof(ConsentAdmin), typeof(LookupService), typeof(IOptions<RetentionOptions>));
        ctx.AddMudProviders();
        var page = ctx.Render<ConsentPage>(p => p.Add(c => c.AppId, _app.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#categories-table")));
        return (ctx, page);
    }

    [Fact]
    public async Task Category_headers_are_separate_cells_and_each_category_shows_its_settings()
    {
        var (ctx, page) = Render();
        await using var _ = ctx;
        var headers = page.FindAll("#categories-table th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Key", "Label", "Default", "Transactional", "Cap", "Actions"], headers);
        Assert.Contains("retention", page.Find("#retention-note").TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_quiet_hour_is_shown_beside_its_field_and_nothing_is_saved()
    {
        var (ctx, page) = Render();
        await using var _ = ctx;
        var before = await _host.Get<ConsentCatalog>().GetFreshAsync(_app.Id);
        page.Find("#quiet-start").Change("25:00");
        await page.Find("#save-consent-settings").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Give a time of day as HH:mm", page.ErrorBeside("quiet-start")));
        Assert.Equal("", page.ErrorBeside("quiet-end"));
        var after = await _host.Get<ConsentCatalog>().GetFreshAsync(_app.Id);
        Assert.Equal(before.QuietStartMinute, after.QuietStartMinute);
    }

    [Fact]
    public async Task A_new_category_is_added_and_a_missing_key_is_shown_beside_the_key()
    {
        var (ctx, page) = Render();
        await using var _ = ctx;
        page.Find("#category-label").Change("Announcements");
        await page.Find("#save-category").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("A key is 1 to 64 letters", page.ErrorBeside("category-key")));

        page.Find("#category-key").Change("announcements");
        await page.Find("#save-category").ClickAsync(new());
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#categories-table tr[data-category=announcements]")));
        Assert.Contains((await _host.Get<ConsentCatalog>().GetFreshAsync(_app.Id)).Categories, c => c.Key == "announcements" && c.Label == "Announcements");
    }
}
