using System.Text.Json;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>Issue 15 item 4: the CSV export survives any segment name and never hands a spreadsheet a formula.</summary>
public sealed class CsvExportTests(SecurityKit kit) : IClassFixture<SecurityKit>
{
    [Theory]
    [InlineData("Łódź attendees", "segment-ID-Lodz-attendees.csv", "segment-ID-%C5%81%C3%B3d%C5%BA-attendees.csv")]
    [InlineData("Zoë", "segment-ID-Zoe.csv", "segment-ID-Zo%C3%AB.csv")]
    [InlineData("東京", "segment-ID-__.csv", "segment-ID-%E6%9D%B1%E4%BA%AC.csv")]
    public async Task A_non_ascii_segment_name_downloads_with_an_rfc6266_file_name(string name, string fallback, string encoded)
    {
        var id = await SegmentAsync(name);
        var response = await kit.Server.GetAsync($"v4/segments/{id}/users.csv");
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(fallback.Replace("ID", id), disposition.FileName!.Trim('"'));
        Assert.Equal(Uri.UnescapeDataString(encoded.Replace("ID", id)), disposition.FileNameStar);
    }

    [Fact]
    public async Task Cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised()
    {
        string[] users = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+41 cmd", "-2+3", "@SUM(A1)", "ana"];
        for (var i = 0; i < users.Length; i++)
            await kit.Devices.RegisterAndroidAsync($"csv-{i}", DeviceKit.FcmToken($"csv-{i}"), users[i]);
        var id = await SegmentAsync("Formula check");
        var csv = await kit.Server.GetStringAsync($"v4/segments/{id}/users.csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("user_id", lines[0]);
        Assert.Contains("'+41 cmd", lines);
        Assert.Contains("'-2+3", lines);
        Assert.Contains("'@SUM(A1)", lines);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"", lines);
        Assert.Contains("ana", lines);
        Assert.DoesNotContain(lines.Skip(1), l => l.TrimStart('"')[0] is '=' or '+' or '-' or '@' or '\t' or '\r');
    }

    private async Task<string> SegmentAsync(string name)
    {
        var body = JsonSerializer.Serialize(new { name, rules = new { root = new { match = "all", rules = new[] { new { field = "user", @operator = "exists" } } } } });
        var response = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/segments", body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }
}
