using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PushConsole.Accounts;
using PushConsole.Agenda;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Demo;
using PushConsole.Devices;
using PushConsole.Sandbox;
using PushConsole.Tests.Cli;

namespace PushConsole.Tests.Demo;

/// <summary>
/// The demo event: seeded by the real seeder into the real app wired to the provider sandbox, then a push sent through the
/// server API reaches the sandbox and the simulated attendees report receipts and opens back; and the verb itself, as a process.
/// </summary>
public sealed partial class DemoTests
{
    [Fact]
    public async Task Seeded_event_has_the_app_devices_on_three_platforms_the_agenda_and_a_push_gets_opens_back()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await using var host = await AppHost.StartAsync(o =>
        {
            o.Args.AddRange(sandbox.ProviderArgs());
            o.Args.AddRange(DispatchScenario.FastDispatch);
        });
        var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(host.Services, sandbox);
        var seeded = await seeder.SeedAsync(new DemoSettings(60, "demo@example.com", "demo-password"), CancellationToken.None);
        var attendees = ActivatorUtilities.CreateInstance<DemoAttendees>(host.Services, seeded.App.Id, seeded.InstallationByTarget);
        attendees.Watch(sandbox.State);
        using var stop = new CancellationTokenSource();
        var reporting = attendees.RunAsync(stop.Token);
        await seeder.SeedCampaignsAsync(seeded, CancellationToken.None);

