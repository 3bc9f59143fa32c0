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
}
