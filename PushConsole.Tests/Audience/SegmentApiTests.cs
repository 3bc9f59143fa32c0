using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Audience;

/// <summary>/v4/segments: save, read, change, count, export, delete, and every bad input answered 400 with nothing saved.</summary>
public sealed class SegmentApiTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private DeviceKit _kit = default!;
    private HttpClient _api = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _kit = await DeviceKit.CreateAsync(_host);
        _api = _kit.ServerClient();
        await _kit.RegisterAsync("ana-phone", new { platform = "android", pushToken = DeviceKit.FcmToken("ana"), userId = "ana", language = "fr", tags = new[] { "vip" } });
        await _kit.RegisterAsync("ana-browser", DeviceKit.WebBody("https://push.example.net/ana"));
        await _kit.SetUserAsync("ana-browser", "ana");
        await _kit.RegisterAsync("bob-iphone", new { platform = "ios", pushToken = DeviceKit.ApnsToken("bob"), userId = "bob", language = "en", notificationsEnabled = false });
        await _kit.RegisterAsync("anonymous", new { platform = "android", pushToken = DeviceKit.FcmToken("anon"), language = "fr" });
        var profile = await _api.PutAsJsonAsync("v4/users/ana", new { attributes = new { role = "speaker", company = "Acme" } });
        Assert.True(profile.IsSuccessStatusCode, await profile.Content.ReadAsStringAsync());
        await _api.PutAsJsonAsync("v4/users/bob", new { attributes = new { role = "attendee" } });
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> CreateAsync(string name, string rules)
    {
        var response = await _api.PostAsync("v4/segments", Json($$"""{"name": "{{name}}", "rules": {{rules}}}"""));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_segment_is_saved_read_counted_by_platform_exported_renamed_and_deleted()
    {
        var created = await CreateAsync("French speakers", """
            {"version": 1, "root": {"match": "all", "rules": [
              {"field": "language", "operator": "in", "value": ["fr"]},
              {"match": "any", "rules": [{"field": "attribute", "name": "role", "operator": "equals", "value": "speaker"}, {"field": "tags", "operator": "has_any", "value": ["vip"]}]}]}}
            """);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("French speakers", created.GetProperty("name").GetString());
        Assert.Equal(1, created.GetProperty("rules").GetProperty("version").GetInt32());

        // ana's phone says fr; her browser says nothing, so her language (unset) does not count: only the phone matches
        var count = await _api.GetFromJsonAsync<JsonElement>($"v4/segments/{id}/count");
        Assert.Equal(1, count.GetProperty("installations").GetInt64());
        Assert.Equal(1, count.GetProperty("recipients").GetInt64());
        var android = count.GetProperty("byPlatform").EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "android");
        Assert.Equal(1, android.GetProperty("installations").GetInt64());

        var csv = await _api.GetAsync($"v4/segments/{id}/users.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("user_id\r\nana\r\n", await csv.Content.ReadAsStringAsync());

        var renamed = await _api.PutAsync($"v4/segments/{id}", Json("""{"name": "Francophone speakers"}"""));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var list = await _api.GetFromJsonAsync<JsonElement>("v4/segments");
        Assert.Equal("Francophone speakers", list.EnumerateArray().Single().GetProperty("name").GetString());
        Assert.Equal("all", list[0].GetProperty("rules").GetProperty("root").GetProperty("match").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"v4/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"v4/segments/{id}")).StatusCode);
    }

    [Fact]
    public async Task Unsaved_rules_are_counted_and_recipients_leave_out_devices_that_cannot_show_a_push()
    {
        var response = await _api.PostAsync("v4/segments/count", Json("""{"rules": {"root": {"match": "all", "rules": [{"field": "user", "operator": "exists"}]}}}"""));
        var count = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, count.GetProperty("installations").GetInt64()); // ana's two, bob's
        Assert.Equal(2, count.GetProperty("recipients").GetInt64());    // bob's is background_only
    }

    public static TheoryData<string, string, string> BadRules() => new()
    {
        { """{"root": {"match": "all", "rules": [{"field": "shoe_size", "operator": "gt", "value": 42}]}}""", "rules.root.rules[0].field", "Unknown field \"shoe_size\"" },
        { """{"root": {"match": "all", "rules": [{"field": "platform", "operator": "gt", "value": "ios"}]}}""", "rules.root.rules[0].operator", "does not fit the field platform" },
        { """{"root": {"match": "all", "rules": [{"field": "first_seen", "operator": "before", "value": "31/12/2026"}]}}""", "rules.root.rules[0].value", "is not a date" },
        { """{"root": {"match": "all", "rules": [{"field": "attribute", "name": "age", "operator": "gt", "value": "forty"}]}}""", "rules.root.rules[0].value", "is not a number" },
        { """{"root": {"match": "all", "rules": [{"field": "platform", "operator": "in", "value": ["android", "blackberry"]}]}}""", "rules.root.rules[0].value", "is not a value of platform" },
        { """{"root": {"match": "all", "rules": [{"field": "attribute", "operator": "exists"}]}}""", "rules.root.rules[0].name", "Name the attribute" },
        { """{"root": {"match": "all", "rules": [{"field": "app_version", "operator": "gte", "value": "latest"}]}}""", "rules.root.rules[0].value", "is not an app version" },
        { """{"root": {"match": "both", "rules": []}}""", "rules.root.match", "match is \"all\"" },
        { """{"root": {"match": "all", "rules": [{"field": "platform", "operater": "in"}]}}""", "rules.root.rules[0].operater", "Unknown property" },
        { """{"root": {"match": "all", "rules": [{"field": "platform", "operator": "in", "value": true}]}}""", "rules.root.rules[0].value", "value must be" },
        { """{"version": 7, "root": {"match": "all", "rules": []}}""", "rules.version", "version 7 is not known" },
        { """{"root": {"match": "all", "rules": [{"match": "any", "rules": []}]}}""", "rules.root.rules[0]", "This group is empty" },
        { """{"root": {"match": "all", "rules": [{"field": "segment", "operator": "in", "value": ["999"]}]}}""", "rules.root.rules[0].value", "There is no segment 999" },
        { """{"root": {"match": "all", "rules": [{"field": "user", "operator": "exists"}, {"field": "favorited_session", "operator": "in", "value": ["ai-101", ""]}]}}""",
          "rules.root.rules[1].value", "\"\" is not a session id" },
        { """{"root": {"match": "all", "rules": [{"field": "track", "operator": "checked_in", "value": ["AI", "Cloud"]}]}}""", "rules.root.rules[0].value", "not a list" },
        { """{"root": {"match": "all", "rules": [{"field": "track", "operator": "favorited", "value": " AI"}]}}""", "rules.root.rules[0].value", "is not a track name" },
        { """{"root": {"match": "all", "rules": [{"field": "track", "operator": "attended", "value": "AI"}]}}""", "rules.root.rules[0].operator", "does not fit the field track" },
        { Nested(6), "rules.root.rules[0].rules[0].rules[0].rules[0].rules[0]", "nested more than 5 deep" },
        { Many(51), "rules.root", "51 conditions; at most 50" },
    };

    private static string Nested(int depth)
    {
        var node = """{"field": "user", "operator": "exists"}""";
        for (var d = 0; d < depth; d++) node = $$"""{"match": "all", "rules": [{{node}}]}""";
        return $$"""{"root": {{node}}}""";
    }

    private static string Many(int conditions) =>
        "{\"root\": {\"match\": \"any\", \"rules\": [" + string.Join(",", Enumerable.Repeat("""{"field": "user", "operator": "exists"}""", conditions)) + "]}}";

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task Bad_rules_answer_400_naming_the_path_and_save_nothing(string rules, string path, string message)
    {
        var response = await _api.PostAsync("v4/segments", Json($$"""{"name": "Bad", "rules": {{rules}}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(path, out var messages), problem.ToString());
        Assert.Contains(message, messages[0].GetString());
        Assert.Equal(0, await CountSegmentsAsync());

        var count = await _api.PostAsync("v4/segments/count", Json($$"""{"rules": {{rules}}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, count.StatusCode);
    }

    [Fact]
    public async Task Agenda_rules_name_sessions_and_tracks_of_the_app_and_unknown_ones_are_refused_on_save_naming_the_path()
    {
        var day = new DateTime(2030, 6, 12);
        await _host.Get<AgendaService>().SaveEventAsync(_kit.AppId, new EventForm { Name = "DevDays", TimeZone = "Europe/Paris", StartDate = day, EndDate = day }, Actor.System);
        foreach (var (id, track, hour) in new[] { ("ai-101", "AI", 10), ("cloud-201", "Cloud", 14) })
            await _host.Get<SessionService>().CreateAsync(_kit.AppId, new SessionForm
            {
                ExternalId = id, Title = $"Talk {id}", Track = track, Start = day.AddHours(hour), End = day.AddHours(hour + 1),
            }, Actor.System);
        Assert.Equal(HttpStatusCode.NoContent, (await _kit.Client.PutAsync("/api/v1/users/ana/favorites/ai-101", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _kit.Client.PutAsync("/api/v1/users/bob/checkins/cloud-201", null)).StatusCode);

        var unknown = await _api.PostAsync("v4/segments", Json("""
            {"name": "Typos", "rules": {"root": {"match": "any", "rules": [
              {"field": "favorited_session", "operator": "in", "value": ["ai-101", "ai-999"]},
              {"match": "all", "rules": [{"field": "track", "operator": "favorited_or_checked_in", "value": "ai"}]}]}}}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var errors = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("There is no session \"ai-999\"", errors.GetProperty("rules.root.rules[0].value")[0].GetString());
        Assert.Contains("has the track \"ai\"", errors.GetProperty("rules.root.rules[1].rules[0].value")[0].GetString());
        Assert.Equal(0, await CountSegmentsAsync());

        // ana's phone and browser (her favourite); bob's iPhone checked in to Cloud, not to AI; the anonymous device is never in
        var ai = await CreateAsync("AI people", """
            {"root": {"match": "any", "rules": [{"field": "favorited_session", "operator": "in", "value": ["ai-101"]},
              {"field": "track", "operator": "checked_in", "value": "AI"}]}}
            """);
        var count = await _api.GetFromJsonAsync<JsonElement>($"v4/segments/{ai.GetProperty("id").GetString()}/count");
        Assert.Equal(2, count.GetProperty("installations").GetInt64());
        var none = await _api.PostAsync("v4/segments/count", Json("""{"rules": {"root": {"match": "all", "rules": [{"field": "track", "operator": "not_favorited_or_checked_in", "value": "Cloud"}]}}}"""));
        // a negative agenda condition is the exact complement: the anonymous device is in, bob's iPhone (checked in to Cloud) is not
        Assert.Equal(3, (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("installations").GetInt64());

        var sessions = await _host.Get<SegmentSuggestions>().SessionsAsync(_kit.AppId);
        Assert.Equal([("ai-101", "Talk ai-101 (Wed 10:00)"), ("cloud-201", "Talk cloud-201 (Wed 14:00)")], sessions);
        Assert.Equal(["AI", "Cloud"], await _host.Get<SegmentSuggestions>().TracksAsync(_kit.AppId));
    }

    [Fact]
    public async Task A_cycle_through_member_of_segment_is_refused_and_the_stored_rules_stay()
    {
        var a = (await CreateAsync("A", """{"root": {"match": "all", "rules": [{"field": "platform", "operator": "in", "value": ["ios"]}]}}""")).GetProperty("id").GetString();
        var b = (await CreateAsync("B", $$$"""{"root": {"match": "any", "rules": [{"field": "segment", "operator": "in", "value": ["{{{a}}}"]}]}}""")).GetProperty("id").GetString();
        var c = (await CreateAsync("C", $$$"""{"root": {"match": "all", "rules": [{"field": "user", "operator": "exists"}, {"field": "segment", "operator": "not_in", "value": ["{{{b}}}"]}]}}""")).GetProperty("id").GetString();

        var response = await _api.PutAsync($"v4/segments/{a}", Json($$$$"""{"rules": {"root": {"match": "all", "rules": [{"match": "any", "rules": [{"field": "segment", "operator": "in", "value": ["{{{{c}}}}"]}]}]}}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("rules.root.rules[0].rules[0].value")[0].GetString();
        Assert.Contains("leads back to this segment (C → B → this one)", message);
        var stored = await _api.GetFromJsonAsync<JsonElement>($"v4/segments/{a}");
        Assert.Equal("platform", stored.GetProperty("rules").GetProperty("root").GetProperty("rules")[0].GetProperty("field").GetString());

        var self = await _api.PutAsync($"v4/segments/{a}", Json($$$$"""{"rules": {"root": {"match": "all", "rules": [{"field": "segment", "operator": "in", "value": ["{{{{a}}}}"]}]}}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);

        // and C (which includes B, which includes A) counts through both
        var count = await _api.GetFromJsonAsync<JsonElement>($"v4/segments/{c}/count");
        Assert.Equal(2, count.GetProperty("installations").GetInt64()); // ana's two devices: users, and not on iOS
    }

    [Fact]
    public async Task Deleting_a_segment_another_one_includes_is_refused_with_409_naming_it()
    {
        var a = (await CreateAsync("Speakers", """{"root": {"match": "all", "rules": [{"field": "attribute", "name": "role", "operator": "equals", "value": "speaker"}]}}""")).GetProperty("id").GetString();
        await CreateAsync("Not speakers", $$$"""{"root": {"match": "all", "rules": [{"field": "segment", "operator": "not_in", "value": ["{{{a}}}"]}]}}""");

        var response = await _api.DeleteAsync($"v4/segments/{a}");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("segment \"Not speakers\"", problem.GetProperty("detail").GetString());
        Assert.Equal(2, await CountSegmentsAsync());
    }

    [Fact]
    public async Task Names_are_unique_per_app_and_another_app_sees_none_of_the_segments()
    {
        var created = await _api.PostAsync("v4/segments", Json("""{"name": "Everyone", "everyone": true}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var again = await _api.PostAsync("v4/segments", Json("""{"name": "everyone"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        using var other = await DeviceKit.CreateAsync(_host, "Other app");
        using var otherApi = other.ServerClient();
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"v4/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.DeleteAsync($"v4/segments/{id}")).StatusCode);
        Assert.Empty((await otherApi.GetFromJsonAsync<JsonElement>("v4/segments")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Created, (await otherApi.PostAsync("v4/segments", Json("""{"name": "Everyone", "everyone": true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.CreateClient().GetAsync("v4/segments")).StatusCode);
    }

    [Fact]
    public async Task The_field_catalogue_and_the_OpenAPI_document_describe_the_segment_API()
    {
        var fields = await _api.GetFromJsonAsync<JsonElement>("v4/segments/fields");
        var platform = fields.EnumerateArray().Single(f => f.GetProperty("field").GetString() == "platform");
        Assert.Equal(["in", "not_in"], platform.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("operator").GetString()));
        var openApi = await _host.CreateClient().GetStringAsync("openapi/v1.json");
        foreach (var path in new[] { "/v4/segments", "/v4/segments/{id}", "/v4/segments/{id}/count", "/v4/segments/{id}/users.csv", "/v4/segments/fields", "/v4/segments/count" })
            Assert.Contains($"\"{path}\"", openApi);
    }

    private async Task<int> CountSegmentsAsync()
    {
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<Segment>().CountAsync();
    }
}
