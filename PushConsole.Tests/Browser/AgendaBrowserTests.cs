using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Agenda;
using PushConsole.Audit;
using PushConsole.Devices;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AgendaBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Keynote = "keynote@devdays";
    private DispatchScenario _s = default!;
    private readonly string _files = TempFolder.Create("pushconsole-agenda-import");

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _s.Host.Output = output;
    }

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        TempFolder.Delete(_files);
    }

    [Fact]
    public async Task An_organizer_imports_an_ics_file_moves_a_session_to_another_room_and_sees_the_alert_reach_its_favouriters()
    {
        // the event is ahead in real time, so the alert is still worth sending (it expires when the session ends)
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20);
        await _s.Host.Get<AgendaService>().SaveEventAsync(_s.App.Id, new EventForm
        {
            Name = "DevDays", TimeZone = "Europe/Paris", StartDate = day.AddDays(-1).ToDateTime(TimeOnly.MinValue), EndDate = day.AddDays(1).ToDateTime(TimeOnly.MinValue),
        }, Actor.System);
        var ics = Write("agenda.ics", Calendar(day));
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_s.Host, await _s.Host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_s.Host, "agenda");
        await Assertions.Expect(page.Locator("#event-summary")).ToContainTextAsync("DevDays · Europe/Paris");

        // preview, then apply, the iCalendar file
        await page.Locator(".mud-tab", new() { HasText = "Import" }).ClickAsync();
        await page.SetBlazorInputFilesAsync("[data-test=import-file] input[type=file], input[type=file][data-test=import-file]", ics);
        // the file goes up through the circuit before the preview is made: slow on a busy machine
        await Assertions.Expect(page.Locator("#import-summary")).ToContainTextAsync("agenda.ics: 2 to create, 0 to change, 0 to cancel, 0 to remove",
            new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".import-item[data-action=create]")).ToHaveCountAsync(2);
        Assert.Empty(await _s.Host.Get<AgendaQueries>().SessionsAsync(_s.App.Id));
        await page.ClickAsync("#confirm-import");
        var keynoteRow = page.Locator($"#sessions-grid tr:has(td[data-session-id='{Keynote}'])");
        // applying the import writes the sessions before the grid comes back: server work, slow on a busy machine
        await Assertions.Expect(keynoteRow.Locator(".session-title")).ToHaveTextAsync("Opening keynote", new() { Timeout = 30_000 });
        await Assertions.Expect(keynoteRow.Locator(".session-room")).ToHaveTextAsync("Hall A");
        await Assertions.Expect(page.Locator("#sessions-grid tr:has(td[data-session-id='ai-101@devdays']) .session-room")).ToHaveTextAsync("Room 2");

        // attendees log in on their devices and favourite sessions through the client API, as the apps would
        var ada = await _s.RegisterAsync(android: 1, ios: 1, prefix: "ada");
        var bob = await _s.RegisterAsync(android: 1, prefix: "bob");
        var cara = await _s.RegisterAsync(android: 0, web: 1, prefix: "cara");
        var dan = await _s.RegisterAsync(android: 1, prefix: "dan");
        var anonymous = await _s.RegisterAsync(android: 0, ios: 1, prefix: "anon");
        var client = _s.Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", _s.App.AppKey);
        await AttendAsync(client, "ada", ada, Keynote);
        await AttendAsync(client, "bob", bob, Keynote);
        await AttendAsync(client, "cara", cara, Keynote);
        await AttendAsync(client, "dan", dan, "ai-101@devdays");
        var concerned = ada.Concat(bob).Concat(cara).ToList();

        // the page shows the favourites once opened again; the editor changes the keynote's room
        await page.GotoConsoleAsync(_s.Host, "agenda");
        await Assertions.Expect(keynoteRow.Locator(".session-favorites")).ToHaveTextAsync("3");
        await keynoteRow.Locator(".session-title").ClickAsync();
        await Assertions.Expect(page.Locator("#session-title")).ToHaveValueAsync("Opening keynote");
        await page.FillAsync("#session-room", "Hall B");
        await page.ClickAsync("#save-session");
        var confirm = page.Locator("#change-confirm");
        await Assertions.Expect(confirm).ToContainTextAsync("This changes the session's room.");
        await Assertions.Expect(confirm.Locator("#affected-users")).ToHaveTextAsync("3");
        await Assertions.Expect(confirm.Locator("#affected-devices")).ToHaveTextAsync("4");
        await page.ClickAsync("#confirm-change");

        // the change, its alert's recipients and their outcomes appear in the session's history as the alert goes out
        var change = page.Locator(".session-change").First;
        // saving the change also creates and launches its alert before the history shows: server work
        await Assertions.Expect(change.Locator(".change-description")).ToHaveTextAsync("room Hall A → Hall B", new() { Timeout = 30_000 });
        await Assertions.Expect(change.Locator(".alert-audience")).ToHaveTextAsync("4");
        // the history re-reads the outbox every second while the alert is sending: a loaded machine gets some slack
        await Assertions.Expect(change.Locator(".alert-recipient")).ToHaveCountAsync(4, new() { Timeout = 30_000 });
        await Assertions.Expect(change.Locator(".alert-recipient[data-status=sent]")).ToHaveCountAsync(4, new() { Timeout = 30_000 });
        foreach (var (user, devices) in new[] { ("ada", ada), ("bob", bob), ("cara", cara) })
            foreach (var device in devices)
                await Assertions.Expect(change.Locator($".alert-recipient[data-installation-id='{device.InstallationId}'] .recipient-user")).ToHaveTextAsync(user);
        await Assertions.Expect(keynoteRow.Locator(".session-room")).ToHaveTextAsync("Hall B");

        // the providers accepted exactly one alert per device of those concerned, naming the new room; nobody else got one
        var accepted = _s.Sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Status is >= 200 and < 300).ToList();
        foreach (var device in concerned)
        {
            var message = Assert.Single(accepted, m => Reaches(m, device));
            Assert.Contains("Opening keynote", message.Payload);
            Assert.Contains("Hall B", message.Payload);
        }
        Assert.Equal(4, accepted.Count);
        Assert.DoesNotContain(accepted, m => dan.Concat(anonymous).Any(d => Reaches(m, d)));

        // moving a session's time, the most common programme change: the new time is kept, announced and shown
        var aiRow = page.Locator("#sessions-grid tr:has(td[data-session-id='ai-101@devdays'])");
        await aiRow.Locator(".session-title").ClickAsync();
        await Assertions.Expect(page.Locator("#session-title")).ToHaveValueAsync("AI in practice");
        await Assertions.Expect(page.Locator("#session-start-time")).ToHaveValueAsync("10:30");
        await page.FillAsync("#session-start-time", "11:00");
        await page.FillAsync("#session-end-time", "11:45");
        await page.ClickAsync("#save-session");
        await Assertions.Expect(confirm).ToContainTextAsync("This changes the session's time.");
        await Assertions.Expect(confirm.Locator(".alert-text[data-language=en]")).ToContainTextAsync("11:00");
        await page.ClickAsync("#confirm-change");
        await Assertions.Expect(aiRow).ToContainTextAsync("11:00–11:45", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#session-start-time")).ToHaveValueAsync("11:00");
        // its alert reaches dan, who favourited it, and says the new time
        await Assertions.Expect(page.Locator(".session-change").First.Locator(".alert-recipient[data-status=sent]")).ToHaveCountAsync(dan.Count, new() { Timeout = 30_000 });
        var moved = _s.Sandbox.State.Providers.SelectMany(p => p.Recent()).Where(m => m.Status is >= 200 and < 300 && dan.Any(d => Reaches(m, d))).ToList();
        Assert.Contains(moved, m => m.Payload?.Contains("AI in practice", StringComparison.Ordinal) == true);
    }

    private static async Task AttendAsync(HttpClient client, string userId, IReadOnlyList<ScenarioDevice> devices, string sessionId)
    {
        foreach (var device in devices)
        {
            var login = await client.PutAsJsonAsync($"api/v1/installations/{device.InstallationId}/user", new { userId });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }
        var favourite = await client.PutAsync($"api/v1/users/{userId}/favorites/{Uri.EscapeDataString(sessionId)}", null);
        Assert.Equal(HttpStatusCode.NoContent, favourite.StatusCode);
    }

    // a Web Push service knows a subscription by the last segment of its endpoint
    private static bool Reaches(SandboxMessage message, ScenarioDevice device) =>
        device.Platform == Platform.Web ? device.Token.EndsWith("/" + message.Target, StringComparison.Ordinal) : message.Target == device.Token;

    private static string Calendar(DateOnly day)
    {
        var d = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return $"""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Conference tool//EN
            BEGIN:VEVENT
            UID:{Keynote}
            DTSTAMP:20300101T000000Z
            SUMMARY:Opening keynote
            LOCATION:Hall A
            DTSTART;TZID=Europe/Paris:{d}T090000
            DTEND;TZID=Europe/Paris:{d}T100000
            X-SPEAKERS:Ada Lovelace;Grace Hopper
            END:VEVENT
            BEGIN:VEVENT
            UID:ai-101@devdays
            DTSTAMP:20300101T000000Z
            SUMMARY:AI in practice
            LOCATION:Room 2
            CATEGORIES:AI
            DTSTART;TZID=Europe/Paris:{d}T103000
            DTEND;TZID=Europe/Paris:{d}T111500
            END:VEVENT
            END:VCALENDAR
            """.Replace("\n", "\r\n");
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllText(path, content);
        return path;
    }
}
