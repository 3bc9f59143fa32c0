using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.Fcm;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Sending.Providers;

public sealed class ProviderClientsTests : IAsyncLifetime
{
    private static readonly Actor Admin = new("admin@example.com");
    private SandboxHost _sandbox = default!;
    private AppHost _host = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync();
        _host = await AppHost.StartAsync(o =>
        {
            o.Args.AddRange(_sandbox.ProviderArgs(tls: true));
            o.Args.Add("--Providers:CredentialRecheckSeconds=0");
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private async Task<App> CreateAppAsync(string name, bool apns = true)
    {
        var key = _sandbox.State.CreateApnsKey("com.example.eventapp");
        var request = new NewApp(name, _sandbox.State.CreateServiceAccountJson("event-" + name.ToLowerInvariant()),
            apns ? key.P8 : null, apns ? key.KeyId : null, apns ? key.TeamId : null, apns ? key.BundleId : null, apns ? "production" : null);
        return (await _host.Get<AppService>().CreateAsync(request, Admin)).App;
    }

    [Fact]
    public async Task The_registry_builds_each_providers_client_from_the_stored_credentials_and_sends_over_tls()
    {
        var app = await CreateAppAsync("Alpha");
        var clients = _host.Get<ProviderClients>();
        var subscription = _sandbox.State.CreateWebPushSubscription(app.Vapid.PublicKey, tls: true);

        var results = new[]
        {
            await clients.SendAsync(app.Id, SandboxClients.Alert(1, PushTarget.Fcm("fcm-1"))),
            await clients.SendAsync(app.Id, SandboxClients.Alert(2, PushTarget.Apns(_sandbox.State.NewApnsDeviceToken(), ApnsEnvironment.Production))),
            await clients.SendAsync(app.Id, SandboxClients.Alert(3, PushTarget.Apns(_sandbox.State.NewApnsDeviceToken(ApnsEnvironment.Sandbox), ApnsEnvironment.Sandbox))),
            await clients.SendAsync(app.Id, SandboxClients.Alert(4, PushTarget.WebPush(subscription))),
        };

        Assert.All(results, r => Assert.True(r.IsSent, r.ToString()));
        Assert.All(results, r => Assert.Equal("HTTP/2", r.Answer.HttpVersion));
        Assert.Same(await clients.GetAsync(app.Id, PushProvider.Fcm), await clients.GetAsync(app.Id, PushProvider.Fcm));
        Assert.NotSame(await clients.GetAsync(app.Id, PushProvider.Apns, ApnsEnvironment.Production), await clients.GetAsync(app.Id, PushProvider.Apns, ApnsEnvironment.Sandbox));
    }

    [Fact]
    public async Task Changed_credentials_give_a_new_client()
    {
        var app = await CreateAppAsync("Beta");
        var clients = _host.Get<ProviderClients>();
        var before = (FcmClient)await clients.GetAsync(app.Id, PushProvider.Fcm);

        await _host.Get<AppService>().SetFcmAsync(app.Id, _sandbox.State.CreateServiceAccountJson("beta-moved"), Admin);
        var after = (FcmClient)await clients.GetAsync(app.Id, PushProvider.Fcm);
        var result = await clients.SendAsync(app.Id, SandboxClients.Alert(1, PushTarget.Fcm("t")));

        Assert.NotSame(before, after);
        Assert.Equal(("event-beta", "beta-moved"), (before.ProjectId, after.ProjectId));
        Assert.StartsWith("projects/beta-moved/", result.MessageId);
    }

    [Fact]
    public async Task A_provider_the_app_has_no_credentials_for_is_a_credential_problem()
    {
        var app = await CreateAppAsync("Gamma", apns: false);

        var result = await _host.Get<ProviderClients>().SendAsync(app.Id, SandboxClients.Alert(1, PushTarget.Apns(new string('a', 64), ApnsEnvironment.Production)));

        Assert.Equal((ProviderOutcome.CredentialProblem, "NotConfigured"), (result.Outcome, result.Reason));
    }
}
