using Microsoft.Extensions.Options;
using PushConsole.Sending.Dispatch;
using PushConsole.Sending.Launch;
using PushConsole.Sending.Pages;
using PushConsole.Sending.Providers;
using PushConsole.Apps;
using PushConsole.Devices;

namespace PushConsole.Sending;

public static class SendingRegistration
{
    /// <summary>The launch, provider clients, the outbox and its send worker, live progress, the test push.</summary>
    public static WebApplicationBuilder AddSending(this WebApplicationBuilder builder)
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
        services.AddSingleton<DeliveryStates>();
        // the launch: audience stream, planning and rules, now or by a Quartz trigger that is repaired when missing
        services.AddSingleton<AudienceQuery>();
        services.AddSingleton<LaunchRules>();
        services.AddSingleton<CampaignLauncher>();
        services.AddSingleton<CampaignScheduler>();
        services.AddTransient<LaunchCampaignJob>();
        services.AddHostedService<ScheduleRepair>();
        services.AddSingleton<DeliveryHistory>();
        services.AddSingleton<TestPushService>();
        services.AddSingleton<IPersonalData, DeliveryPersonalData>();
        services.AddHostedService<LaunchRecovery>();
        // the host waits for the worker's grace plus the time to write the last outcomes
        services.AddOptions<HostOptions>().Configure<IOptions<DispatchOptions>>((host, dispatch) => host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (dispatch.Value.ShutdownGrace + TimeSpan.FromSeconds(10)).Ticks)));
        services.AddSingleton<DispatchWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchWorker>());
        services.AddHostedService<PostgresWakeBridge>();
        services.AddHealthChecks().AddCheck<DispatcherHealthCheck>("dispatcher");
        services.AddLookupPanel<DeliveryHistoryPanel>(LookupSlot.Deliveries);
        services.AddAppPanel<TestPushCard>();
        services.AddSingleton<IFcmCredentialCheck, Providers.Fcm.FcmCredentialCheck>();
        services.AddSingleton<IWebPushEndpointCheck, Providers.WebPush.WebPushEndpointCheck>();
        services.AddLookupPanel<LookupTestPush>(LookupSlot.Actions);
        return builder;
    }
}
