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
    public async Task Live_answers_and_ready_runs_database_scheduler_dispatcher_checks_while_health_stays_as_it_was()
    {
        using var client = _host.CreateClient();
        var live = await client.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Empty((await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateObject());

        var ready = await client.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("dispatcher").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("accepting").GetProperty("status").GetString());
        Assert.Contains(checks.EnumerateObject(), c => c.Name.Contains("quartz", StringComparison.OrdinalIgnoreCase));

        var health = (await client.GetFromJsonAsync<JsonElement>("health")).GetProperty("checks");
        Assert.False(health.TryGetProperty("accepting", out _));
    }

    [Fact]
    public async Task Ready_fails_and_live_still_answers_when_the_database_is_gone()
    {
        using var client = _host.CreateClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_host.DataDirectory, "pushconsole.db*")) File.Delete(file);
        Directory.Delete(_host.DataDirectory, recursive: true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/live")).StatusCode);
    }

    [Fact]
    public async Task Ready_turns_unavailable_once_shutdown_begins()
    {
        using var client = _host.CreateClient();
        var check = ActivatorUtilities.CreateInstance<PushConsole.Operations.ReadinessCheck>(_host.Services);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await check.CheckHealthAsync(new())).Status);
        _host.Get<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, (await check.CheckHealthAsync(new())).Status);
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
