using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PushConsole.Operations;

/// <summary>Not ready once shutdown began, so a load balancer stops routing here while in-flight work finishes.</summary>
public sealed class ReadinessCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "accepting";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("Shutting down: finishing in-flight sends.")
            : HealthCheckResult.Healthy("Accepting work."));

    /// <summary>The checks /health/ready runs: the database, the scheduler, the dispatcher (and its outcome writer), and this one.</summary>
    public static bool IsReadiness(HealthCheckRegistration check) =>
        check.Name is "database" or "dispatcher" or Name || check.Name.Contains("quartz", StringComparison.OrdinalIgnoreCase);
}
