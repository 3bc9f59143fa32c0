using System.CommandLine;
using PushConsole.Accounts;
using PushConsole.Api;
using PushConsole.Audit;

namespace PushConsole.Cli;

/// <summary><c>admin create --email E --password P [--role admin|organizer|support]</c></summary>
public static class AdminCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "Sign-in email", Required = true };
        var password = new Option<string>("--password") { Description = "At least 10 characters", Required = true };
        var role = new Option<string>("--role") { Description = "admin, organizer or support", DefaultValueFactory = _ => Roles.Admin };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var create = new Command("create", "Create a console user (headless first-run setup).") { email, password, role };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.UnmatchedTokens, ct);
            try
            {
                var user = await host.Services.GetRequiredService<AccountService>()
                    .CreateAsync(parse.GetValue(email), parse.GetValue(password), parse.GetValue(role), Actor.Cli, ct);
                Console.WriteLine($"Created {parse.GetValue(role)} {user.Email}.");
                return 0;
            }
            catch (BadInputException e)
            {
                return CliErrors.Print(e);
            }
        });
        return new Command("admin", "Console users.") { create };
    }
}

internal static class CliErrors
{
    public static int Print(BadInputException e)
    {
        foreach (var (field, messages) in e.Errors)
            foreach (var message in messages)
                Console.Error.WriteLine($"{field}: {message}");
        return 2;
    }
}
