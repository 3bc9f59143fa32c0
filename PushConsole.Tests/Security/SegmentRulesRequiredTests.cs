using System.Net.Http.Json;
using System.Text.Json;

namespace PushConsole.Tests.Security;

/// <summary>Issue 15 item 1: a segment is never saved as "everyone" because its rules were missing, misspelt or empty.</summary>
public sealed class SegmentRulesRequiredTests(SecurityKit kit) : IClassFixture<SecurityKit>
{
    private const string Condition = """{"field": "tags", "operator": "has_any", "value": ["vip"]}""";

    public static TheoryData<string, string> Bad => new()
    {
        { """{"name": "no rules"}""", "rules" },
        { """{"name": "null rules", "rules": null}""", "rules" },
        { """{"name": "empty object", "rules": {}}""", "rules" },
        { """{"name": "no root", "rules": {"version": 1}}""", "rules" },
        { """{"name": "empty tree", "rules": {"version": 1, "root": {"match": "all", "rules": []}}}""", "rules" },
        { """{"name": "nested empty", "rules": {"root": {"match": "any", "rules": [{"match": "all", "rules": []}]}}}""", "rules.root.rules[0]" },
        { """{"name": "typo", "rule": {"root": {"match": "all", "rules": [COND]}}}""", "rule" },
        { """{"name": "both", "everyone": true, "rules": {"root": {"match": "all", "rules": [COND]}}}""", "everyone" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public async Task Missing_misspelt_or_empty_rules_are_a_400_and_nothing_is_saved(string body, string field)
    {
        var response = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/segments", body.Replace("COND", Condition)));
        await SecurityKit.FieldProblemAsync(response, field);
        Assert.Equal(0, (await kit.Server.GetFromJsonAsync<JsonElement>("v4/segments")).EnumerateArray().Count(s => s.GetProperty("name").GetString() is not ("Everyone on purpose" or "VIPs")));
    }

    [Fact]
    public async Task Everyone_only_on_request_and_an_update_cannot_empty_a_segment()
    {
        var everyone = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/segments", """{"name": "Everyone on purpose", "everyone": true}"""));
        Assert.True(everyone.IsSuccessStatusCode, await everyone.Content.ReadAsStringAsync());
        var created = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/segments", """{"name": "VIPs", "rules": {"root": {"match": "all", "rules": [COND]}}}""".Replace("COND", Condition)));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        foreach (var body in new[] { """{"rules": null}""", """{"rules": {}}""", """{"rules": {"root": {"match": "all", "rules": []}}}""" })
            await SecurityKit.FieldProblemAsync(await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Put, $"v4/segments/{id}", body)), "rules");

        var stored = await kit.Server.GetFromJsonAsync<JsonElement>($"v4/segments/{id}");
        Assert.Equal("vip", stored.GetProperty("rules").GetProperty("root").GetProperty("rules")[0].GetProperty("value")[0].GetString());
    }
}
