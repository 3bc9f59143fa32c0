using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Tests.Devices;

public sealed class ClientApiTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private DeviceKit _kit = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _kit = await DeviceKit.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Events_are_accepted_one_or_many_and_stored_with_their_installation_and_delivery()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("e"), "ana");
        var one = await _kit.Client.PostAsJsonAsync("api/v1/events", new
        {
            installationId = "phone", type = "notification_opened", deliveryId = "123", at = "2026-11-22T10:00:00Z", properties = new { screen = "agenda" },
        });
        Assert.Equal(HttpStatusCode.Accepted, one.StatusCode);
        var many = await _kit.Client.PostAsync("api/v1/events", new StringContent(
            """[{"installationId":"phone","type":"session_start"},{"installationId":"phone","type":"custom","name":"badge_scanned"}]""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, many.StatusCode);
        Assert.Equal(2, (await many.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());

        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var events = await db.Set<ClientEvent>().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["notification_opened", "session_start", "custom"], events.Select(e => e.Type));
        Assert.Equal(("123", new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc), "{\"screen\":\"agenda\"}"), (events[0].DeliveryId, events[0].At, events[0].Properties));
        Assert.Equal("badge_scanned", events[2].Name);
        var phone = (await _kit.InstallationAsync("phone"))!;
        Assert.All(events, e => Assert.Equal(phone.Id, e.InstallationId));
        Assert.NotNull((await _kit.InstallationAsync("phone"))!.AppUser!.LastActiveAt);
    }

    [Fact]
    public async Task The_client_api_refuses_unknown_app_keys_and_another_apps_installations_are_not_visible()
    {
        using var anonymous = _host.CreateClient();
        var refused = await anonymous.PutAsJsonAsync("api/v1/installations/phone", new { platform = "android", pushToken = DeviceKit.FcmToken("x") });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("mine"));
        using var other = await DeviceKit.CreateAsync(_host, "Other app");
        // the same installation id and token in another app are another installation: tokens are unique per app
        await other.RegisterAndroidAsync("phone", DeviceKit.FcmToken("mine"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PutAsJsonAsync("api/v1/installations/only-mine/user", new { userId = "x" })).StatusCode);
        Assert.Equal(DeviceKit.FcmToken("mine"), (await _kit.InstallationAsync("phone"))!.Token);
        Assert.Equal([ChangeKind.Registered], await _kit.KindsAsync("phone"));
    }
}

public sealed class RateLimitTests
{
    [Fact]
    public async Task An_address_over_the_limit_gets_429_problem_json_with_retry_after()
    {
        await using var host = await AppHost.StartAsync(o => o.Args.Add("--ClientApi:RequestsPerSecondPerAddress=3"));
        using var kit = await DeviceKit.CreateAsync(host);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
            responses.Add(await kit.PutAsync($"phone-{i}", new { platform = "android", pushToken = DeviceKit.FcmToken($"r{i}") }));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("3 requests per second", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        // refused requests store nothing
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.OK), await kit.CountAsync<Installation>());
        // the server API is not limited by the client API's budget
        using var server = kit.ServerClient();
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/users/nobody")).StatusCode);
    }
}
