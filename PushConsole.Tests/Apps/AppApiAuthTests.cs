using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Tests.Apps;

public sealed class AppApiAuthTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private CreatedApp _app = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _app = await _host.Get<AppService>().CreateAsync(new NewApp("API app"), Actor.System);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("ak_doesnotexist")]
    public async Task Client_api_without_a_known_app_key_gets_401_problem_json(string? key)
    {
        using var client = _host.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-App-Key", key);
        var response = await client.GetAsync("api/v1/app");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("X-App-Key", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Client_api_with_the_app_key_sees_the_vapid_public_key()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", _app.App.AppKey);
        var info = await client.GetFromJsonAsync<JsonElement>("api/v1/app");
        Assert.Equal(_app.App.Vapid.PublicKey, info.GetProperty("vapidPublicKey").GetString());
    }

    [Fact]
    public async Task Server_api_needs_the_current_master_secret()
    {
        using var client = _host.CreateClient();
        async Task<HttpResponseMessage> CallAsync(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v4/app");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_app.App.AppKey}:{secret}")));
            return await client.SendAsync(request);
        }

        var ok = await CallAsync(_app.MasterSecret);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("API app", (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        var wrong = await CallAsync("ms_wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Basic", wrong.Headers.WwwAuthenticate.ToString());

        var rotated = await _host.Get<AppService>().RotateMasterSecretAsync(_app.App.Id, Actor.System);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(_app.MasterSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(rotated)).StatusCode);
    }

    [Fact]
    public async Task Wrong_master_secrets_are_slowed_and_a_throttled_try_checks_no_secret()
    {
        using var client = _host.CreateClient();
        async Task<HttpResponseMessage> CallAsync(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v4/app");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_app.App.AppKey}:{secret}")));
            return await client.SendAsync(request);
        }

        for (var n = 0; n <= PushConsole.Accounts.SignInThrottle.FreePerAccount; n++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync($"ms_guess_{n}")).StatusCode);

        var slowed = await CallAsync("ms_guess_again");
        Assert.Equal((HttpStatusCode)429, slowed.StatusCode);
        Assert.Equal("application/problem+json", slowed.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(slowed.Headers.RetryAfter);
        // even the right secret waits from here: a throttled try is not a free oracle
        Assert.Equal((HttpStatusCode)429, (await CallAsync(_app.MasterSecret)).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_console_cookie_is_not_an_api_credential()
    {
        using var client = _host.CreateClient();
        var response = await client.GetAsync("v4/app");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