        await using (var scope = host.Services.CreateAsyncScope())
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByEmailAsync("demo@example.com"));
        await using var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var app = await db.Set<PushConsole.Apps.App>().AsNoTracking().SingleAsync();
        Assert.Equal(DemoSeeder.AppName, app.Name);
        var platforms = await db.Set<Installation>().AsNoTracking().Where(i => i.AppId == app.Id).GroupBy(i => i.Platform)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Assert.All(new[] { Platform.Android, Platform.Ios, Platform.Web }, p => Assert.True(platforms.GetValueOrDefault(p) > 0, $"no {p} installation"));
        Assert.Equal(seeded.Installations, platforms.Values.Sum());
        Assert.True(seeded.Sessions > 0);
        // the venue's geofences (halls linked to their rooms) and yesterday's transitions from attendees who allowed location
        Assert.Contains(await db.Set<PushConsole.Geofences.Geofence>().AsNoTracking().Where(g => g.AppId == app.Id).ToListAsync(), g => g.ExternalId == "hall-a" && g.Room == "Hall A");
        Assert.True(await db.Set<ClientEvent>().CountAsync(e => e.AppId == app.Id && e.GeofenceId == "venue") > 0);

        // the agenda: an event in Warsaw tomorrow and the day after, keynotes plus four tracks, favourites, a planned T−15 reminder
        var agendaEvent = await host.Get<AgendaService>().GetEventAsync(app.Id);
        Assert.NotNull(agendaEvent);
        Assert.Equal("Europe/Warsaw", agendaEvent.TimeZone);
        var warsaw = TimeZones.Find("Europe/Warsaw")!;
        var tomorrow = DateOnly.FromDateTime(TimeZones.ToLocal(DateTime.UtcNow, warsaw)).AddDays(1);
        Assert.Equal(tomorrow, agendaEvent.StartDate);
        Assert.Equal(tomorrow.AddDays(1), agendaEvent.EndDate);
        var sessions = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.AppId == app.Id).ToListAsync();
        Assert.Equal(seeded.AgendaSessions, sessions.Count);
        Assert.Equal(new[] { "AI", "Cloud", "Mobile", "Web" }, sessions.Select(s => s.Track).OfType<string>().Distinct().Order());
        Assert.All(sessions, s => Assert.False(string.IsNullOrEmpty(s.Room) || string.IsNullOrEmpty(s.Speakers)));
        Assert.Equal(new[] { tomorrow, tomorrow.AddDays(1) }, sessions.Select(s => DateOnly.FromDateTime(TimeZones.ToLocal(s.StartsAt, warsaw))).Distinct().Order());
        Assert.Equal(seeded.Favorites, await db.Set<SessionFavorite>().CountAsync(f => f.AppId == app.Id));
        Assert.True(seeded.Favorites > 0);
        var rule = Assert.Single(await host.Get<AgendaService>().RulesAsync(app.Id));
        Assert.Equal(15, rule.OffsetMinutes);
        var keynote = sessions.Single(s => s.ExternalId == "d1-keynote");
        var planned = Assert.Single(await host.Get<AgendaScheduler>().PlannedAsync(keynote.Id, [rule.Id]), p => p.Kind == AgendaPushKind.Reminder);
        Assert.Equal(keynote.StartsAt.AddMinutes(-15), planned.FiresAt, TimeSpan.FromSeconds(1));

        // a push through the server API, as a back-end sends it: the sandbox gets it and the attendees open it
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{seeded.App.AppKey}:{seeded.MasterSecret}")));
        var accepted = sandbox.State.Providers.Sum(p => p.Accepted);
        var sent = await client.PostAsync("/v4/push", new StringContent("""
            {"to": "all", "body": {"platform": "all", "notification": {"alert": "Doors open at 8:30", "android": {"title": "Welcome"}}},
             "request_id": "demo-test-1"}
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var messageId = JsonDocument.Parse(await sent.Content.ReadAsStringAsync()).RootElement.GetProperty("msg_id").GetString();
        JsonElement stats = default;
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            stats = JsonDocument.Parse(await client.GetStringAsync($"/v4/messages/{messageId}")).RootElement;
            if (stats.GetProperty("opened").GetInt64() > 0 && stats.GetProperty("received").GetInt64() > 0) break;
            await Task.Delay(500);
        }
        Assert.True(stats.GetProperty("sent").GetInt64() > 0, stats.ToString());
        Assert.True(sandbox.State.Providers.Sum(p => p.Accepted) >= accepted + stats.GetProperty("sent").GetInt64());
        Assert.True(stats.GetProperty("received").GetInt64() > 0, stats.ToString());
        Assert.True(stats.GetProperty("opened").GetInt64() > 0, stats.ToString());
        foreach (var platform in new[] { "android", "ios", "web" })
            Assert.True(stats.GetProperty("by_platform").GetProperty(platform).GetProperty("sent").GetInt64() > 0, $"nothing sent to {platform}: {stats}");

        // the push with buttons: the attendees tap them, and the taps are counted per button
        var invite = await db.Set<PushConsole.Sending.Campaign>().AsNoTracking().SingleAsync(c => c.Name == "Tomorrow's keynote: are you going?");
        var clicks = new PushConsole.Campaigns.DeliveryStats();
        until = DateTime.UtcNow.AddSeconds(90);
        // Android's buttons travel as JSON text inside FCM's data: the attendees on Android tap them too
        bool AndroidTapped() => clicks.ByPlatform.GetValueOrDefault("android")?.Clicked > 0;
        while (DateTime.UtcNow < until && (clicks.ClickedByAction.GetValueOrDefault("going") == 0 || !AndroidTapped()))
        {
            clicks = await host.Get<PushConsole.Campaigns.DeliveryStatistics>().ForCampaignAsync(invite.Id);
            await Task.Delay(500);
        }
        Assert.True(clicks.ClickedByAction.GetValueOrDefault("going") > 0, JsonSerializer.Serialize(clicks));
        Assert.True(AndroidTapped(), JsonSerializer.Serialize(clicks));

        await stop.CancelAsync();
        await reporting;
    }

    [Fact]
    public async Task Demo_verb_seeds_prints_the_banner_and_serves_sign_in_and_the_agenda()
    {
        var data = TempFolder.Create("pushconsole-demo-verb");
        var info = PushConsoleProcess.StartInfo(data, "demo", "--attendees", "25", "--urls", "http://127.0.0.1:0", $"--Data:Directory={data}");
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            // the banner's last line: all of it has been read by then
            if (e.Data.Contains("Ctrl+C stops the demo.", StringComparison.Ordinal)) lock (output) ready.TrySetResult(output.ToString());
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(first == ready.Task, $"no banner:\n{output}");
            var banner = await ready.Task;
            var url = ReadyLine().Match(banner).Groups[1].Value;
            Assert.Contains("demo@pushconsole.local / demo-password", banner);
            Assert.Matches(@"agenda\s+\S+/agenda: 51 sessions", banner);
            Assert.Matches(@"app key\s+ak_", banner);
            Assert.Matches(@"master secret\s+ms_", banner);

            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(url + "/") };
            var login = await client.GetStringAsync("account/login");
            var token = Antiforgery().Match(login).Groups[1].Value;
            var signIn = await client.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["_handler"] = "login",
                ["Input.Email"] = "demo@pushconsole.local", ["Input.Password"] = "demo-password",
            }));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var agenda = await client.GetStringAsync("agenda");
            Assert.Contains("Warsaw Dev Summit 2026", agenda);
            Assert.Contains("Opening keynote: software in the age of agents", agenda);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            TempFolder.Delete(data);
        }
    }

    [Fact]
    public async Task Demo_stopped_with_SIGTERM_while_seeding_stops_within_a_grace_period_and_removes_its_data_folder()
    {
        // the demo makes its data folder under the temp path: give it one of its own to look into afterwards
        var temp = TempFolder.Create("pushconsole-demo-sigterm");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { PushConsoleProcess.Dll, "demo", "--attendees", "3000", "--urls", "http://127.0.0.1:0" }) info.ArgumentList.Add(arg);
        info.Environment["TMPDIR"] = temp;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment.Remove("Data__Directory");
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains("Seeding the demo event", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(first == ready.Task, $"no seeding:\n{output}");
            var folder = Assert.Single(Directory.GetDirectories(temp, "pushconsole-demo-*"));
            Assert.True(Directory.EnumerateFileSystemEntries(folder).Any(), "the demo wrote nothing to its folder");

            // what a service manager or `docker stop` sends; they follow it with SIGKILL after a grace period (docker: 10 s), which nothing survives
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
            Assert.True(process.HasExited, $"still seeding 20 s after SIGTERM:\n{output}");

            Assert.False(Directory.Exists(folder), $"{folder} is still there:\n{string.Join("\n", Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories) : [])}\n{output}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            TempFolder.Delete(temp);
        }
    }

    [GeneratedRegex(@"PushConsole demo is ready: (\S+)")]
    private static partial Regex ReadyLine();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
