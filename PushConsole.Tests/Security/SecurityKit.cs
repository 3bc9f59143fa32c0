using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>One app on a real host with a device client (X-App-Key) and a back-end client (Basic appKey:masterSecret).</summary>
public sealed class SecurityKit : IAsyncLifetime
{
    public AppHost Host { get; private set; } = default!;
    public DeviceKit Devices { get; private set; } = default!;
    public HttpClient Device => Devices.Client;
    public HttpClient Server { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Host = await AppHost.StartAsync();
        Devices = await DeviceKit.CreateAsync(Host);
        Server = Devices.ServerClient();
    }

    public async Task DisposeAsync()
    {
        Server.Dispose();
        Devices.Dispose();
        await Host.DisposeAsync();
    }

    public static HttpRequestMessage Json(HttpMethod method, string path, string json, string contentType = "application/json") =>
        new(method, path) { Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType)) };

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a 400 problem+json whose errors name <paramref name="field"/>; returns the message.</summary>
    public static async Task<string> FieldProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response, 400);
        var messages = problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var m) ? m : default;
        Assert.True(messages.ValueKind == JsonValueKind.Array, $"no error for '{field}' in {problem}");
        return messages[0].GetString()!;
    }
}
