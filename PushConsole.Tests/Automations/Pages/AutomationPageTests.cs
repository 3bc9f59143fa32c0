using Bunit;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Automations;
using PushConsole.Automations.Pages;

namespace PushConsole.Tests.Automations.Pages;

/// <summary>The builder page on the real services: a recipe loads, a bad token is named beside its step as you type, saving stores it.</summary>
public sealed class AutomationPageTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private App _app = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _app = (await _host.Get<AppService>().CreateAsync(new NewApp("Summit"), Actor.System)).App;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_recipe_is_edited_in_place_validated_as_typed_previewed_and_saved()
    {
        await using var ctx = ComponentContext.Create();
        ctx.UseHostServices(_host, "organizer@example.com", typeof(AutomationService), typeof(AutomationStats), typeof(AppService));
        ctx.AddMudProviders();
        var navigation = ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("automations/new?recipe=welcome");
        var page = ctx.Render<AutomationPage>();
        page.WaitForAssertion(() => Assert.Contains("Welcome, Ada Lovelace!", page.Find("[data-test='preview-0']").TextContent));
        Assert.Equal("You made it", page.Find("#push-title-0").GetAttribute("value"));
        await page.InvokeAsync(() => page.Find("#push-title-0").Change("Hello"));
        page.WaitForAssertion(() => Assert.Contains("\"Hello\"", page.Find("#step-text-0").GetAttribute("value")));
        Assert.Contains("{{user.display_name}}", page.Find("[data-test='tokens-0']").TextContent);

        await page.InvokeAsync(() => page.Find("#step-text-0").Input("""{ "notification": { "alert": "Hi {{user.shoe_size}}" } }"""));
        page.WaitForAssertion(() => Assert.Contains("names no known field", page.Find("[data-test='error-0']").TextContent), TimeSpan.FromSeconds(10));
        Assert.Empty(await _host.Get<AutomationService>().ListAsync(_app.Id));

        await page.InvokeAsync(() => page.Find("#step-text-0").Input("""{ "notification": { "alert": "Hi {{user.display_name | friend}}" } }"""));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test='error-0']")), TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => page.Find("#save-automation").ClickAsync(new()));
        page.WaitForAssertion(() => Assert.Single(_host.Get<AutomationService>().ListAsync(_app.Id).Result), TimeSpan.FromSeconds(10));
        var saved = (await _host.Get<AutomationService>().ListAsync(_app.Id))[0];
        Assert.Equal("Welcome at the venue", saved.Name);
        Assert.Contains("Hi {{user.display_name | friend}}", saved.Definition);
    }

    [Fact]
    public async Task Delay_and_tag_steps_are_edited_in_small_forms_that_write_the_steps_json_and_are_validated_like_typed_text()
    {
        await using var ctx = ComponentContext.Create();
        ctx.UseHostServices(_host, "organizer@example.com", typeof(AutomationService), typeof(AutomationStats), typeof(AppService));
        ctx.AddMudProviders();
        ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("automations/new?recipe=missed");
        var page = ctx.Render<AutomationPage>();
        // the recipe's 10800 seconds read back as 3 hours
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("#delay-amount-0").GetAttribute("value")));
        Assert.Equal("hours", page.Find("#delay-unit-0 option[selected]").GetAttribute("value"));

        await page.InvokeAsync(() => page.Find("#delay-unit-0").Change("minutes"));
        await page.InvokeAsync(() => page.Find("#delay-amount-0").Change("90"));
        page.WaitForAssertion(() => Assert.Contains("5400", page.Find("#step-text-0").GetAttribute("value")));
        Assert.Equal("minutes", page.Find("#delay-unit-0 option[selected]").GetAttribute("value"));

        await page.InvokeAsync(() => page.Find("#delay-amount-0").Change("-5"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test='error-0']")), TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => page.Find("#delay-amount-0").Change("90"));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test='error-0']")), TimeSpan.FromSeconds(10));

        await page.InvokeAsync(() => page.Find("#save-automation").ClickAsync(new()));
        page.WaitForAssertion(() => Assert.Single(_host.Get<AutomationService>().ListAsync(_app.Id).Result), TimeSpan.FromSeconds(10));
        var saved = PushConsole.Automations.AutomationParser.Read((await _host.Get<AutomationService>().ListAsync(_app.Id))[0].Definition, "en");
        Assert.Equal(5400, Assert.IsType<DelayStep>(saved.Steps[0]).Seconds);
    }

    [Fact]
    public void The_tag_form_round_trips_add_and_remove_lists_and_leaves_other_json_to_the_text()
    {
        var form = StepForms.ReadTag("""{ "add": ["arrived"] }""")!;
        Assert.Equal(("arrived", ""), (form.Add, form.Remove));
        var json = StepForms.WriteTag(form with { Add = "arrived, vip ,", Remove = "new" });
        Assert.Equal(new TagForm("arrived, vip", "new"), StepForms.ReadTag(json));
        Assert.Null(StepForms.ReadTag("""{ "add": "arrived" }"""));
        Assert.Null(StepForms.ReadDelay("""{ "seconds": 60, "extra": 1 }"""));
        Assert.Equal(new DelayForm(7, "seconds"), StepForms.ReadDelay(StepForms.WriteDelay(new DelayForm(7, "seconds"))));
    }

    [Fact]
    public void The_wait_and_push_forms_round_trip_and_leave_richer_json_to_the_text()
    {
        var wait = StepForms.ReadWait(AutomationBuilder.New("wait_for").Text)!;
        Assert.Equal(new WaitForm("notification_opened", 3600, "continue"), wait);
        Assert.Equal(wait with { OnTimeout = "exit" }, StepForms.ReadWait(StepForms.WriteWait(wait with { OnTimeout = "exit" })));
        Assert.Null(StepForms.ReadWait("""{ "event": { "type": "custom", "name": "x" }, "timeout_seconds": 60 }"""));
        var push = new PushForm("You made it", "Welcome, {{user.display_name | friend}}!");
        Assert.Equal(push, StepForms.ReadPush(StepForms.WritePush(push)));
        Assert.Equal(new PushForm("", "Hi"), StepForms.ReadPush(StepForms.WritePush(new PushForm("", "Hi"))));
        Assert.Null(StepForms.ReadPush("""{ "notification": { "alert": "Hi", "android": { "title": "x" } } }"""));
    }
}
