using PushConsole.Sending;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Audit;
using PushConsole.Campaigns;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class CampaignPagesBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _s.Host.Output = output;
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task The_campaigns_list_has_a_readable_name_column_searches_and_opens_a_row()
    {
        var campaigns = _s.Host.Get<CampaignService>();
        Campaign? keynote = null;
        foreach (var name in new[] { "Lunch is served", "Keynote moved to Hall B", "Closing party" })
        {
            var c = await campaigns.CreateAsync(new CampaignDraft
            {
                AppId = _s.App.Id, Name = name, Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(),
                Schedule = new AtSchedule(DateTime.UtcNow.AddDays(1)),
            }, Actor.System);
            if (name.StartsWith("Keynote", StringComparison.Ordinal)) keynote = c;
        }
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 800);
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, "campaigns");

        var links = page.Locator("[data-test=campaign-link]");
        await Assertions.Expect(links).ToHaveCountAsync(3);
        var width = await page.Locator("[data-test=campaigns-grid] td.col-name").First.EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        Assert.True(width >= 200, $"the name column is {width} px wide");

        await page.FillAsync("#campaign-search", "keynote");
        await Assertions.Expect(links).ToHaveCountAsync(1);
        await Assertions.Expect(links).ToHaveTextAsync("Keynote moved to Hall B");

        // a click anywhere on the row opens the campaign
        await page.Locator("[data-test=campaigns-grid] tbody tr").First.Locator("td").Nth(1).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/campaigns/{keynote!.Id}$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Keynote moved to Hall B");
    }

    [Fact]
    public async Task The_campaign_page_opened_before_the_launch_follows_it_to_the_pick_buttons_and_reports_the_rollout_apart()
    {
        await _s.RegisterAsync(android: 40, prefix: "ab");
        var variants = new[] { "A", "B" }.Select(k => new CampaignVariant
        {
            Key = k, Weight = 50,
            Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = $"Title {k}", Body = "Body" } },
        }).ToList();
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        // launches a few seconds after the page is open, as right after "Send" on a loaded box
        var campaign = await _s.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = _s.App.Id, Name = "Which title?", Audience = AudienceSpec.Everyone,
            Message = new CampaignMessage { DefaultLanguage = "en", Variants = variants, Winner = new WinnerRule { Mode = WinnerMode.Manual, TestPercent = 50 } },
            Schedule = new AtSchedule(DateTime.UtcNow.AddSeconds(4)),
        }, Actor.System);
        await page.GotoConsoleAsync(_s.Host, $"campaigns/{campaign.Id}");
        await Assertions.Expect(page.Locator("[data-test=campaign-status]")).ToHaveTextAsync("scheduled");

        // without a reload: the deliveries, the waiting rest and the buttons to pick the winner
        await Assertions.Expect(page.Locator("#pick-B")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-test=deliveries-range]")).ToHaveTextAsync(new Regex("of 40$"));
        await Assertions.Expect(page.Locator("[data-test=winner-status]")).ToContainTextAsync("recipients wait for the winner.");
        var awaiting = long.Parse(await page.Locator("#count-awaiting").InnerTextAsync());
        Assert.InRange(awaiting, 1, 39);

        await page.ClickAsync("#pick-B");
        await page.Locator(".mud-dialog button", new() { HasText = "Send B" }).ClickAsync();
        // the rest is reported as the rollout, not merged into B's test figures
        var rollout = page.Locator("[data-test=rollout-B]");
        await Assertions.Expect(rollout).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(rollout.Locator("td").Nth(1)).ToHaveTextAsync(awaiting.ToString("N0"));
        await Assertions.Expect(page.Locator("[data-test=winner-status]")).ToContainTextAsync(new Regex(@"Winner: B\. \S"));
        var testRows = await page.Locator("[data-test=variant-results] tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(40 - awaiting, testRows.Sum(t => long.Parse(t.Replace(",", ""))));
        // nothing was opened: B is picked, not starred over an equal A
        await Assertions.Expect(page.Locator("#variant-B")).ToContainTextAsync("picked · sent to the rest");
        await Assertions.Expect(page.Locator("#variant-B")).Not.ToContainTextAsync("★");
        await Assertions.Expect(page.Locator("#variant-A")).ToContainTextAsync("default");
    }
}
