using PushConsole.Devices;

namespace PushConsole.Campaigns.Interactive;

public static class InteractiveRegistration
{
    /// <summary>Clicks, influenced opens and conversions (stamped on deliveries as events arrive), the engagement figures and the message centre.</summary>
    public static WebApplicationBuilder AddInteractive(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EngagementOptions>().BindConfiguration(EngagementOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IClientEventFilter, ClickFilter>();
        services.AddSingleton<IClientEventSink, EngagementSink>();
        return builder;
    }
}
