using Microsoft.Extensions.Options;
using PushConsole.Campaigns;
using PushConsole.Delivery.Dispatch;
using PushConsole.Delivery.Pages;
using PushConsole.Delivery.Providers;
using PushConsole.Devices;

namespace PushConsole.Delivery;

public static class DeliveryRegistration
{
    /// <summary>Provider clients, the outbox and its send worker, live progress, the test push.</summary>
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.AddProviders();
        var services = builder.Services;
        services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DispatchOptions>>().Value);
        services.AddSingleton<Outbox>();
        services.AddSingleton<Targets>();
        services.AddSingleton<CampaignCache>();
        services.AddSingleton<Lanes>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<DispatchProgress>();
        services.AddSingleton<DeliveryWriter>();
        services.AddSingleton<DeliveryHistory>();
        services.AddSingleton<TestPushService>();
        services.AddSingleton<IPersonalData, DeliveryPersonalData>();
        services.AddHostedService<LaunchRecovery>();
        services.AddSingleton<DispatchWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchWorker>());
        services.AddHostedService<PostgresWakeBridge>();
        services.AddHealthChecks().AddCheck<DispatcherHealthCheck>("dispatcher");
        services.AddLookupPanel<DeliveryHistoryPanel>(LookupSlot.Deliveries);
        services.AddLookupPanel<LookupTestPush>(LookupSlot.Actions);
        return builder;
    }
}
