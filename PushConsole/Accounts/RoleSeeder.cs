using Microsoft.AspNetCore.Identity;

namespace PushConsole.Accounts;

/// <summary>Makes sure the three roles exist (runs right after the migrator).</summary>
public sealed class RoleSeeder(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
