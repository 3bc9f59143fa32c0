using System.CommandLine;
using PushConsole.Api;
using PushConsole.Operations;

namespace PushConsole.Cli;

/// <summary><c>backup --to FILE</c> (while the app serves) and <c>restore --from FILE</c> (into an empty data folder).</summary>
public static class BackupCommand
{
    public static IEnumerable<Command> Create()
    {
        var to = new Option<string>("--to") { Description = "The backup file to write (a zip: database and key ring)", Required = true };
        var backup = new Command("backup", "Copy the SQLite database (online, consistent) and the Data Protection key ring into one file; safe while the app serves.") { to };
        backup.TreatUnmatchedTokensAsErrors = false;
        backup.SetAction((parse, ct) => RunAsync(parse, async b =>
        {
            var done = await b.BackupAsync(parse.GetValue(to)!, ct);
            Console.WriteLine($"Backed up the database ({done.DatabaseBytes:N0} bytes) and {done.Keys} key(s) to {done.File}.");
        }));

        var from = new Option<string>("--from") { Description = "A file written by `backup`", Required = true };
        var restore = new Command("restore", "Unpack a backup into an empty Data:Directory; then start the app on that folder.") { from };
        restore.TreatUnmatchedTokensAsErrors = false;
        restore.SetAction((parse, ct) => RunAsync(parse, async b =>
        {
            var done = await b.RestoreAsync(parse.GetValue(from)!, ct);
            Console.WriteLine($"Restored the database ({done.DatabaseBytes:N0} bytes) to {done.File} and {done.Keys} key(s); start the app with the same --Data:Directory.");
        }));
        return [backup, restore];
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<Backup, Task> action)
    {
        // not started and not migrated: a backup reads a database another process serves, a restore needs an empty folder
        await using var app = Program.BuildWebApp([.. parse.UnmatchedTokens, "--Logging:LogLevel:Default=Error", "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        try
        {
            await action(app.Services.GetRequiredService<Backup>());
            return 0;
        }
        catch (BadInputException e)
        {
            return CliErrors.Print(e);
        }
    }
}
