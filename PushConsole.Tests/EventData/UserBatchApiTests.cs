using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using PushConsole.Data;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.EventData;

/// <summary>POST /v4/users/batch: thousands of profiles per call, bad rows reported by index and field and skipped whole.</summary>
public sealed class UserBatchApiTests : IAsyncLifetime
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

    private static Dictionary<string, object?> Row(int n) => new()
    {
        ["userId"] = $"att-{n:D5}", ["email"] = $"Att{n}@Example.com", ["displayName"] = $"Attendee {n}", ["language"] = n % 2 == 0 ? "fr" : "en",
        ["timeZone"] = "Europe/Paris", ["attributes"] = new Dictionary<string, object?> { ["role"] = "attendee", ["company"] = $"Co {n % 50}", ["badge"] = n, ["vip"] = n % 100 == 0 },
        ["tags"] = new[] { "registered", n % 3 == 0 ? "workshop" : "conference" },
    };

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _host.Get<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { appId = _kit.AppId });
    }

    [Fact]
    public async Task Ten_thousand_users_are_stored_and_the_few_bad_rows_are_reported_by_index_and_field()
    {
        using var server = _kit.ServerClient();
        // one of them exists already: the batch updates it like PUT /v4/users/{userId} would
        (await server.PutAsJsonAsync("v4/users/att-00042", new { displayName = "Old name", attributes = new { shirt = "L" }, tags = new[] { "old" } })).EnsureSuccessStatusCode();
        var rows = Enumerable.Range(0, 10_000).Select(Row).ToList();
        rows[17]["email"] = "not-an-address";
        rows[503]["timeZone"] = "Mars/Olympus_Mons";
        rows[4000]["language"] = "not a language!";
        rows[7777]["attributes"] = new Dictionary<string, object?> { ["company"] = new[] { "a", "b" } };
        rows[9999].Remove("userId");
        rows[9998]["userId"] = "att-00001"; // twice in one request

        var response = await server.PostAsJsonAsync("v4/users/batch", new { users = rows });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(17, "email"), (503, "timeZone"), (4000, "language"), (7777, "attributes.company"), (9998, "userId"), (9999, "userId")], errors);
        Assert.All(result.GetProperty("errors").EnumerateArray(), e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("detail").GetString())));
        Assert.Equal((9_993, 1), (result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32()));
        Assert.Equal(9_994, await CountAsync("SELECT COUNT(*) FROM app_users WHERE app_id = @appId"));
        // a bad row is skipped whole: none of its other (good) fields is stored
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/users/att-00017")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/users/att-07777")).StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM app_users WHERE app_id = @appId AND display_name = 'Attendee 9998'"));

        var stored = await server.GetFromJsonAsync<JsonElement>("v4/users/att-00300");
        Assert.Equal(("Att300@Example.com", "Attendee 300", "fr", "Europe/Paris"), (stored.GetProperty("email").GetString(),
            stored.GetProperty("displayName").GetString(), stored.GetProperty("language").GetString(), stored.GetProperty("timeZone").GetString()));
        var attributes = stored.GetProperty("attributes");
        Assert.Equal(("attendee", "Co 0", 300.0, "true"), (attributes.GetProperty("role").GetString(), attributes.GetProperty("company").GetString(),
            attributes.GetProperty("badge").GetDouble(), attributes.GetProperty("vip").GetString()));
        Assert.Equal(["registered", "workshop"], stored.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        // merged into the existing profile: attributes by name, tags replaced
        var updated = await server.GetFromJsonAsync<JsonElement>("v4/users/att-00042");
        Assert.Equal(("Attendee 42", "L"), (updated.GetProperty("displayName").GetString(), updated.GetProperty("attributes").GetProperty("shirt").GetString()));
        Assert.Equal(["registered", "workshop"], updated.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        // segments see the numbers and the lower-cased email as the single PUT stores them
        Assert.Equal(100, await CountAsync("SELECT COUNT(*) FROM user_attributes WHERE app_id = @appId AND name = 'badge' AND number_value BETWEEN 100 AND 199"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM app_users WHERE app_id = @appId AND normalized_email = 'att300@example.com'"));
    }

    [Fact]
    public Task A_row_means_what_PUT_means_absent_stays_empty_clears_null_removes_an_attribute() => MergeAsync(_kit);

    /// <summary>Runs on SQLite and on PostgreSQL: the batch's SQL is the same text on both.</summary>
    internal static async Task MergeAsync(DeviceKit kit)
    {
        using var server = kit.ServerClient();
        (await server.PutAsJsonAsync("v4/users/ana", new { email = "ana@example.com", displayName = "Ana", language = "pt-BR", timeZone = "Europe/Lisbon",
            attributes = new { role = "speaker", company = "Acme" }, tags = new[] { "vip" } })).EnsureSuccessStatusCode();

        var result = await (await server.PostAsJsonAsync("v4/users/batch", new
        {
            users = new object[]
            {
                new { userId = "ana", displayName = "", attributes = new Dictionary<string, object?> { ["company"] = null, ["ticket"] = "workshop" } },
                new { userId = "bo" },
            },
        })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((1, 1, 0), (result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32(), result.GetProperty("errors").GetArrayLength()));
        var ana = await server.GetFromJsonAsync<JsonElement>("v4/users/ana");
        Assert.Equal(JsonValueKind.Null, ana.GetProperty("displayName").ValueKind);
        Assert.Equal(("ana@example.com", "pt-BR", "Europe/Lisbon"), (ana.GetProperty("email").GetString(), ana.GetProperty("language").GetString(),
            ana.GetProperty("timeZone").GetString()));
        Assert.Equal(["role", "ticket"], ana.GetProperty("attributes").EnumerateObject().Select(a => a.Name));
        Assert.Equal(["vip"], ana.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("v4/users/bo")).StatusCode);
    }

    [Fact]
    public async Task More_than_ten_thousand_rows_or_no_list_is_a_400_naming_users_and_stores_nothing()
    {
        using var server = _kit.ServerClient();
        var tooMany = await server.PostAsJsonAsync("v4/users/batch", new { users = Enumerable.Range(0, 10_001).Select(n => new { userId = $"u{n}" }) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("application/problem+json", tooMany.Content.Headers.ContentType?.MediaType);
        var problem = await tooMany.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("10,000", problem.GetProperty("errors").GetProperty("users")[0].GetString());

        var none = await server.PostAsJsonAsync("v4/users/batch", new { });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.True((await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("users", out _));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM app_users WHERE app_id = @appId"));
    }

    [Fact]
    public async Task A_bad_row_gets_the_same_message_as_the_single_PUT()
    {
        using var server = _kit.ServerClient();
        var single = await (await server.PutAsJsonAsync("v4/users/x", new { timeZone = "Paris" })).Content.ReadFromJsonAsync<JsonElement>();
        var batch = await (await server.PostAsJsonAsync("v4/users/batch", new { users = new[] { new { userId = "x", timeZone = "Paris" } } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(single.GetProperty("errors").GetProperty("timeZone")[0].GetString(), batch.GetProperty("errors")[0].GetProperty("detail").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class UserBatchPostgresTests(PostgresCluster postgres)
{
    [Fact]
    public async Task The_batch_merges_profiles_on_postgres_as_on_sqlite()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var host = await AppHost.StartAsync(o => o.PostgresConnectionString = connectionString);
        using var kit = await DeviceKit.CreateAsync(host);
        await UserBatchApiTests.MergeAsync(kit);

        // and a larger batch spans several statements with a bad row in it
        using var server = kit.ServerClient();
        var rows = Enumerable.Range(0, 1_200).Select(n => new Dictionary<string, object?>
        {
            ["userId"] = $"pg-{n}", ["email"] = n == 700 ? "nope" : $"pg{n}@example.com", ["attributes"] = new Dictionary<string, object?> { ["n"] = n }, ["tags"] = new[] { "pg" },
        }).ToList();
        var result = await (await server.PostAsJsonAsync("v4/users/batch", new { users = rows })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1_199, 0), (result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32()));
        Assert.Equal((700, "email"), (result.GetProperty("errors")[0].GetProperty("index").GetInt32(), result.GetProperty("errors")[0].GetProperty("field").GetString()));
        var again = await (await server.PostAsJsonAsync("v4/users/batch", new { users = rows })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 1_199), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32()));
        var stored = await server.GetFromJsonAsync<JsonElement>("v4/users/pg-1100");
        Assert.Equal((1100.0, "pg"), (stored.GetProperty("attributes").GetProperty("n").GetDouble(), stored.GetProperty("tags")[0].GetString()));
    }
}
