using Bunit;
using MudBlazor;
using MudBlazor.Services;

namespace PushConsole.Tests.Infrastructure;

/// <summary>A bunit context with what every console component needs: MudBlazor's services and a loose JS runtime.</summary>
public static class ComponentContext
{
    public static BunitContext Create()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(TimeProvider.System);
        return ctx;
    }

    /// <summary>Renders the providers MudBlazor's popovers, dialogs and snackbars need, so components that open them work.</summary>
    public static IRenderedComponent<MudPopoverProvider> AddMudProviders(this BunitContext ctx) => ctx.Render<MudPopoverProvider>();
}
