namespace PushConsole.Audience;

public static class AudienceRegistration
{
    public static WebApplicationBuilder AddAudience(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<SegmentService>();
        services.AddSingleton<SegmentQueries>();
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
