using System.Text;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Devices;
using PushConsole.EventData;

namespace PushConsole.Tests.EventData;

/// <summary>The console's CSV import as a service: chunks through the batch path, progress after each, errors by line.</summary>
public sealed class AttendeeImportTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private readonly string _files = TempFolder.Create("pushconsole-attendee-csv");

    public async Task InitializeAsync() => _host = await AppHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        TempFolder.Delete(_files);
    }

    private sealed class Recorder : IProgress<ImportProgress>
    {
        public List<ImportProgress> Reports { get; } = [];
        public void Report(ImportProgress value) => Reports.Add(value);
    }

    [Fact]
    public async Task A_file_is_read_in_chunks_with_progress_and_its_bad_lines_are_named_by_line()
    {
        var app = await _host.Get<AppService>().CreateAsync(new NewApp("Import"), Actor.System);
        var csv = new StringBuilder("id;mail;Job title;tags\n");
        for (var i = 0; i < 5_000; i++)
            csv.Append($"p{i};{(i == 4_321 ? "nope" : $"p{i}@example.com")};\"Engineer; level {i % 3}\";a|b\n");
        var path = Path.Combine(_files, "people.csv");
        await File.WriteAllTextAsync(path, csv.ToString());

        var head = AttendeeCsv.ReadHead(path, 1_000);
        var mapping = AttendeeCsv.Guess(head.Headers);
        Assert.Equal([ColumnTarget.UserId, ColumnTarget.Email, ColumnTarget.Attribute, ColumnTarget.Tags], mapping.Select(m => m.Target));
        Assert.Equal("job_title", mapping[2].AttributeName);
        var recorder = new Recorder();

        var result = await _host.Get<AttendeeImport>().ImportAsync(app.App.Id, path, mapping, recorder);

        // 2,000 lines a chunk: three chunks, each reported, the last at the whole file
        Assert.Equal([2_000, 4_000, result.Rows], recorder.Reports.Select(r => r.Rows));
        Assert.True(recorder.Reports[0].Percent is > 30 and < 50, $"{recorder.Reports[0].Percent} %");
        Assert.Equal(100, recorder.Reports[^1].Percent);
        Assert.Equal((5_000, 4_999, 0, 1), (result.Rows, result.Created, result.Updated, result.ErrorCount));
        Assert.Equal((4_323L, "email"), (result.Errors[0].Line, result.Errors[0].Field));
        var stored = await _host.Get<UserProfiles>().ExportAsync(app.App.Id, "p10", false, Actor.System);
        Assert.Equal(("p10@example.com", "Engineer; level 1"), (stored.Email, (string)stored.Attributes["job_title"]));
        Assert.Equal(["a", "b"], stored.Tags);
    }

    [Fact]
    public async Task A_mapping_without_exactly_one_userId_column_stores_nothing()
    {
        var app = await _host.Get<AppService>().CreateAsync(new NewApp("Import"), Actor.System);
        var path = Path.Combine(_files, "noid.csv");
        await File.WriteAllTextAsync(path, "email,company\nx@example.com,Acme\n");
        var mapping = AttendeeCsv.Guess(AttendeeCsv.ReadHead(path, 10).Headers);
        var error = await Assert.ThrowsAsync<BadInputException>(() => _host.Get<AttendeeImport>().ImportAsync(app.App.Id, path, mapping, null));
        Assert.Contains("userId", error.First("mapping"));
    }
}
