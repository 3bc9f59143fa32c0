using System.CommandLine;

namespace PushConsole.Cli;

/// <summary>
/// Verbs of the one executable. No verb (or <c>serve</c>) runs the product; arguments the verbs do not know
/// (<c>--urls</c>, <c>--Data:Directory=…</c>) go to the ASP.NET Core host.
/// </summary>
public static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("PushConsole: push-notification console and dispatcher (FCM, APNs, Web Push).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction((parse, ct) => ServeAsync(parse, ct));
        var serve = new Command("serve", "Run the console, the APIs and the dispatcher (the default).") { TreatUnmatchedTokensAsErrors = false };
        serve.SetAction((parse, ct) => ServeAsync(parse, ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(AdminCommand.Create());
        root.Subcommands.Add(AppsCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SandboxCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        foreach (var verb in BackupCommand.Create()) root.Subcommands.Add(verb);
        root.Subcommands.Add(DbCommand.Create());

        // the web host handles SIGTERM/Ctrl+C itself
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static async Task<int> ServeAsync(ParseResult parse, CancellationToken ct)
    {
        var app = Program.BuildWebApp([.. parse.UnmatchedTokens]);
        await app.RunAsync();
        return 0;
    }
}
