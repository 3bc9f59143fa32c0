using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending;

/// <summary>At start, launches a crash or a stop cut short carry on (their cursor says where).</summary>
public sealed class LaunchRecovery(IDbContextFactory<AppDbContext> contexts, CampaignLauncher launcher, ILogger<LaunchRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Set<Campaign>().Where(c => c.Status == CampaignStatus.Sending && !c.LaunchDone).Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var id in unfinished)
        {
            logger.LogInformation("Resuming the launch of campaign {Campaign}", id);
            launcher.StartInBackground(id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
