namespace PushConsole.Apps;

/// <summary>The "check" button of an FCM service account; implemented by Sending (it owns the provider clients).</summary>
public interface IFcmCredentialCheck
{
    Task<(bool Ok, string Message)> FetchTokenAsync(string serviceAccountJson, CancellationToken ct);
}

/// <summary>A card another feature adds to the app page (e.g. Sending's test push); it gets the <c>AppId</c> parameter.</summary>
public sealed record AppPanel(Type Component, int Order = 0);

public static class AppPanelRegistration
{
    public static IServiceCollection AddAppPanel<TComponent>(this IServiceCollection services, int order = 0)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        services.AddSingleton(new AppPanel(typeof(TComponent), order));
}
