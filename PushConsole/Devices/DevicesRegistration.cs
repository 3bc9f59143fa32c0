using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace PushConsole.Devices;

public sealed class ClientApiOptions
{
    public const string Section = "ClientApi";

    /// <summary>Requests a second one client address may make (a second's worth may come in a burst); more get 429.</summary>
    [Range(1, 1_000_000)] public int RequestsPerSecondPerAddress { get; set; } = 5000;
}

public static class DevicesRegistration
{
    public const string ClientApiRateLimit = "client-api";

    public static WebApplicationBuilder AddDevices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClientApiOptions>().BindConfiguration(ClientApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RegistryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryWriter>());
        services.AddSingleton<DeviceRegistry>();
        services.AddSingleton<ClientEvents>();
        services.AddSingleton<LookupService>();
        services.AddSingleton<UserProfiles>();
        services.AddSingleton<IPersonalData, UserProfilePersonalData>();
        services.AddSingleton<IPersonalData, InstallationsPersonalData>();
        services.AddSingleton<IPersonalData, ClientEventsPersonalData>();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(ClientApiRateLimit, context =>
            {
                var perSecond = context.RequestServices.GetRequiredService<IOptions<ClientApiOptions>>().Value.RequestsPerSecondPerAddress;
                return RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Bucket(perSecond));
            });
            o.OnRejected = (context, ct) => RejectAsync(context.HttpContext, context.Lease, ct);
        });
        return builder;
    }

    public static WebApplication MapDevices(this WebApplication app)
    {
        app.MapClientApi();
        app.MapUserApi();
        return app;
    }

    /// <summary>A second's worth of burst, refilled smoothly (every 100 ms, or per token when the rate is low).</summary>
    private static TokenBucketRateLimiterOptions Bucket(int perSecond) => perSecond >= 10
        ? new() { TokenLimit = perSecond, TokensPerPeriod = perSecond / 10, ReplenishmentPeriod = TimeSpan.FromMilliseconds(100), QueueLimit = 0 }
        : new() { TokenLimit = perSecond, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / perSecond), QueueLimit = 0 };

    private static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease, CancellationToken ct)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new ProblemDetails
        {
            Status = 429,
            Title = "Too many requests.",
            Detail = $"This address sent more than {context.RequestServices.GetRequiredService<IOptions<ClientApiOptions>>().Value.RequestsPerSecondPerAddress} " +
                     $"requests per second to the client API. Retry after {seconds} s.",
        }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
    }
}
