using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Data;
using PushConsole.Demo;
using PushConsole.Devices;
using PushConsole.Sandbox;

namespace PushConsole.Cli;

/// <summary>
/// <c>demo</c>: the provider sandbox in process, a seeded demo event wired to it, then the whole product serving —
/// compose, send and watch the charts move without any real credentials.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var attendees = new Option<int>("--attendees") { Description = "How many attendees to seed (each with a phone, some with a browser too)", DefaultValueFactory = _ => 3000 };
        var email = new Option<string>("--email") { Description = "Console sign-in of the demo's administrator", DefaultValueFactory = _ => "demo@pushconsole.local" };
        var password = new Option<string>("--password") { Description = "Its password", DefaultValueFactory = _ => "demo-password" };
        var command = new Command("demo", "Seed a demo event wired to the built-in provider sandbox, then serve (the data lives in a fresh folder, removed on exit unless --Data:Directory is given).")
        {
            attendees, email, password,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(attendees);
            if (count is < 1 or > 100_000)
            {
                Console.Error.WriteLine("--attendees: between 1 and 100,000.");
                return 2;
            }
            var hostArgs = parse.UnmatchedTokens.ToList();
            var ownData = !hostArgs.Any(a => a.StartsWith("--Data:Directory", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--Data__Directory", StringComparison.OrdinalIgnoreCase));
            var data = ownData ? Path.Combine(Path.GetTempPath(), $"pushconsole-demo-{Guid.NewGuid():N}") : null;
            try
            {
                return await RunAsync(hostArgs, data, new DemoSettings(count, parse.GetValue(email)!, parse.GetValue(password)!), ct);
            }
            finally
            {
                if (data is not null)
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(List<string> hostArgs, string? data, DemoSettings settings, CancellationToken ct)
    {
        await using var sandbox = await SandboxHost.StartAsync(ct: ct);
        string[] args = [.. hostArgs, .. data is null ? Array.Empty<string>() : [$"--Data:Directory={data}"], .. sandbox.ProviderArgs()];
        var app = Program.BuildWebApp(args);
        // decided before anything starts: a refused demo must not start the dispatcher or the scheduler on someone's data
        if (await HasAppsAsync(app.Services, ct))
        {
            Console.Error.WriteLine("The demo seeds an empty database, and this one has apps already: give --Data:Directory a new folder (or none).");
            await app.DisposeAsync();
            return 2;
        }
        await app.StartAsync(ct);
        try
        {
            Console.WriteLine($"Seeding the demo event ({settings.Attendees:N0} attendees)…");
            // SIGTERM or Ctrl+C while seeding stops the seeding too: a service manager's grace period is seconds, not the seeding's minute
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
            var clock = app.Services.GetRequiredService<TimeProvider>();
            var started = clock.GetTimestamp();
            var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(app.Services, sandbox);
            DemoAttendees simulated;
            DemoEvent seeded;
            try
            {
                seeded = await seeder.SeedAsync(settings, stop.Token);
                simulated = ActivatorUtilities.CreateInstance<DemoAttendees>(app.Services, seeded.App.Id, seeded.InstallationByTarget);
                simulated.Watch(sandbox.State);
                await seeder.SeedCampaignsAsync(seeded, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Console.WriteLine("Stopped while seeding.");
                return 0;
            }
            Console.WriteLine($"Seeded in {clock.GetElapsedTime(started).TotalSeconds:N1} s.");
            var attendeesRun = simulated.RunAsync(stop.Token);

            var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
            Console.WriteLine($"""

                PushConsole demo is ready: {url}
                  sign in           {settings.Email} / {settings.Password} (admin)
                  app               {DemoSeeder.AppName}: {seeded.Installations:N0} installations (Android, iOS, Web), {seeded.Sessions:N0} past app sessions
                  agenda            {url}/agenda: {seeded.AgendaSessions} sessions on four tracks, tomorrow and the day after (Europe/Warsaw), {seeded.Favorites:N0} favourites, reminders at T−15
                  app key           {seeded.App.AppKey}   (client API: X-App-Key)
                  master secret     {seeded.MasterSecret}   (server API: Basic appKey:masterSecret)
                  provider sandbox  {sandbox.BaseAddress}sandbox/stats   (what FCM, APNs and Web Push received)
                  data              {data ?? "as --Data:Directory says"}{(data is null ? "" : " (removed when the demo stops)")}

                Try: Compose → audience "Tags" track-ai → two languages, a second variant → Review and send, then watch the campaign page.
                The simulated attendees report receipts and opens through the client API as real apps do; quiet hours are off, so a push
                goes at once whatever the hour (Consent & preferences turns them back on). Ctrl+C stops the demo.
                """);
            await app.WaitForShutdownAsync(ct);
            await stop.CancelAsync();
            await attendeesRun;
            return 0;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>Whether the database already holds apps, read without starting the host (a database not created yet holds none).</summary>
    private static async Task<bool> HasAppsAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        try
        {
            if (!await db.Database.CanConnectAsync(ct) || !(await db.Database.GetAppliedMigrationsAsync(ct)).Any()) return false;
            return await db.Set<App>().AnyAsync(ct);
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
    }
}
