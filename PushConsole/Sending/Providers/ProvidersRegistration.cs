namespace PushConsole.Sending.Providers;

public static class ProvidersRegistration
{
    public static WebApplicationBuilder AddProviders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ProviderClients>();
        return builder;
    }
}
