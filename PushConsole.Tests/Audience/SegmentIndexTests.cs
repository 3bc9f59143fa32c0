using System.Net;
using System.Net.Http.Json;
using Dapper;
using PushConsole.Audience;
using PushConsole.Data;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Audience;

/// <summary>
/// The in-memory segment index follows every kind of write without a restart: each count after a write comes from the
/// index (not SQL) and equals both the expected number and the SQL translation's count over the same rows.
/// </summary>
public abstract class SegmentIndexWrites : IAsyncLifetime
{
    private AppHost _host = null!;
    private DeviceKit _kit = null!;

    /// <summary>A PostgreSQL connection string, or null for SQLite.</summary>
    protected abstract Task<string?> DatabaseAsync();

    public async Task InitializeAsync()
    {
        var postgres = await DatabaseAsync();
        _host = await AppHost.StartAsync(o => o.PostgresConnectionString = postgres);
        _kit = await DeviceKit.CreateAsync(_host);
        await _kit.RegisterAsync("phone-0", new { platform = "android", pushToken = DeviceKit.FcmToken("p0"), language = "en" });
        // built now, before the writes below: they reach it only through the change table
        await _host.Get<SegmentIndexes>().WarmAsync(_kit.AppId);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>The index's count, checked to come from the index and to equal the SQL translation's.</summary>
    private async Task<long> CountAsync(string conditions)
    {
        var rules = RulesJson.Parse($$$"""{"version":1,"root":{"match":"all","rules":[{{{conditions}}}]}}""");
        var indexes = _host.Get<SegmentIndexes>();
        var answered = indexes.Answered;
        var count = await _host.Get<SegmentQueries>().CountAsync(_kit.AppId, rules);
        Assert.Equal(answered + 1, indexes.Answered);
        var parameters = new DynamicParameters();
        var where = await _host.Get<SegmentService>().WhereAsync(_kit.AppId, rules, parameters);
        await using var connection = await _host.Get<Database>().OpenAsync();
        Assert.Equal(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {SegmentSql.From} WHERE {where}", parameters), count.Installations);
        return count.Installations;
    }

    private const string Android = """{"field":"platform","operator":"in","value":["android"]}""";
    private const string French = """{"field":"language","operator":"in","value":["fr"]}""";
    private const string Subscribed = """{"field":"push_state","operator":"in","value":["subscribed"]}""";
    private const string Vip = """{"field":"tags","operator":"has_any","value":["vip"]}""";
    private const string Speaker = """{"field":"attribute","name":"role","operator":"equals","value":"speaker"}""";
    private const string LoggedIn = """{"field":"user","operator":"exists"}""";

    [Fact]
    public async Task Registering_updating_and_unregistering_an_installation_change_the_count()
    {
        Assert.Equal(1, await CountAsync(Android));
        Assert.Equal(0, await CountAsync(French));
        await _kit.RegisterAsync("phone-1", new { platform = "android", pushToken = DeviceKit.FcmToken("p1"), language = "fr", tags = new[] { "vip" } });
        Assert.Equal(2, await CountAsync(Android));
        Assert.Equal(1, await CountAsync($"{French},{Vip}"));
        // the same installation again, another language and no tags
        await _kit.RegisterAsync("phone-1", new { platform = "android", pushToken = DeviceKit.FcmToken("p1"), language = "de", tags = Array.Empty<string>() });
        Assert.Equal(0, await CountAsync(French));
        Assert.Equal(0, await CountAsync(Vip));
        Assert.Equal(2, await CountAsync(Subscribed));
        Assert.Equal(HttpStatusCode.NoContent, (await _kit.Client.DeleteAsync("api/v1/installations/phone-1")).StatusCode);
        Assert.Equal(1, await CountAsync(Subscribed));
    }

    [Fact]
    public async Task A_users_attributes_tags_categories_consent_and_login_change_the_count()
    {
        using var server = _kit.ServerClient();
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync("v4/users/ana", new { attributes = new Dictionary<string, object?> { ["role"] = "speaker" }, tags = new[] { "vip" } })).StatusCode);
        Assert.Equal(0, await CountAsync(Speaker));
        // login on the device: the user's facts now count for it
        Assert.Equal(HttpStatusCode.OK, (await _kit.Client.PutAsJsonAsync("api/v1/installations/phone-0/user", new { userId = "ana" })).StatusCode);
        Assert.Equal(1, await CountAsync($"{Speaker},{Vip},{LoggedIn}"));
        await server.PutAsJsonAsync("v4/users/ana", new { attributes = new Dictionary<string, object?> { ["role"] = "attendee" }, tags = Array.Empty<string>() });
        Assert.Equal(0, await CountAsync(Speaker));
        Assert.Equal(0, await CountAsync(Vip));
        Assert.Equal(1, await CountAsync("""{"field":"attribute","name":"role","operator":"in","value":["attendee"]}"""));

        Assert.Equal(0, await CountAsync("""{"field":"category","name":"marketing","operator":"opted_out"}"""));
        Assert.Equal(1, await CountAsync("""{"field":"consent","operator":"in","value":["unknown"]}"""));
        var preferences = await _kit.Client.PutAsJsonAsync("api/v1/users/ana/preferences", new { consent = true, categories = new { marketing = false } });
        Assert.True(preferences.IsSuccessStatusCode, await preferences.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync("""{"field":"category","name":"marketing","operator":"opted_out"}"""));
        Assert.Equal(1, await CountAsync("""{"field":"consent","operator":"in","value":["granted"]}"""));

        Assert.Equal(HttpStatusCode.OK, (await _kit.Client.PutAsJsonAsync("api/v1/installations/phone-0/user", new { userId = (string?)null })).StatusCode);
        Assert.Equal(0, await CountAsync(LoggedIn));
        Assert.Equal(1, await CountAsync("""{"field":"consent","operator":"in","value":["unknown"]}"""));
    }

