using Radzen;

namespace PushConsole.Components;

/// <summary>The Blazor Server console: Razor components on an interactive circuit, Radzen widgets.</summary>
public static class ConsoleRegistration
{
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddRadzenComponents();
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapRazorComponents<Root>().AddInteractiveServerRenderMode();
        return app;
    }
}
