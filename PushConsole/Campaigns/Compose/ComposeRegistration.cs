using PushConsole.Campaigns.AbTest;
using PushConsole.Campaigns.Reports;
using PushConsole.Campaigns.TestDevices;
using PushConsole.Campaigns.TestDevices.Pages;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Compose;

public static class ComposeRegistration
{
    /// <summary>The compose page's services, my test devices, A/B tests (hold rule, winner job) and the campaign page's reports.</summary>
    public static WebApplicationBuilder AddCompose(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AudienceCounter>();
        services.AddSingleton<ComposeService>();
        services.AddSingleton<ComposeTemplates>();
        services.AddSingleton<Pages.ComposeSupport>();
        services.AddSingleton<TestDeviceService>();
        services.AddSingleton<IPersonalData, TestDevicePersonalData>();
        services.AddLookupPanel<AddToTestDevices>(LookupSlot.Actions, order: 10);
        services.AddSingleton<WinnerScheduler>();
        services.AddSingleton<AbTestService>();
        services.AddTransient<PickWinnerJob>();
        services.AddSingleton<ILaunchRule, AbTestHoldRule>();
        services.AddSingleton<CampaignStats>();
        return builder;
    }
}
