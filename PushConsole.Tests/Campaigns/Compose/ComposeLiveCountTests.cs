using Bunit;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Accounts;
using PushConsole.Audience;
using PushConsole.Campaigns.Compose;
using PushConsole.Campaigns.Compose.Pages;
using PushConsole.Campaigns.TestDevices;
using PushConsole.Devices;

namespace PushConsole.Tests.Campaigns.Compose;

/// <summary>The compose page's live count in bunit over a real app host: typing waits for a pause, then counts only what was typed last.</summary>
public sealed class ComposeLiveCountTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task Typing_installation_ids_counts_once_after_the_pause_and_shows_the_last_list()
    {
        var devices = await _s.RegisterAsync(android: 2, ios: 1, prefix: "live");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ctx = ComponentContext.Create();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("organizer@example.com");
        auth.SetPolicies(Policies.Console, Policies.Organizer);
        foreach (var type in new[] { typeof(ComposeService), typeof(ComposeSupport), typeof(ComposeTemplates), typeof(TestDeviceService), typeof(SegmentSuggestions), typeof(PushConsole.Campaigns.Interactive.IosCategories) })
            ctx.Services.AddSingleton(type, _s.Host.Services.GetRequiredService(type));
        // the page's pause runs on this clock, so the test decides when it has passed
        ctx.Services.AddSingleton<TimeProvider>(clock);
        ctx.Services.AddScoped<ConsoleActor>();
        ctx.Services.AddLogging();
        ctx.AddMudProviders();
        var page = ctx.Render<ComposePage>();
        page.WaitForElement("#review-send", Wait);
        // the first count (everyone) runs without a pause
        page.WaitForAssertion(() => Assert.Equal("3", Shown(page)), Wait);

        var kind = page.FindAll("label").First(l => l.TextContent.Contains("Installation ids")).QuerySelector("input")!;
        try { kind.Change(true); } catch (MissingEventHandlerException) { kind.Click(); }
        page.WaitForElement("#installation-ids", Wait);
        var android = devices.Where(d => d.Platform == Platform.Android).Select(d => d.InstallationId).ToList();
        var ios = devices.Single(d => d.Platform == Platform.Ios).InstallationId;
        page.Find("#installation-ids").Change(android[0]);
        page.Find("#installation-ids").Change($"{android[0]}, {ios}");
        page.Find("#installation-ids").Change($"{android[0]}\n{android[1]}");

        // nothing is counted while the user types: the last count stands, and the page says a new one is coming
        Assert.Equal("3", Shown(page));
        Assert.NotEmpty(page.FindAll("[aria-label=Counting]"));

        clock.Advance(TimeSpan.FromMilliseconds(250));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("2", Shown(page));
            Assert.Empty(page.FindAll("[aria-label=Counting]"));
        }, Wait);
        Assert.Equal("2", page.Find("#count-android").TextContent.Trim());
        Assert.Equal("0", page.Find("#count-ios").TextContent.Trim());
    }

    private static string Shown(IRenderedComponent<ComposePage> page) => page.Find("#recipient-count").TextContent.Trim();
}
