using PushConsole.Campaigns.Pages;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.BestTime;

public static class BestTimeRegistration
{
    /// <summary>The activity profile (fed by client events, shown on the lookup page, part of a user's personal data) and the best-time launch rule.</summary>
    public static IServiceCollection AddBestTime(this IServiceCollection services)
    {
        services.AddSingleton<ActivityProfiles>();
        services.AddSingleton<IClientEventSink>(sp => sp.GetRequiredService<ActivityProfiles>());
        services.AddSingleton<IPersonalData>(sp => sp.GetRequiredService<ActivityProfiles>());
        services.AddSingleton<ILaunchRule, BestTimeRule>();
        services.AddLookupPanel<ActivityProfilePanel>(LookupSlot.Activity);
        return services;
    }
}
