using System.Net;
using System.Net.Http.Json;
using PushConsole.Devices;

namespace PushConsole.Tests.Devices;

/// <summary>Many installations register one token at the same moment: exactly one ends up holding it, and the changelogs tell one consistent story.</summary>
public static class TokenRace
{
    public const int Installations = 8;
    public const int Rounds = 6;

    /// <param name="clients">The clients to spread the requests over (several app instances on PostgreSQL).</param>
    /// <param name="hosts">Their hosts, whose logged errors explain a refused request.</param>
    public static async Task RunAsync(DeviceKit kit, IReadOnlyList<HttpClient> clients, params AppHost[] hosts)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var token = DeviceKit.FcmToken($"race-{round}");
            var ids = Enumerable.Range(0, Installations).Select(k => $"race-{round}-{k}").ToList();
            using var start = new SemaphoreSlim(0);
            var requests = ids.Select(async (id, k) =>
            {
                await start.WaitAsync();
                return await clients[k % clients.Count].PutAsJsonAsync($"api/v1/installations/{id}", new { platform = "android", pushToken = token, userId = $"user-{k}" });
            }).ToList();
            start.Release(ids.Count);
            foreach (var response in await Task.WhenAll(requests))
                Assert.True(response.StatusCode == HttpStatusCode.OK,
                    await response.Content.ReadAsStringAsync() + "\n" + string.Join("\n", hosts.Select(h => h.Logs.Problems(10))));

            var installations = new List<(string Id, Installation Row, List<TokenChange> Changes)>();
            foreach (var id in ids) installations.Add((id, (await kit.InstallationAsync(id))!, await kit.ChangesAsync(id)));

            var holder = Assert.Single(installations, i => i.Row.Token == token);
            Assert.Equal(PushState.Subscribed, holder.Row.State);
            Assert.Equal([ChangeKind.Registered], holder.Changes.Select(c => c.Kind));
            foreach (var loser in installations.Where(i => i.Id != holder.Id))
            {
                Assert.Null(loser.Row.Token);
                Assert.Equal(PushState.Invalid, loser.Row.State);
                Assert.Equal([ChangeKind.Registered, ChangeKind.TokenTakenByOtherInstallation], loser.Changes.Select(c => c.Kind));
                Assert.Equal(token, loser.Changes[1].OldToken);
            }
            // every installation but the first registered took the token from exactly one other, and each loser lost it exactly once
            var tookFrom = installations.Select(i => i.Changes[0].Details ?? "").Where(d => d.Contains("took the token from"))
                .Select(d => d[(d.LastIndexOf(' ') + 1)..]).ToList();
            Assert.Equal(Installations - 1, tookFrom.Count);
            Assert.Equal(installations.Where(i => i.Id != holder.Id).Select(i => i.Id).Order(), tookFrom.Order());
        }
    }
}

public sealed class TokenRaceSqliteTests
{
    [Fact]
    public async Task Concurrent_registrations_of_one_token_leave_exactly_one_holder_on_sqlite()
    {
        await using var host = await AppHost.StartAsync();
        using var kit = await DeviceKit.CreateAsync(host);
        await TokenRace.RunAsync(kit, [kit.Client], host);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TokenRacePostgresTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Concurrent_registrations_of_one_token_through_two_instances_leave_exactly_one_holder_on_postgres()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var first = await AppHost.StartAsync(o => { o.PostgresConnectionString = connectionString; });
        await using var second = await AppHost.StartAsync(o => { o.PostgresConnectionString = connectionString; });
        using var kit = await DeviceKit.CreateAsync(first);
        using var other = second.CreateClient();
        other.DefaultRequestHeaders.Add("X-App-Key", kit.App.App.AppKey);

        await TokenRace.RunAsync(kit, [kit.Client, other], first, second);
    }

    [Fact]
    public async Task The_registry_works_the_same_on_postgres()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var host = await AppHost.StartAsync(o => o.PostgresConnectionString = connectionString);
        using var kit = await DeviceKit.CreateAsync(host);

        await kit.RegisterAsync("iphone", new { platform = "ios", pushToken = DeviceKit.ApnsToken("pg"), userId = "A", tags = new[] { "vip" } });
        await kit.SetUserAsync("iphone", "B");
        await kit.RegisterAsync("browser", DeviceKit.WebBody("https://web.push.apple.com/QGx1", "B"));
        var prefs = await kit.Client.PutAsJsonAsync("api/v1/users/B/preferences", new { consent = true, categories = new { marketing = false } });
        Assert.Equal(HttpStatusCode.OK, prefs.StatusCode);
        var key = (await kit.InstallationAsync("iphone"))!.Id;
        Assert.Equal(InvalidationOutcome.Invalidated,
            await host.Get<DeviceRegistry>().InvalidateAsync(key, ChangeSources.Apns, "BadDeviceToken", "400", DateTime.UtcNow.AddMinutes(1)));

        Assert.Equal([ChangeKind.Registered, ChangeKind.UserChanged, ChangeKind.PermissionChanged, ChangeKind.Invalidated], await kit.KindsAsync("iphone"));
        var lookup = await host.Get<LookupService>().SearchAsync(DeviceKit.ApnsToken("pg")[..10]);
        Assert.Equal("iphone", Assert.Single(lookup.Groups).Installations.Single().InstallationId);
        var byUser = await host.Get<LookupService>().SearchAsync("A");
        Assert.Equal("B", Assert.Single(byUser.Groups).Installations.Single().UserId);
    }
}
