using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using PushConsole.Accounts;
using PushConsole.Audience;
using PushConsole.Campaigns.Compose;
using PushConsole.Campaigns.Compose.Pages;
using PushConsole.Campaigns.TestDevices;

namespace PushConsole.Tests.Campaigns.Compose;

/// <summary>The compose page in bunit over a real app host's services: problems beside their fields, language tabs, A/B weights, previews, templates.</summary>
public sealed class ComposeFormTests : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private BunitContext Context()
    {
        var ctx = ComponentContext.Create();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("organizer@example.com");
        auth.SetPolicies(Policies.Console, Policies.Organizer);
        foreach (var type in new[] { typeof(ComposeService), typeof(ComposeSupport), typeof(ComposeTemplates), typeof(TestDeviceService), typeof(SegmentSuggestions), typeof(PushConsole.Campaigns.Interactive.IosCategories) })
            ctx.Services.AddSingleton(type, _s.Host.Services.GetRequiredService(type));
        ctx.Services.AddScoped<ConsoleActor>();
        ctx.Services.AddLogging();
        ctx.AddMudProviders();
        return ctx;
    }

    private static IRenderedComponent<ComposePage> Render(BunitContext ctx)
    {
        var page = ctx.Render<ComposePage>();
        page.WaitForElement("#review-send", TimeSpan.FromSeconds(20));
        return page;
    }

    private static string ActiveTab(IRenderedComponent<ComposePage> page, string tabs) => page.Find($"#{tabs} .mini-tab.active").TextContent.Trim();

    [Fact]
    public async Task Each_problem_is_shown_beside_its_field_and_counted_in_the_send_bar()
    {
        await using var ctx = Context();
        var page = Render(ctx);

        page.Find("#review-send").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#compose-problems")), TimeSpan.FromSeconds(20));
        // the campaign name's message sits in the same field box as its input
        var name = page.Find("#error-name");
        Assert.Contains("name", name.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Same(page.Find("#compose-name").Closest(".field"), name.Closest(".field"));
        // the missing default-language text is named on the content editor, with the en tab active
        Assert.Contains("Content in the default language (en) is required", page.Find("#error-content").TextContent);
        Assert.Equal("en", ActiveTab(page, "languages"));
        var count = page.FindAll(".field-error[data-field]").Sum(e => 1);
        Assert.StartsWith(count == 1 ? "1 problem" : $"{count} problems", page.Find("#compose-problems").TextContent.Trim());

        // writing the text and a name clears those problems on the next check
        page.Find("#compose-name").Change("Doors open");
        page.Find("#content-title").Input("Doors open");
        page.Find("#content-body").Input("Welcome to the venue");
        page.Find("#review-send").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#error-name")), TimeSpan.FromSeconds(20));
        Assert.Empty(page.FindAll("#error-content"));
    }

    [Fact]
    public async Task Enter_in_add_a_language_adds_a_tab_and_each_tab_keeps_its_own_text_and_preview()
    {
        await using var ctx = Context();
        var page = Render(ctx);
        page.Find("#content-title").Input("Keynote moved");
        page.Find("#content-body").Input("Now in Hall B");

        page.Find("#new-language").Input("fr");
        page.Find("#new-language").KeyDown(new KeyboardEventArgs { Key = "Enter" });

        page.WaitForAssertion(() => Assert.Equal("fr", ActiveTab(page, "languages")));
        Assert.Equal(["en", "fr"], page.FindAll("#languages .mini-tab").Select(t => t.TextContent.Trim()));
        // fr has no text yet: its preview says it falls back to en, in words that do not contradict themselves
        var fr = page.Find(".preview-combo[data-language=fr]");
        Assert.Equal("No fr text: fr recipients get the en text shown here.", fr.QuerySelector(".combo-note")!.TextContent.Trim());
        Assert.Equal("Keynote moved", page.Find("#preview-android .preview-title").TextContent.Trim());

        page.Find("#content-title").Input("La keynote change de salle");
        page.Find("#content-body").Input("Désormais en salle B");
        page.WaitForAssertion(() => Assert.Equal("La keynote change de salle", page.Find("#preview-ios .preview-title").TextContent.Trim()));
        Assert.Null(page.Find(".preview-combo[data-language=fr]").QuerySelector(".combo-note"));

        page.Find("#languages .mini-tab[data-language=en]").Click();
        page.WaitForAssertion(() => Assert.Equal("Keynote moved", page.Find("#content-title").GetAttribute("value")));
        // both languages stay in view side by side, the one edited outlined
        Assert.Equal("La keynote change de salle", page.Find("[data-test='preview-A-fr-ios'] .preview-title").TextContent.Trim());
        Assert.Equal("en", page.Find(".preview-combo.current").GetAttribute("data-language"));
    }

    [Fact]
    public async Task A_second_variant_splits_the_shares_and_a_sum_other_than_100_is_named()
    {
        await using var ctx = Context();
        var page = Render(ctx);
        page.Find("#content-title").Input("Doors open");

        page.Find("#add-variant").Click();

        page.WaitForAssertion(() => Assert.Equal("B", ActiveTab(page, "variants")));
        Assert.Equal("Shares add up to 100 %", page.Find("#weights-sum").TextContent.Trim());
        page.Find("#weight-A").Change("70");
        page.WaitForAssertion(() => Assert.Equal("Shares add up to 120 %; they must add up to 100", page.Find("#weights-sum").TextContent.Trim()));
        Assert.Contains("field-error", page.Find("#weights-sum").ClassName);
        page.Find("#split-evenly").Click();
        page.WaitForAssertion(() => Assert.Equal("Shares add up to 100 %", page.Find("#weights-sum").TextContent.Trim()));
        // both variants are previewed, B starting as a copy of A
        Assert.Equal(["A", "B"], page.FindAll(".preview-combo").Select(c => c.GetAttribute("data-variant")));
        Assert.Equal("Doors open", page.Find("[data-test='preview-A-en-android'] .preview-title").TextContent.Trim());
    }

    [Fact]
    public async Task The_confirmation_names_the_recipients_and_what_each_language_says()
    {
        await _s.RegisterAsync(android: 2, ios: 1, prefix: "confirm");
        await using var ctx = Context();
        var dialogs = ctx.Render<MudBlazor.MudDialogProvider>();
        var page = Render(ctx);
        page.Find("#compose-name").Change("Doors open");
        page.Find("#content-title").Input("Doors open");
        page.Find("#content-body").Input("Welcome to the venue");
        page.Find("#new-language").Input("fr");
        page.Find("#add-language").Click();

        page.Find("#review-send").Click();

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-test=confirm-content]")), TimeSpan.FromSeconds(20));
        Assert.Contains("to 3 recipients (2 Android, 1 iOS)", dialogs.Find("[data-test=confirm-summary]").TextContent);
        var rows = dialogs.FindAll("[data-test=confirm-content] tbody tr").Select(r => string.Join("|", r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()))).ToList();
        Assert.Equal(["en|Doors open|Welcome to the venue", "fr (gets en)|Doors open|Welcome to the venue"], rows);
        Assert.Equal("Send to 3 recipients", dialogs.Find("#confirm-ok").TextContent.Trim());
    }

    [Fact]
    public async Task A_duplicated_campaign_opens_as_a_copy_timed_in_the_venue_zone_of_the_agenda()
    {
        await _s.Host.Get<PushConsole.Agenda.AgendaService>().SaveEventAsync(_s.App.Id, new PushConsole.Agenda.EventForm
        {
            Name = "DevConf", TimeZone = "Europe/Paris", StartDate = new DateTime(2026, 12, 10), EndDate = new DateTime(2026, 12, 11),
        }, PushConsole.Audit.Actor.System);
        var original = await _s.Host.Get<PushConsole.Campaigns.CampaignService>().CreateAsync(new PushConsole.Campaigns.CampaignDraft
        {
            AppId = _s.App.Id, Name = "Keynote moved", Audience = PushConsole.Sending.AudienceSpec.Everyone,
            Message = DispatchScenario.Message("Keynote moved", "Now in Hall B"),
        }, PushConsole.Audit.Actor.System);

        await using var ctx = Context();
        var fresh = Render(ctx);
        var at = fresh.FindAll("label").First(l => l.TextContent.Contains("At a date and time")).QuerySelector("input")!;
        try { at.Change(true); } catch (MissingEventHandlerException) { at.Click(); }
        fresh.WaitForAssertion(() => Assert.Equal("Europe/Paris", fresh.Find("#schedule-zone").GetAttribute("value")));
        Assert.Contains("Europe/Paris", fresh.Find("[data-test=schedule-zone-note]").TextContent);

        await using var copyCtx = Context();
        copyCtx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"compose?duplicate={original.Id}");
        var copy = Render(copyCtx);
        Assert.Equal("Keynote moved (copy)", copy.Find("#compose-name").GetAttribute("value"));
        Assert.Equal("Keynote moved", copy.Find("#content-title").GetAttribute("value"));
        Assert.Equal("Now in Hall B", copy.Find("#content-body").TextContent.Trim() is { Length: > 0 } body ? body : copy.Find("#content-body").GetAttribute("value"));
        Assert.Equal("Review and send", copy.Find("#review-send").TextContent.Trim());
    }

    [Fact]
    public async Task Content_saved_as_a_template_starts_the_next_campaign()
    {
        await using var ctx = Context();
        var page = Render(ctx);
        page.Find("#content-title").Input("Room change");
        page.Find("#content-body").Input("The session moves to Hall B");
        page.Find("#save-template").Click();
        page.WaitForAssertion(() => Assert.Contains("Name the template", page.Find("#error-templateName").TextContent));
        page.Find("#template-name").Input("Room change");
        page.Find("#save-template").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#error-templateName")));

        var templates = _s.Host.Get<ComposeTemplates>();
        var saved = Assert.Single(await templates.ListAsync(_s.App.Id));
        var form = new ComposeForm { AppId = _s.App.Id };
        await templates.ApplyAsync(saved.Id, form);
        Assert.Equal("Room change", form.Variants[0].For("en").Title);
        Assert.Equal("The session moves to Hall B", form.Variants[0].For("en").Body);
    }
}
