using System.Text;
using Microsoft.Playwright;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Devices;

namespace PushConsole.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AttendeeImportBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _host = default!;
    private readonly string _files = TempFolder.Create("pushconsole-attendee-import");

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _host.Output = output;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        TempFolder.Delete(_files);
    }

    /// <summary>2,000 attendees as a registration system exports them; four lines are wrong (line = index + 2, the header is line 1).</summary>
    private string AttendeeFile()
    {
        var csv = new StringBuilder("Registration ID,Email,Full name,Language,Time zone,Company,Role,Tags\n");
        for (var i = 0; i < 2_000; i++)
        {
            var line = i + 2;
            var id = line == 1500 ? "" : $"reg-{i:D4}";
            var email = line == 11 ? "broken-address" : $"guest{i}@example.com";
            var zone = line == 502 ? "Mars/Olympus_Mons" : i % 2 == 0 ? "Europe/Paris" : "America/New_York";
            var language = line == 2001 ? "??" : "en";
            csv.Append($"{id},{email},\"Guest {i}, Jr\",{language},{zone},Company {i % 7},{(i % 40 == 0 ? "speaker" : "attendee")},day1;{(i % 3 == 0 ? "workshop" : "talks")}\n");
        }
        var path = Path.Combine(_files, "registrations.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    [Fact]
    public async Task An_organizer_imports_2000_attendees_from_csv_and_sees_the_bad_lines_by_number()
    {
        var app = await _host.Get<AppService>().CreateAsync(new NewApp("Summit 2030"), Actor.System);
        var file = AttendeeFile();
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, await _host.CreateUserAsync(Roles.Organizer), TestAccounts.Password);
        await page.GotoConsoleAsync(_host, "attendees/import");

        await page.SetBlazorInputFilesAsync("input[type=file]", file);

        // the columns are recognised from the header; the preview shows the first lines and the problems among the first 1,000
        await Assertions.Expect(page.Locator("[data-test=preview-row]")).ToHaveCountAsync(10, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-test=preview-row]").First).ToContainTextAsync("reg-0000");
        await Assertions.Expect(page.Locator("[data-test=preview-row]").First).ToContainTextAsync("company=Company 0");
        await Assertions.Expect(page.Locator("[data-test=preview-error]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-test=preview-error][data-line='11']")).ToContainTextAsync("email");
        await Assertions.Expect(page.Locator("[data-test=preview-error][data-line='502']")).ToContainTextAsync("timeZone");
        Assert.Equal(0, await UsersAsync(app.App.Id));

        await page.ClickAsync("[data-test=start-import]");

        await Assertions.Expect(page.Locator("[data-test=import-summary]")).ToHaveTextAsync("2,000 lines read: 1,996 created, 0 updated, 4 refused.",
            new() { Timeout = 60_000 });
        var errors = page.Locator("[data-test=import-errors] tbody tr");
        await Assertions.Expect(errors).ToHaveCountAsync(4);
        var lines = await page.Locator("[data-test=import-error]").AllInnerTextsAsync();
        var fields = await page.Locator("[data-test=import-error-field]").AllInnerTextsAsync();
        Assert.Equal(["11 email", "502 timeZone", "1500 userId", "2001 language"], lines.Zip(fields, (l, f) => $"{l.Trim()} {f.Trim()}"));

        Assert.Equal(1_996, await UsersAsync(app.App.Id));
        var guest = await _host.Get<UserProfiles>().ExportAsync(app.App.Id, "reg-0040", false, Actor.System);
        Assert.Equal(("guest40@example.com", "Guest 40, Jr", "Europe/Paris"), (guest.Email, guest.DisplayName, guest.TimeZone));
        Assert.Equal(("Company 5", "speaker"), ((string)guest.Attributes["company"], (string)guest.Attributes["role"]));
        Assert.Equal(["day1", "talks"], guest.Tags);
    }

    private async Task<long> UsersAsync(long appId)
    {
        await using var connection = await _host.Get<PushConsole.Data.Database>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM app_users WHERE app_id = @appId", new { appId });
    }
}
