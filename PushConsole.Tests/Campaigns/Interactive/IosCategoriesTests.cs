using Bunit;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns.Compose;
using PushConsole.Campaigns.Compose.Pages;
using PushConsole.Campaigns.Interactive;
using PushConsole.Campaigns.Interactive.Pages;
using PushConsole.Tests.Campaigns.ServerApi;
using MudBlazor;

namespace PushConsole.Tests.Campaigns.Interactive;

/// <summary>An app's iOS categories: the service's rules, the server API, the app page's card and compose's suggestion.</summary>
public sealed class IosCategoriesTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static IosCategoryRequest Invite(string id = "SESSION_INVITE", params (string Id, string Title)[] actions) =>
        new(id, [.. (actions.Length == 0 ? [("going", "I'm going"), ("skip", "Not this time")] : actions).Select(a => new IosCategoryActionRequest(a.Id, a.Title))]);

    [Fact]
    public async Task Categories_are_added_renamed_and_deleted_and_each_bad_part_is_named_with_nothing_stored()
    {
        await using var host = await AppHost.StartAsync();
        var app = (await host.Get<AppService>().CreateAsync(new NewApp("Summit"), Actor.System)).App;
        var categories = host.Get<IosCategories>();

        var bad = await Assert.ThrowsAsync<BadInputException>(() => categories.SaveAsync(app.Id, null,
            new IosCategoryRequest("SESSION INVITE", [new("Going", "I'm going"), new("skip", " "), new("skip", "Skip"), new("more", "More")]), Actor.System));
        Assert.Equal(["actions", "actions[0].id", "actions[1].title", "actions[2].id", "id"], bad.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await categories.ListAsync(app.Id));

        await categories.SaveAsync(app.Id, null, Invite(), Actor.System);
        var taken = await Assert.ThrowsAsync<BadInputException>(() => categories.SaveAsync(app.Id, null, Invite("session_invite"), Actor.System));
        Assert.Contains("already has the category SESSION_INVITE", taken.First("id"));

        await categories.SaveAsync(app.Id, "SESSION_INVITE", Invite("SESSION_RSVP", ("yes", "Yes")), Actor.System);
        var only = Assert.Single(await categories.ListAsync(app.Id));
        Assert.Equal(("SESSION_RSVP", "yes", "Yes"), (only.Id, only.Actions.Single().Id, only.Actions.Single().Title));
        await Assert.ThrowsAsync<NotFoundException>(() => categories.SaveAsync(app.Id, "SESSION_INVITE", Invite(), Actor.System));

        await categories.DeleteAsync(app.Id, "SESSION_RSVP", Actor.System);
        Assert.Empty(await categories.ListAsync(app.Id));
    }

    [Fact]
    public async Task The_server_API_replaces_the_list_and_a_bad_item_is_a_400_naming_it_that_changes_nothing()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        var put = await kit.PutAsync("v4/app/ios_categories", """
            {"categories": [{"id": "SESSION_INVITE", "actions": [{"id": "going", "title": "I'm going"}, {"id": "skip", "title": "Not this time"}]},
                            {"id": "QUIZ", "actions": [{"id": "a", "title": "A"}]}]}
            """);
        var saved = await kit.OkJsonAsync(put);
        Assert.Equal(["QUIZ", "SESSION_INVITE"], saved.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        var refused = await kit.PutAsync("v4/app/ios_categories", """
            {"categories": [{"id": "SESSION_INVITE", "actions": [{"id": "going", "title": "I'm going"}]},
                            {"id": "QUIZ", "actions": [{"id": "A?", "title": "A"}]}]}
            """);
        Assert.Contains("lowercase", await ServerApiKit.ProblemAsync(refused, 400, "categories[1].actions[0].id"));
        Assert.Contains("\"colour\"", await ServerApiKit.ProblemAsync(
            await kit.PutAsync("v4/app/ios_categories", """{"categories": [{"id": "QUIZ", "colour": "red", "actions": [{"id": "a", "title": "A"}]}]}"""), 400, "categories[0].colour"));

        var listed = await kit.OkJsonAsync(await kit.Api.GetAsync("v4/app/ios_categories"));
        var invite = listed.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "SESSION_INVITE");
        Assert.Equal(["going", "skip"], invite.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_app_page_card_lists_adds_edits_and_deletes_categories_with_errors_beside_their_fields()
    {
        await using var host = await AppHost.StartAsync();
        var app = (await host.Get<AppService>().CreateAsync(new NewApp("Summit"), Actor.System)).App;
        await using var ctx = ComponentContext.Create();
        ctx.UseHostServices(host, "admin@example.com", typeof(IosCategories));
        ctx.AddMudProviders();
        var card = ctx.Render<IosCategoriesCard>(p => p.Add(c => c.AppId, app.Id));
        card.WaitForAssertion(() => Assert.NotNull(card.Find("#no-ios-categories")));

        await card.Find("#add-ios-category").ClickAsync(new());
        card.Find("#ios-category-id").Change("SESSION INVITE");
        card.Find("#ios-action-id-0").Change("Going");
        await card.Find("#save-ios-category").ClickAsync(new());
        card.WaitForAssertion(() => Assert.Contains("SESSION_INVITE", card.ErrorBeside("ios-category-id")));
        Assert.Contains("lowercase", card.ErrorBeside("ios-action-id-0"));
        Assert.Contains("title", card.ErrorBeside("ios-action-title-0"));
        Assert.Empty(await host.Get<IosCategories>().ListAsync(app.Id));

        card.Find("#ios-category-id").Change("SESSION_INVITE");
        card.Find("#ios-action-id-0").Change("going");
        card.Find("#ios-action-title-0").Change("I'm going");
        await card.Find("#add-ios-action").ClickAsync(new());
        card.Find("#ios-action-id-1").Change("skip");
        card.Find("#ios-action-title-1").Change("Not this time");
        await card.Find("#save-ios-category").ClickAsync(new());
        card.WaitForAssertion(() => Assert.Contains("going: I'm going · skip: Not this time", card.Find("[data-category=SESSION_INVITE]").TextContent));
        Assert.Empty(card.FindAll("#ios-category-editor"));

        await card.Find("#edit-category-SESSION_INVITE").ClickAsync(new());
        await card.Find("#remove-ios-action-1").ClickAsync(new());
        card.Find("#ios-action-title-0").Change("Count me in");
        await card.Find("#save-ios-category").ClickAsync(new());
        card.WaitForAssertion(() => Assert.Equal("going: Count me in", card.Find("[data-category=SESSION_INVITE] td:nth-child(2)").TextContent));
        Assert.Equal("Count me in", (await host.Get<IosCategories>().ListAsync(app.Id)).Single().Actions.Single().Title);

        await card.Find("#delete-category-SESSION_INVITE").ClickAsync(new());
        await card.Find("#confirm-delete-category-SESSION_INVITE").ClickAsync(new());
        card.WaitForAssertion(() => Assert.NotNull(card.Find("#no-ios-categories")));
        Assert.Empty(await host.Get<IosCategories>().ListAsync(app.Id));
    }

    private static readonly IReadOnlyList<IosCategoryView> Registered =
    [
        new("QUIZ_ANSWER", [new("a", "A"), new("b", "B")]),
        new("SESSION_INVITE", [new("going", "I'm going"), new("skip", "Not this time")]),
    ];

    [Fact]
    public async Task Compose_suggests_the_apps_categories_fills_the_buttons_from_one_and_warns_about_an_unregistered_one()
    {
        await using var ctx = ComponentContext.Create();
        ctx.AddMudProviders();
        var variant = new VariantForm { Key = "A" };
        variant.For("en").Body = "Keynote tomorrow";
        var own = variant.AddAction()!;
        (own.Id, own.Title, own.Url) = ("going", "Yes", "app://session/42");
        variant.AddAction()!.Title = "Later";
        variant.For("fr").ActionTitles["button2"] = "Plus tard";
        var editor = ctx.Render<OverridesEditor>(p => p.Add(e => e.Variant, variant).Add(e => e.Path, "message.variants[0].overrides").Add(e => e.IosCategories, Registered));

        // the field suggests the app's categories, those starting with the typed text first
        var field = editor.FindComponent<MudAutocomplete<string>>();
        var search = field.Instance.SearchFunc!;
        async Task<string[]> SuggestAsync(string text) => [.. (await search(text, CancellationToken.None)!) ?? []];
        Assert.Equal(["SESSION_INVITE"], await SuggestAsync("SES"));
        Assert.Equal(["QUIZ_ANSWER"], await SuggestAsync("answer"));
        Assert.Equal(["QUIZ_ANSWER", "SESSION_INVITE"], await SuggestAsync(""));
        Assert.Empty(editor.FindAll("#ios-category-warning"));

        // a category the app does not list: a warning that the push is sent anyway, no buttons offered
        variant.IosCategory = "SESSION_INVTE";
        editor.Render();
        Assert.Contains("not one of this app's iOS categories", editor.Find("#ios-category-warning").TextContent);
        Assert.Contains("sent anyway", editor.Find("#ios-category-warning").TextContent);
        Assert.Empty(editor.FindAll("#use-category-buttons"));

        // a listed one whose buttons differ: said, and one click fills them (the link of a kept id stays, translations of dropped ids go)
        variant.IosCategory = "SESSION_INVITE";
        editor.Render();
        Assert.Contains("going, skip", editor.Find("#ios-category-warning").TextContent);
        await editor.Find("#use-category-buttons").ClickAsync(new());
        Assert.Equal([("going", "I'm going", "app://session/42"), ("skip", "Not this time", null)], variant.Actions.Select(a => (a.Id, a.Title, a.Url)));
        Assert.Empty(variant.For("fr").ActionTitles);
        editor.Render();
        Assert.Empty(editor.FindAll("#ios-category-warning"));
        Assert.Empty(editor.FindAll("#use-category-buttons"));
    }
}
