using Bunit;
using PushConsole.Campaigns.Compose;
using PushConsole.Campaigns.Compose.Pages;

namespace PushConsole.Tests.Campaigns.Compose;

public sealed class AbTestEditorTests
{
    private static ComposeForm TwoVariants()
    {
        var form = new ComposeForm();
        form.Variants[0].For("en").Title = "A title";
        form.AddVariant();
        return form;
    }

    /// <summary>MudBlazor's check boxes and radios listen to change or click depending on the control.</summary>
    private static void Toggle(AngleSharp.Dom.IElement input)
    {
        try { input.Change(true); }
        catch (MissingEventHandlerException) { input.Click(); }
    }

    [Fact]
    public async Task Shares_that_do_not_add_up_to_100_are_named_and_split_evenly_fixes_them_with_a_control_group()
    {
        await using var ctx = ComponentContext.Create();
        ctx.AddMudProviders();
        var form = TwoVariants();
        var changes = 0;
        var editor = ctx.Render<AbTestEditor>(p => p.Add(x => x.Form, form).Add(x => x.Changed, () => changes++));
        Assert.Equal("Shares add up to 100 %", editor.Find("#weights-sum").TextContent.Trim());

        editor.Find("#weight-B").Change("80");
        editor.WaitForAssertion(() => Assert.Equal("Shares add up to 130 %; they must add up to 100", editor.Find("#weights-sum").TextContent.Trim()));
        Assert.True(changes > 0);

        // a control group takes its share and the variants split the rest
        Toggle(editor.FindAll("label").First(l => l.TextContent.Contains("Control group")).QuerySelector("input")!);
        editor.WaitForAssertion(() => Assert.True(form.ControlGroup));
        Assert.Equal(100, form.WeightSum);
        Assert.Equal("Shares add up to 100 %", editor.Find("#weights-sum").TextContent.Trim());
    }

    [Fact]
    public async Task The_winner_rule_explains_itself_and_names_the_default()
    {
        await using var ctx = ComponentContext.Create();
        ctx.AddMudProviders();
        var form = TwoVariants();
        var editor = ctx.Render<AbTestEditor>(p => p.Add(x => x.Form, form));
        Assert.Empty(editor.FindAll("#winner-explained"));

        Toggle(editor.FindAll("input[type=radio]")[2]);
        editor.WaitForAssertion(() => Assert.Equal(WinnerChoice.Automatic, form.Winner));
        var text = editor.Find("#winner-explained").TextContent;
        Assert.Contains("20 % of the audience gets the variants", text);
        Assert.Contains("otherwise the default, A, does", text);
        Assert.NotEmpty(editor.FindAll("#wait-minutes"));

        Toggle(editor.FindAll("input[type=radio]")[1]);
        editor.WaitForAssertion(() => Assert.Contains("waits until you pick the winner", editor.Find("#winner-explained").TextContent));
        Assert.Empty(editor.FindAll("#wait-minutes"));
    }

    [Fact]
    public async Task Errors_of_the_winner_rule_are_shown_beside_their_fields()
    {
        await using var ctx = ComponentContext.Create();
        ctx.AddMudProviders();
        var form = TwoVariants();
        form.Winner = WinnerChoice.Automatic;
        var errors = new Dictionary<string, string[]>
        {
            ["message.winner.testPercent"] = ["Test on 1 to 90 % of the audience."],
            ["message.variants"] = ["Variant weights must add up to 100 (they add up to 130)."],
        };
        var editor = ctx.Render<AbTestEditor>(p => p.Add(x => x.Form, form).Add(x => x.Errors, errors));

        Assert.Equal("Test on 1 to 90 % of the audience.", editor.Find("#error-message-winner-testPercent").TextContent);
        Assert.Same(editor.Find("#test-percent").Closest(".field"), editor.Find("#error-message-winner-testPercent").Closest(".field"));
        Assert.Contains("must add up to 100", editor.Find("#error-weights").TextContent);
    }
}
