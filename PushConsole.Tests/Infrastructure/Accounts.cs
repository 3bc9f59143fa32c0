using PushConsole.Accounts;
using PushConsole.Audit;

namespace PushConsole.Tests.Infrastructure;

public static class TestAccounts
{
    public const string Password = "correct horse battery";

    public static async Task<string> CreateUserAsync(this AppHost host, string role, string? email = null)
    {
        email ??= $"{role}-{Guid.NewGuid():N}@example.com";
        using var scope = host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(email, Password, role, Actor.System);
        return email;
    }
}
