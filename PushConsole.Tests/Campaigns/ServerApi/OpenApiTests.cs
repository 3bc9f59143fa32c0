using System.Net.Http.Json;
using System.Text.Json;

namespace PushConsole.Tests.Campaigns.ServerApi;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_describes_the_server_api_with_its_engagelab_field_names()
    {
        await using var host = await AppHost.StartAsync();
        using var client = host.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/v4/push").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/v4/schedules").TryGetProperty("post", out _));
        foreach (var verb in new[] { "get", "put", "delete" })
            Assert.True(paths.GetProperty("/v4/schedules/{schedule_id}").TryGetProperty(verb, out _), verb);
        Assert.True(paths.GetProperty("/v4/push_plan").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/v4/push_plan/stats").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/v4/messages/{msgId}").TryGetProperty("get", out _));
        var schemas = document.GetProperty("components").GetProperty("schemas").GetRawText();
        foreach (var name in new[] { "\"request_id\"", "\"custom_args\"", "\"time_to_live\"", "\"multi_language\"", "\"backup_time\"", "\"zone_type\"",
                     "\"invalid_token\"", "\"by_platform\"", "\"by_message_type\"", "\"msg_id\"", "\"schedule_id\"" })
            Assert.Contains(name, schemas);
    }
}
