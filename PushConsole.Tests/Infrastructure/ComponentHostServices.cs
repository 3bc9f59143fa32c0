using Bunit;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using PushConsole.Accounts;

namespace PushConsole.Tests.Infrastructure;

/// <summary>Gives a bunit context the real services of a running test host, so a component works on the real logic and database.</summary>
public static class ComponentHostServices
{
    /// <summary>Registers each named service as the host's own instance, plus the signed-in console actor.</summary>
    public static BunitContext UseHostServices(this BunitContext ctx, AppHost host, string signedIn, params Type[] services)
    {
        foreach (var type in services) ctx.Services.AddSingleton(type, host.Services.GetRequiredService(type));
        ctx.Services.AddSingleton(host.Get<TimeProvider>());
        ctx.Services.AddScoped<ConsoleActor>();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(signedIn);
        auth.SetPolicies(Policies.Console, Policies.Organizer, Policies.Lookup, Policies.Admin, Policies.RevealToken);
        return ctx;
    }

    /// <summary>The error text MudBlazor shows beside (under) the input with this id; empty when the field has none.</summary>
    public static string ErrorBeside<T>(this IRenderedComponent<T> component, string inputId) where T : IComponent
    {
        var control = component.Find($"#{inputId}").Closest(".mud-input-control") ?? throw new InvalidOperationException($"#{inputId} is not in a MudBlazor input");
        // MudBlazor marks the whole control as in error and shows the text as its helper text
        return control.ClassList.Contains("mud-input-error") ? control.QuerySelector(".mud-input-helper-text")?.TextContent ?? "" : "";
    }
}
