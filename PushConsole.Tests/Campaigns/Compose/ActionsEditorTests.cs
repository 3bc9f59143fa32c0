using Bunit;
using PushConsole.Api;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Compose;
using PushConsole.Campaigns.Compose.Pages;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns.Compose;

public sealed class ActionsEditorTests
{
    private static ComposeForm Form()
    {
        var form = new ComposeForm { Name = "Keynote", Languages = ["en", "fr"] };
        form.Variants[0].For("en").Body = "Keynote in Hall B";
        form.Variants[0].For("fr").Body = "Keynote en salle B";
        return form;
    }

    [Fact]
    public async Task Buttons_are_added_up_to_three_edited_and_translated_on_the_language_tab()
    {
        await using var ctx = ComponentContext.Create();
        ctx.AddMudProviders();
        var form = Form();
        var variant = form.Variants[0];
        var changes = 0;
        var editor = ctx.Render<ActionsEditor>(p => p.Add(x => x.Current, variant).Add(x => x.Content, variant.For("en")).Add(x => x.Language, "en")
            .Add(x => x.IsDefaultLanguage, true).Add(x => x.Path, "message.variants[0].actions").Add(x => x.Changed, () => changes++));
        for (var i = 0; i < 3; i++) editor.Find("#add-action").Click();
        editor.WaitForAssertion(() => Assert.Equal(3, editor.FindAll(".action-row").Count));
        // the push has its three: no more button to add one
        Assert.Empty(editor.FindAll("#add-action"));
        Assert.Equal(["button1", "button2", "button3"], variant.Actions.Select(a => a.Id));
        editor.Find("#action-title-0").Input("I'm going");
        editor.WaitForAssertion(() => Assert.Equal("I'm going", variant.Actions[0].Title));
        editor.Find("#remove-action-2").Click();
        editor.WaitForAssertion(() => Assert.Equal(2, variant.Actions.Count));
        Assert.True(changes > 0);

        // on the French tab: one title field per button, no ids or links
        var french = ctx.Render<ActionsEditor>(p => p.Add(x => x.Current, variant).Add(x => x.Content, variant.For("fr")).Add(x => x.Language, "fr")
            .Add(x => x.IsDefaultLanguage, false).Add(x => x.Path, "message.variants[0].actions"));
        Assert.Empty(french.FindAll("#action-id-0"));
        french.Find("#action-title-fr-0").Input("J'y vais");
        french.WaitForAssertion(() => Assert.Equal("J'y vais", variant.For("fr").ActionTitles["button1"]));
    }

    [Fact]
    public void The_form_carries_buttons_titles_per_language_the_device_choice_and_the_goal_into_the_draft_and_back()
    {
        var form = Form();
        var variant = form.Variants[0];
        var going = variant.AddAction()!;
        (going.Id, going.Title, going.Url) = ("going", "I'm going", "app://session/42");
        var skip = variant.AddAction()!;
        (skip.Id, skip.Title) = ("skip", "Not this time");
        variant.For("fr").ActionTitles["going"] = "J'y vais";
        variant.For("fr").ActionTitles["skip"] = " ";
        form.Devices = DeviceChoice.LastActive;
        (form.ConversionEvent, form.ConversionHours) = ("session_checked_in", 2);

        var draft = form.ToDraft(1, "ana@example.com");
        var sent = Assert.Single(draft.Message.Variants);
        Assert.Equal(["going", "skip"], sent.Actions!.Select(a => a.Id));
        Assert.Equal("app://session/42", sent.Actions![0].Url);
        // a blank translation falls back to the default title rather than being sent empty
        Assert.Equal(new Dictionary<string, string> { ["going"] = "J'y vais" }, sent.Content["fr"].ActionTitles);
        Assert.Equal(DeviceChoice.LastActive, draft.Options.Devices);
        Assert.Equal(new ConversionGoal { Event = "session_checked_in", WithinSeconds = 7200 }, draft.Options.Conversion);

        var campaign = new Campaign { Name = "x", Audience = draft.Audience, Message = draft.Message, Options = draft.Options, Schedule = draft.Schedule };
        var back = ComposeForm.FromCampaign(campaign, null);
        Assert.Equal(["going", "skip"], back.Variants[0].Actions.Select(a => a.Id));
        Assert.Equal("J'y vais", back.Variants[0].For("fr").ActionTitles["going"]);
        Assert.Equal(("session_checked_in", 2, DeviceChoice.LastActive), (back.ConversionEvent, back.ConversionHours, back.Devices));

        // removing a button drops its translations; the checks place a bad button under the buttons editor
        variant.RemoveAction(going);
        Assert.False(variant.For("fr").ActionTitles.ContainsKey("going"));
        var errors = new FieldErrors();
        variant.Actions[0].Url = "http://insecure.example";
        PushConsole.Campaigns.Interactive.ActionRules.Check(form.ToDraft(1, "ana@example.com").Message, new DeliveryOptions(), errors);
        var placed = ComposeFields.Place(errors.ToDictionary());
        Assert.True(placed.ContainsKey("message.variants[0].actions"), string.Join(", ", placed.Keys));
    }
}
