using Microsoft.AspNetCore.Authentication;
using PushConsole.Accounts;

namespace PushConsole.Apps;

public static class AppsRegistration
{
    public static WebApplicationBuilder AddApps(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AppSecrets>();
        builder.Services.AddSingleton<AppKeyCache>();
        builder.Services.AddSingleton<AppService>();
        // wrong master secrets are counted apart from console sign-ins, so one cannot slow the other
        builder.Services.AddKeyedSingleton<SignInThrottle>(ServerApiAuthenticationHandler.SchemeName);
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AppKeyAuthenticationHandler>(AppKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ServerApiAuthenticationHandler>(ServerApiAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ClientApi, p => p.AddAuthenticationSchemes(AppKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(Policies.ServerApi, p => p.AddAuthenticationSchemes(ServerApiAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return builder;
    }
}
