using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PushConsole.Tests.Operations;

public sealed class HealthTests : IAsyncLifetime
{
    private AppHost _host = default!;

    public async Task InitializeAsync() => _host = await AppHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Health_reports_database_and_scheduler()
    {
        using var client = _host.CreateClient();
        var response = await client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Contains(checks.EnumerateObject(), c => c.Name.Contains("quartz", StringComparison.OrdinalIgnoreCase) && c.Value.GetProperty("status").GetString() == "Healthy");
    }

    [Fact]
    public async Task Health_says_unhealthy_when_the_database_is_gone()
    {
        using var client = _host.CreateClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_host.DataDirectory, "pushconsole.db*")) File.Delete(file);
        Directory.Delete(_host.DataDirectory, recursive: true);
        var response = await client.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_and_reference_page_are_served()
    {
        using var client = _host.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/app", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/v4/app", out _));
        var page = await client.GetAsync("api-reference/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("PushConsole API", await page.Content.ReadAsStringAsync());
    }
}
