using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PushConsole.Audit;
using PushConsole.Devices;

namespace PushConsole.Tests.Devices;

/// <summary>GET/PUT/DELETE /v4/users/{userId}: server API auth, export with masked tokens, profile for segments.</summary>
public sealed class UserApiTests : IAsyncLifetime
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
    public async Task Only_the_apps_master_secret_opens_the_user_api()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        using var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v4/users/ana")).StatusCode);
        // the device's app key is not a server credential
        Assert.Equal(HttpStatusCode.Unauthorized, (await _kit.Client.GetAsync("v4/users/ana")).StatusCode);
        using var wrong = _host.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_kit.App.App.AppKey}:ms_wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PutAsJsonAsync("v4/users/ana", new { email = "x@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.DeleteAsync("v4/users/ana")).StatusCode);

        // another app's master secret does not see this app's users
        using var otherApp = await DeviceKit.CreateAsync(_host, "Other");
        using var otherServer = otherApp.ServerClient();
        Assert.Equal(HttpStatusCode.NotFound, (await otherServer.GetAsync("v4/users/ana")).StatusCode);
    }

    [Fact]
    public async Task The_export_masks_tokens_unless_asked_and_a_reveal_is_audited()
    {
        var token = DeviceKit.FcmToken("export");
        await _kit.RegisterAndroidAsync("phone", token, "ana");
        using var server = _kit.ServerClient();

        var masked = await server.GetFromJsonAsync<JsonElement>("v4/users/ana");
        var installation = masked.GetProperty("installations")[0];
        Assert.Equal(("phone", "android", "subscribed"), (installation.GetProperty("installationId").GetString(),
            installation.GetProperty("platform").GetString(), installation.GetProperty("state").GetString()));
        Assert.Equal($"{token[..6]}…{token[^4..]}", installation.GetProperty("token").GetString());
        var change = installation.GetProperty("changelog")[0];
        Assert.Equal("registered", change.GetProperty("kind").GetString());
        Assert.DoesNotContain(token, masked.GetRawText());

        var revealed = await server.GetFromJsonAsync<JsonElement>("v4/users/ana?reveal_tokens=true");
        Assert.Equal(token, revealed.GetProperty("installations")[0].GetProperty("token").GetString());
        var (entries, _) = await _host.Get<AuditLog>().SearchAsync("token.revealed", 0, 10);
        var entry = Assert.Single(entries);
        Assert.Equal(($"api:{_kit.App.App.AppKey}", "user ana"), (entry.Actor, entry.Target));
    }

    [Fact]
    public async Task A_back_end_sets_the_profile_attributes_and_tags_that_segments_read()
    {
        using var server = _kit.ServerClient();
        var put = await server.PutAsJsonAsync("v4/users/speaker-1", new
        {
            email = "Grace@Example.com", displayName = "Grace H.", language = "en-GB", timeZone = "Europe/London",
            attributes = new Dictionary<string, object?> { ["role"] = "speaker", ["company"] = "Navy", ["talks"] = 3, ["vip"] = true },
            tags = new[] { "keynote", "day-1" },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await server.PutAsJsonAsync("v4/users/speaker-1", new { attributes = new Dictionary<string, object?> { ["company"] = null, ["talks"] = 4 }, tags = new[] { "keynote" } });

        var user = await server.GetFromJsonAsync<JsonElement>("v4/users/speaker-1");
        Assert.Equal(("Grace@Example.com", "Grace H.", "en-GB", "Europe/London"), (user.GetProperty("email").GetString(), user.GetProperty("displayName").GetString(),
            user.GetProperty("language").GetString(), user.GetProperty("timeZone").GetString()));
        var attributes = user.GetProperty("attributes");
        Assert.Equal("speaker", attributes.GetProperty("role").GetString());
        Assert.Equal(4, attributes.GetProperty("talks").GetDouble());
        Assert.False(attributes.TryGetProperty("company", out _));
        Assert.Equal(["keynote"], user.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        // the lookup page finds the user by email, whatever its case
        var found = await _host.Get<LookupService>().SearchAsync("grace@example.com");
        Assert.Equal("speaker-1", Assert.Single(found.Groups).User!.UserId);
    }

    public static TheoryData<string, string> BadProfiles() => new()
    {
        { """{"timeZone":"Paris"}""", "timeZone" },
        { """{"language":"en_GB!"}""", "language" },
        { """{"email":"not-an-email"}""", "email" },
        { """{"attributes":{"role":{"nested":true}}}""", "attributes.role" },
        { """{"attributes":{"bad name":"x"}}""", "attributes.bad name" },
        { """{"tags":["ok",""]}""", "tags[1]" },
        { """{"displayName":12}""", "displayName" },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public async Task A_bad_profile_is_a_400_naming_the_field_and_creates_no_user(string json, string field)
    {
        using var server = _kit.ServerClient();
        var response = await server.PutAsync("v4/users/u1", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await _kit.CountAsync<AppUser>());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_user_endpoints()
    {
        using var client = _host.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/v4/users/{userId}").TryGetProperty("put", out var put));
        Assert.Contains("attributes", put.GetProperty("description").GetString());
        Assert.True(paths.TryGetProperty("/api/v1/installations/{installationId}", out _));
        Assert.True(paths.TryGetProperty("/api/v1/events", out _));
    }
}