    [Fact]
    public async Task An_open_event_changes_the_opens_and_engagement_count()
    {
        const string opened = """{"field":"opens","operator":"gte","value":1,"days":30}""";
        Assert.Equal(0, await CountAsync(opened));
        Assert.Equal(1, await CountAsync("""{"field":"engagement","operator":"in","value":["none"],"days":7}"""));
        var at = _host.Get<TimeProvider>().GetUtcNow().UtcDateTime.AddHours(-1);
        var events = await _kit.Client.PostAsJsonAsync("api/v1/events", new { installationId = "phone-0", type = "notification_opened", at });
        Assert.True(events.IsSuccessStatusCode, await events.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync(opened));
        Assert.Equal(0, await CountAsync("""{"field":"engagement","operator":"in","value":["none"],"days":7}"""));
        Assert.Equal(1, await CountAsync("""{"field":"engagement","operator":"in","value":["low"],"days":7}"""));
    }

    [Fact]
    public async Task Erasing_a_user_removes_their_facts_from_the_count()
    {
        using var server = _kit.ServerClient();
        await server.PutAsJsonAsync("v4/users/bob", new { attributes = new Dictionary<string, object?> { ["role"] = "speaker" }, tags = new[] { "vip" } });
        await _kit.RegisterAsync("phone-2", new { platform = "ios", pushToken = DeviceKit.ApnsToken("p2"), userId = "bob", tags = new[] { "vip" } });
        var opened = await _kit.Client.PostAsJsonAsync("api/v1/events", new { installationId = "phone-2", type = "notification_opened" });
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync($"{Speaker},{Vip},{LoggedIn}"));
        Assert.Equal(1, await CountAsync("""{"field":"opens","operator":"gte","value":1,"days":30}"""));
        Assert.Equal(2, await CountAsync(Subscribed));

        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync("v4/users/bob")).StatusCode);
        Assert.Equal(0, await CountAsync(Speaker));
        Assert.Equal(0, await CountAsync(Vip));
        Assert.Equal(0, await CountAsync(LoggedIn));
        Assert.Equal(0, await CountAsync("""{"field":"opens","operator":"gte","value":1,"days":30}"""));
        Assert.Equal(1, await CountAsync(Subscribed));
    }
}

public sealed class SegmentIndexTests : SegmentIndexWrites
{
    protected override Task<string?> DatabaseAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class SegmentIndexPostgresTests(PostgresCluster cluster) : SegmentIndexWrites
{
    protected override async Task<string?> DatabaseAsync() => await cluster.CreateDatabaseAsync();
}
