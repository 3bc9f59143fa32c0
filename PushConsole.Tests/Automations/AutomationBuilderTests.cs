using System.Text.Json;
using PushConsole.Api;
using PushConsole.Automations;

namespace PushConsole.Tests.Automations;

/// <summary>The builder's logic, as the page uses it: recipes in, API bodies out, errors beside the step they name.</summary>
public sealed class AutomationBuilderTests
{
    [Fact]
    public void Every_recipe_loads_into_the_builder_and_comes_back_out_as_a_valid_automation()
    {
        foreach (var recipe in AutomationRecipes.All)
        {
            var builder = AutomationBuilder.FromJson(recipe.Json);
            using var doc = JsonDocument.Parse(builder.ToJson());
            var errors = new FieldErrors();
            var input = AutomationParser.Parse(doc.RootElement, "en", errors);
            Assert.False(errors.Any, $"{recipe.Key}: {string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {e.Value[0]}"))}");
            Assert.NotNull(input.Definition);
            Assert.False(builder.HasErrors);
        }
    }

    [Fact]
    public void Steps_are_numbered_by_path_through_branches_and_renumbered_when_one_is_added_or_removed()
    {
        var builder = AutomationBuilder.FromJson("""
            { "name": "x", "trigger": { "event": { "type": "custom", "name": "go" } },
              "steps": [ { "delay": { "seconds": 1 } },
                         { "branch": { "if": { "version": 1, "root": { "match": "all", "rules": [] } },
                                       "then": [ { "tag": { "add": ["a"] } }, { "push": { "notification": { "alert": "A" } } } ], "else": [ { "tag": { "add": ["b"] } } ] } } ] }
            """);
        Assert.Equal(["0", "1", "1.then.0", "1.then.1", "1.else.0"], builder.Flatten().Select(s => s.Path));
        Assert.Equal("steps[1].then[1]", builder.Flatten().Single(s => s.Path == "1.then.1").ErrorPath);

        builder.Remove(builder.Steps[1].Then[0]);
        builder.Add(builder.Steps, "points");
        Assert.Equal(["0", "1", "1.then.0", "1.else.0", "2"], builder.Flatten().Select(s => s.Path));
        Assert.Equal(("push", "steps[1].then[0]"), (builder.Steps[1].Then[0].Kind, builder.Steps[1].Then[0].ErrorPath));
        Assert.Equal("points", builder.Steps[2].Kind);
    }

    [Fact]
    public void Errors_land_beside_the_deepest_step_they_name_and_broken_json_is_reported_on_its_own_step()
    {
        var builder = AutomationBuilder.FromJson("""
            { "name": "x", "trigger": { "event": { "type": "custom", "name": "go" } },
              "steps": [ { "delay": { "seconds": 1 } }, { "delay": { "seconds": 1 } },
                         { "branch": { "if": { "version": 1, "root": { "match": "all", "rules": [] } }, "then": [ { "push": { "notification": {} } } ] } },
                         { "delay": { "seconds": 1 } } ] }
            """);
        builder.Steps[3].Text = "{ \"seconds\": ";
        using var doc = JsonDocument.Parse(builder.ToJson());
        var errors = new FieldErrors();
        AutomationParser.Parse(doc.RootElement, "en", errors);
        builder.Apply(errors.ToDictionary());

        var push = builder.Flatten().Single(s => s.Path == "2.then.0");
        Assert.Contains(push.Errors, e => e.StartsWith("push.notification.alert:", StringComparison.Ordinal));
        Assert.Empty(builder.Steps[2].Errors);
        Assert.Contains(builder.Steps[3].Errors, e => e.StartsWith("Not valid JSON", StringComparison.Ordinal));
        Assert.Empty(builder.Steps[0].Errors);

        builder.Apply(new Dictionary<string, string[]> { ["trigger.event.type"] = ["type is one of …"] });
        Assert.Equal(["type is one of …"], builder.Other["trigger"]);
    }

    [Fact]
    public void The_preview_fills_tokens_with_a_sample_attendee_and_fallbacks_never_show_braces()
    {
        var step = AutomationBuilder.New("push");
        step.Text = """{ "notification": { "alert": "Hi {{user.display_name}}, {{event.properties.nothing | someone}} waved", "ios": { "alert": { "title": "At {{session.room}}" } } } }""";
        Assert.Equal(("At Hall A", "Hi Ada Lovelace, someone waved"), AutomationBuilder.Preview(step));
        Assert.Null(AutomationBuilder.Preview(AutomationBuilder.New("delay")));
        Assert.Contains("3 runs are in flight", AutomationBuilder.InFlightWarning(3));
    }
}
