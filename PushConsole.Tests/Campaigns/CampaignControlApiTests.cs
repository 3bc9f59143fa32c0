using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns;

public sealed class CampaignControlApiTests : IAsyncLifetime
{
    private DispatchScenario _s = default!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        _secret = await _s.Host.Get<AppService>().RotateMasterSecretAsync(_s.App.Id, Actor.System);
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private HttpClient Client(string appKey, string secret)
    {
        var client = _s.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{appKey}:{secret}")));
        return client;
    }

    [Fact]
    public async Task Back_ends_pause_resume_throttle_and_cancel_their_own_messages_only()
    {
        await _s.RegisterAsync(android: 400);
        _s.Sandbox.State.Fcm.Latency = TimeSpan.FromMilliseconds(20);
        var campaign = await _s.SendAsync(throttlePerMinute: 6000);
        using var client = Client(_s.App.AppKey, _secret);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"v4/messages/{campaign.Id}/pause", null)).StatusCode);
        Assert.Equal(CampaignStatus.Paused, (await _s.Host.Get<CampaignService>().GetAsync(campaign.Id)).Status);
        // pausing twice is fine; resuming a paused one works; a bad throttle names the field
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"v4/messages/{campaign.Id}/pause", null)).StatusCode);
        var badThrottle = await client.PutAsJsonAsync($"v4/messages/{campaign.Id}/throttle", new { throttlePerMinute = -5 });
        Assert.Equal(HttpStatusCode.BadRequest, badThrottle.StatusCode);
        Assert.True((await badThrottle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("throttlePerMinute", out _));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"v4/messages/{campaign.Id}/throttle", new { throttlePerMinute = 60_000 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"v4/messages/{campaign.Id}/resume", null)).StatusCode);
        Assert.Equal(60_000, (await _s.Host.Get<CampaignService>().GetAsync(campaign.Id)).ThrottlePerMinute);

        // another app's credentials cannot see it at all
        var other = await _s.Host.Get<AppService>().CreateAsync(new NewApp("Other app"), Actor.System);
        using var stranger = Client(other.App.AppKey, other.MasterSecret);
        var notFound = await stranger.PostAsync($"v4/messages/{campaign.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        using var anonymous = _s.Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"v4/messages/{campaign.Id}/cancel", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"v4/messages/{campaign.Id}/cancel", null)).StatusCode);
        Assert.Equal(CampaignStatus.Cancelled, (await _s.Host.Get<CampaignService>().GetAsync(campaign.Id)).Status);
        var resumeCancelled = await client.PostAsync($"v4/messages/{campaign.Id}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, resumeCancelled.StatusCode);
    }
}
