using PushConsole.Campaigns;
using PushConsole.Consent.Pages;
using PushConsole.Devices;
using Microsoft.Extensions.Options;
using Quartz;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Consent;

public static class ConsentRegistration
{
    /// <summary>
    /// Consent and preferences: categories per app, the launch rules (consent, frequency caps, quiet hours — in that order,
    /// after rules registered before), opt-out attribution, GDPR export and erasure, the retention purge.
    /// </summary>
    public static WebApplicationBuilder AddConsent(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConsentCatalog>();
        services.AddSingleton<ConsentAdmin>();
        services.AddSingleton<PreferenceService>();
        services.AddSingleton<IPushPermissionSink, PermissionOptOuts>();
        services.AddSingleton<EngagementStats>();
        services.AddSingleton<UserDataService>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<ILaunchRule, ConsentRule>();
        services.AddSingleton<ILaunchRule, FrequencyCapRule>();
        services.AddSingleton<ILaunchRule, QuietHoursRule>();
        services.AddSingleton<IPersonalData, ConsentPersonalData>();
        services.AddLookupPanel<UserPreferencesPanel>(LookupSlot.User);
        services.AddLookupPanel<InstallationPreferencesPanel>(LookupSlot.Actions, order: 10);

        services.AddQuartz(q =>
        {
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably());
            q.AddTrigger((sp, t) =>
            {
                // an invalid setting stops the start (ValidateOnStart); clamped only so the trigger can be built
                var hours = Math.Clamp(sp.GetRequiredService<IOptions<RetentionOptions>>().Value.IntervalHours, 1, 168);
                t.ForJob(RetentionJob.Key).WithIdentity("retention-purge", "maintenance")
                    // not at once: a start stays quick, and short-lived hosts (tests, CLI) do not purge
                    .StartAt(sp.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(10))
                    .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(TimeSpan.FromHours(hours)).RepeatForever());
            });
        });
        return builder;
    }

    public static WebApplication MapConsent(this WebApplication app)
    {
        app.MapPrivacyApi();
        app.MapPreferenceApi();
        return app;
    }
}
