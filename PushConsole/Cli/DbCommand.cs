using System.CommandLine;
using PushConsole.Api;
using PushConsole.Operations;

namespace PushConsole.Cli;

/// <summary><c>db copy --to "Host=…;Database=…"</c>: move a SQLite install to an empty PostgreSQL database.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "Connection string of an empty PostgreSQL database", Required = true };
        var copy = new Command("copy", "Copy every table of this SQLite install (and its key ring) into an empty PostgreSQL database, check the counts and print the settings to switch. Stop the app first.") { to };
        copy.TreatUnmatchedTokensAsErrors = false;
        copy.SetAction(async (parse, ct) =>
        {
            await using var app = Program.BuildWebApp([.. parse.UnmatchedTokens, "--Logging:LogLevel:Default=Error", "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
            var target = parse.GetValue(to)!;
            try
            {
                var tables = await app.Services.GetRequiredService<PostgresCopy>().CopyAsync(target, Console.Out, ct);
                Console.WriteLine();
                Console.WriteLine($"Copied {tables.Count} tables, {tables.Sum(t => t.Target):N0} rows; every count matches:");
                foreach (var table in tables.Where(t => t.Target > 0)) Console.WriteLine($"  {table.Name,-34} {table.Target,12:N0}");
                Console.WriteLine();
                Console.WriteLine("To switch, start the app with these settings (environment variables; the same keys work in appsettings.json):");
                Console.WriteLine(PostgresCopy.Settings(target));
                Console.WriteLine("Keep the SQLite folder until the app runs well on PostgreSQL; keep DataProtection:CertificatePath if you use one.");
                return 0;
            }
            catch (BadInputException e)
            {
                return CliErrors.Print(e);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return new Command("db", "Database moves.") { copy };
    }
}
