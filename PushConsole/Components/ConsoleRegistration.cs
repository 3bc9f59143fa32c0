using MudBlazor;
using MudBlazor.Services;
using PushConsole.Accounts;

namespace PushConsole.Components;

/// <summary>The Blazor Server console: Razor components on an interactive circuit, MudBlazor components.</summary>
public static class ConsoleRegistration
{
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            o.SnackbarConfiguration.PreventDuplicates = false;
            o.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        builder.Services.AddScoped<ConsoleActor>();
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapRazorComponents<Root>().AddInteractiveServerRenderMode();
        return app;
    }
}
