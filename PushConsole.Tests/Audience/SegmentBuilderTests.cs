using Bunit;
using PushConsole.Api;
using PushConsole.Audience;
using PushConsole.Audience.Pages;

namespace PushConsole.Tests.Audience;

/// <summary>The rule editors in bunit: nested groups, operators that follow the field, errors placed by their path.</summary>
public sealed class SegmentBuilderTests : IAsyncLifetime
{
    private AppHost _host = default!;

    public async Task InitializeAsync() => _host = await AppHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private BunitContext Context()
    {
        var ctx = ComponentContext.Create();
        ctx.Services.AddSingleton(_host.Get<SegmentSuggestions>());
        ctx.AddMudProviders();
        return ctx;
    }

    private static readonly BuilderOptions Options = new() { AppId = 0, Tags = ["vip", "speaker"], AttributeNames = ["role"], Languages = ["en", "fr"] };

    [Fact]
    public async Task Groups_nest_with_the_opposite_match_down_to_the_depth_limit()
    {
        await using var ctx = Context();
        var rules = new SegmentRules();
        var changes = 0;
        var editor = ctx.Render<RuleGroupEditor>(p => p.Add(x => x.Group, rules.Root).Add(x => x.Path, "rules.root").Add(x => x.Options, Options)
            .Add(x => x.OnChanged, () => changes++));

        editor.Find(".rule-group-head .add-group").Click();

        var nested = editor.Find(".rule-group[data-path='rules.root.rules[0]']");
        Assert.Equal("any", nested.QuerySelector(".group-match")!.GetAttribute("value"));
        Assert.Single(nested.QuerySelectorAll(".rule-condition"));
        Assert.Equal(1, changes);
        var group = Assert.IsType<RuleGroup>(Assert.Single(rules.Root.Rules));
        Assert.Equal(GroupMatch.Any, group.Match);

        // deeper and deeper until the limit: the last level cannot add a group
        for (var depth = 2; depth < SegmentRules.MaxDepth; depth++)
            editor.FindAll(".rule-group-head .add-group").Last().Click();
        var deepest = editor.FindAll(".rule-group").Last();
        Assert.Equal(SegmentRules.MaxDepth.ToString(), deepest.GetAttribute("data-depth"));
        Assert.True(deepest.QuerySelector(".rule-group-head .add-group")!.HasAttribute("disabled"));

        // NOT on the nested group negates it in the model
        editor.Find(".rule-group[data-path='rules.root.rules[0]'] .group-not").Change(true);
        Assert.True(group.Not);
    }

    [Fact]
    public async Task The_operators_and_the_value_input_follow_the_chosen_field()
    {
        await using var ctx = Context();
        var rules = new SegmentRules();
        rules.Root.Rules.Add(new RuleCondition());
        var editor = ctx.Render<RuleGroupEditor>(p => p.Add(x => x.Group, rules.Root).Add(x => x.Path, "rules.root").Add(x => x.Options, Options));
        var condition = () => editor.Find(".rule-condition[data-path='rules.root.rules[0]']");
        Assert.Empty(condition().QuerySelectorAll(".operator-select"));

        condition().QuerySelector(".field-select")!.Change("platform");
        var platform = SegmentFields.Find("platform")!;
        Assert.Equal(platform.Operators.Select(o => o.Operator), condition().QuerySelectorAll(".operator-select option").Select(o => o.GetAttribute("value")));
        Assert.Equal(3, condition().QuerySelectorAll(".choice input[type=checkbox]").Length);
        Assert.Empty(condition().QuerySelectorAll(".name-input"));

        condition().QuerySelector(".field-select")!.Change("attribute");
        var attribute = SegmentFields.Find("attribute")!;
        Assert.Equal(attribute.Operators.Select(o => o.Operator), condition().QuerySelectorAll(".operator-select option").Select(o => o.GetAttribute("value")));
        Assert.NotNull(condition().QuerySelector(".name-input"));
        var condition0 = (RuleCondition)rules.Root.Rules[0];
        Assert.Equal(attribute.Operators[0].Operator, condition0.Operator);
        Assert.Empty(condition0.Values);

        // tags take a list with the app's tags suggested
        condition().QuerySelector(".field-select")!.Change("tags");
        Assert.Equal(["vip", "speaker"], condition().QuerySelectorAll("datalist option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task Validation_errors_appear_on_the_condition_and_part_their_path_names()
    {
        await using var ctx = Context();
        var rules = new SegmentRules();
        rules.Root.Rules.Add(new RuleCondition { Field = "platform", Operator = "in", Values = ["android"] });
        var nested = new RuleGroup { Match = GroupMatch.Any, Rules = [new RuleCondition { Field = "attribute", Name = "job title!", Operator = "equals", Values = ["x"] }] };
        rules.Root.Rules.Add(nested);
        var found = new FieldErrors();
        SegmentValidation.Validate(rules, found);
        var errors = found.ToDictionary();
        Assert.Contains("rules.root.rules[1].rules[0].name", errors.Keys);

        var editor = ctx.Render<RuleGroupEditor>(p => p.Add(x => x.Group, rules.Root).Add(x => x.Path, "rules.root").Add(x => x.Options, Options).Add(x => x.Errors, errors));

        var bad = editor.Find(".rule-condition[data-path='rules.root.rules[1].rules[0]'] .field-error");
        Assert.Equal("name", bad.GetAttribute("data-for"));
        Assert.Contains("is not a valid attribute name", bad.TextContent);
        Assert.Empty(editor.FindAll(".rule-condition[data-path='rules.root.rules[0]'] .field-error"));
        Assert.All(editor.FindAll(".field-error"), e => Assert.Equal("rules.root.rules[1].rules[0]", e.Closest(".rule-condition")!.GetAttribute("data-path")));
    }
}
