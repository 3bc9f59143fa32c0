using PushConsole.Sending;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Pages;

namespace PushConsole.Tests.Campaigns;

/// <summary>The campaigns list's query: text, status, plan, agenda session and track, dates, sorting and pages, all in SQL.</summary>
public sealed class CampaignSearchTests : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private Task<Campaign> CreateAsync(string name, string? plan = null, string? originRef = null, DateTime? at = null) =>
        _s.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = _s.App.Id, Name = name, Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(), PlanKey = plan,
            Origin = originRef is null ? CampaignOrigin.Console : CampaignOrigin.Agenda, OriginRef = originRef,
            Schedule = new AtSchedule(at ?? DateTime.UtcNow.AddDays(2)),
        }, Actor.System);

    [Fact]
    public async Task Filters_combine_and_pages_come_from_sql_with_the_total()
    {
        await _s.Host.Get<PlanService>().CreateAsync(_s.App.Id, "spring_sale", "Spring sale", Actor.System);
        var planId = (await _s.Host.Get<PlanService>().ListAsync(null)).Single().Id;
        for (var i = 1; i <= 27; i++) await CreateAsync($"Lunch reminder {i:00}");
        var keynote = await CreateAsync("Keynote moved", originRef: "session:s-42:change");
        var sale = await CreateAsync("Spring sale opens", plan: "spring_sale", at: DateTime.UtcNow.AddDays(10));
        await _s.Host.Get<CampaignControl>().CancelAsync(sale.Id, null, Actor.System);
        var search = _s.Host.Get<CampaignSearch>();

        var (page1, total) = await search.FindAsync(new CampaignSearchFilter(), CampaignSort.Newest, true, 0, 25);
        Assert.Equal(29, total);
        Assert.Equal(25, page1.Count);
        Assert.Equal("Spring sale opens", page1[0].Name);
        var (page2, _) = await search.FindAsync(new CampaignSearchFilter(), CampaignSort.Newest, true, 25, 25);
        Assert.Equal(4, page2.Count);
        Assert.Empty(page1.Select(c => c.Id).Intersect(page2.Select(c => c.Id)));

        Assert.Equal(["Keynote moved"], (await search.FindAsync(new CampaignSearchFilter(Text: "KEYNOTE"), CampaignSort.Newest, true, 0, 25)).Items.Select(c => c.Name));
        Assert.Equal(["Spring sale opens"], (await search.FindAsync(new CampaignSearchFilter(Status: CampaignStatus.Cancelled), CampaignSort.Newest, true, 0, 25)).Items.Select(c => c.Name));
        Assert.Equal(["Spring sale opens"], (await search.FindAsync(new CampaignSearchFilter(PlanId: planId), CampaignSort.Newest, true, 0, 25)).Items.Select(c => c.Name));
        Assert.Equal([keynote.Id], (await search.FindAsync(new CampaignSearchFilter(Session: "s-42"), CampaignSort.Newest, true, 0, 25)).Items.Select(c => c.Id));
        Assert.Empty((await search.FindAsync(new CampaignSearchFilter(Session: "s-4"), CampaignSort.Newest, true, 0, 25)).Items);
        var later = await search.FindAsync(new CampaignSearchFilter(From: DateTime.UtcNow.AddDays(5)), CampaignSort.Newest, true, 0, 25);
        Assert.Equal(["Spring sale opens"], later.Items.Select(c => c.Name));
        var (byName, _) = await search.FindAsync(new CampaignSearchFilter(Text: "lunch"), CampaignSort.Name, false, 0, 3);
        Assert.Equal(["Lunch reminder 01", "Lunch reminder 02", "Lunch reminder 03"], byName.Select(c => c.Name));
    }

    [Fact]
    public async Task Automation_and_game_sends_stay_out_of_the_default_list_and_have_their_own_choice()
    {
        async Task<Campaign> FromAsync(string name, CampaignOrigin origin) =>
            await _s.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
            {
                AppId = _s.App.Id, Name = name, Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(), Origin = origin,
                OriginRef = $"{origin}:1", Schedule = new AtSchedule(DateTime.UtcNow.AddDays(2)),
            }, Actor.System);
        await CreateAsync("Lunch reminder");
        await FromAsync("Welcome at the venue", CampaignOrigin.Automation);
        await FromAsync("Quiz completed by ada", CampaignOrigin.Game);
        var search = _s.Host.Get<CampaignSearch>();
        async Task<IEnumerable<string>> NamesAsync(CampaignSource source) =>
            (await search.FindAsync(new CampaignSearchFilter(Source: source), CampaignSort.Name, false, 0, 25)).Items.Select(c => c.Name);

        Assert.Equal(["Lunch reminder"], await NamesAsync(CampaignSource.Sends));
        Assert.Equal(["Welcome at the venue"], await NamesAsync(CampaignSource.Automations));
        Assert.Equal(["Quiz completed by ada"], await NamesAsync(CampaignSource.Game));
        Assert.Equal(["Lunch reminder", "Quiz completed by ada", "Welcome at the venue"], await NamesAsync(CampaignSource.All));
    }
}
