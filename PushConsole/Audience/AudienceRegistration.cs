using PushConsole.Data;
using PushConsole.Sending.Launch;

namespace PushConsole.Audience;

public static class AudienceRegistration
{
    public static WebApplicationBuilder AddAudience(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<SegmentService>();
        // how a launch reads a campaign's segment (Sending asks; it does not know segments)
        services.AddSingleton<ISegmentFilter>(sp => sp.GetRequiredService<SegmentService>());
        services.AddSingleton<SegmentQueries>();
        services.AddOptions<SegmentIndexOptions>().BindConfiguration(SegmentIndexOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SegmentIndexes>();
        services.AddHostedService<SegmentIndexMaintenance>();
        // the triggers that tell the indexes what changed, whoever wrote it
        services.AddSingleton<ISchemaObjects, SegmentChangeTriggers>();
        services.AddSingleton<SegmentSuggestions>();
        // what may keep a segment from being deleted; the campaign side adds its own (scheduled campaigns)
        services.AddSingleton<ISegmentUsage, SegmentReferenceUsage>();
        return builder;
    }

    public static WebApplication MapAudience(this WebApplication app)
    {
        app.MapSegmentApi();
        return app;
    }
}
