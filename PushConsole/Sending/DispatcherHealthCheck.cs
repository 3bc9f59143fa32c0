using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PushConsole.Sending;

/// <summary>/health: is the send worker running here, and how far behind is the outbox?</summary>
public sealed class DispatcherHealthCheck(DispatchWorker worker, Outbox outbox, IOptions<DispatchOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.WorkerEnabled) return HealthCheckResult.Healthy("The send worker is off on this instance (Dispatch:WorkerEnabled=false).");
        if (worker.ExecuteTask is { IsCompleted: true } task)
            return HealthCheckResult.Unhealthy("The send worker has stopped.", task.Exception);
        if (!worker.WriterRunning) return HealthCheckResult.Unhealthy("The send worker's outcome writer has stopped.");
        if (worker.OutcomesFailingSince is { } since)
            return HealthCheckResult.Unhealthy($"Outcomes of sent pushes cannot be written since {since:HH:mm:ss} UTC; sending waits until they can.");
        var next = await outbox.NextDueAtAsync(cancellationToken);
        var lag = next is { } due ? TimeSpan.FromMilliseconds(Math.Max(0, clock.GetUtcNow().ToUnixTimeMilliseconds() - due)) : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["oldestDueSeconds"] = Math.Round(lag.TotalSeconds, 1), ["requestsStarted"] = worker.RequestsStarted };
        return lag > TimeSpan.FromMinutes(5)
            ? HealthCheckResult.Degraded($"The oldest due delivery waits for {lag.TotalMinutes:0} minutes.", data: data)
            : HealthCheckResult.Healthy($"Running; oldest due delivery waits {lag.TotalSeconds:0.#} s.", data);
    }
}
