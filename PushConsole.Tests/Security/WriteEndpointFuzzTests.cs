using System.Text.Json.Nodes;
using Dapper;
using PushConsole.Data;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>
/// Issue 15, "done when": every write endpoint of the client and server APIs, driven with unknown members, wrong types,
/// control characters and oversized values. Each answer is a 400 problem+json (never a 500), and nothing is stored.
/// </summary>
public sealed class WriteEndpointFuzzTests(SecurityKit kit) : IClassFixture<SecurityKit>
{
    private static readonly string[] Tables =
        ["installations", "installation_tags", "app_users", "user_tags", "user_attributes", "user_categories", "installation_categories", "client_events", "segments", "campaigns", "plans", "push_schedules", "token_changes", "deliveries", "api_requests"];

    /// <summary>Each write endpoint with a valid body; mutations are made from it.</summary>
    private static IEnumerable<(string Method, string Path, bool Server, string Body)> Endpoints()
    {
        yield return ("PUT", "api/v1/installations/fuzz-new", false, $$"""{"platform": "android", "pushToken": "{{DeviceKit.FcmToken("fuzz-new")}}", "userId": "fuzz-user", "language": "fr", "timeZone": "Europe/Paris", "appVersion": "3.2.0", "tags": ["vip"], "notificationsEnabled": true}""");
        yield return ("PUT", "api/v1/installations/fuzz-base/user", false, """{"userId": "fuzz-other"}""");
        yield return ("POST", "api/v1/events", false, """{"installationId": "fuzz-base", "type": "custom", "name": "badge_scanned", "at": "2026-11-22T10:00:00Z"}""");
        yield return ("PUT", "api/v1/users/fuzz-base-user/preferences", false, """{"consent": true}""");
        yield return ("PUT", "api/v1/installations/fuzz-base/preferences", false, """{"consent": true}""");
        yield return ("PUT", "v4/users/fuzz-new-user", true, """{"email": "a@example.com", "displayName": "Ana", "language": "fr", "timeZone": "Europe/Paris", "tags": ["vip"]}""");
        yield return ("POST", "v4/segments", true, """{"name": "Fuzz", "rules": {"version": 1, "root": {"match": "all", "rules": [{"field": "tags", "operator": "has_any", "value": ["vip"]}]}}}""");
        yield return ("POST", "v4/push_plan", true, """{"plan_id": "fuzz_plan", "plan_description": "Fuzz"}""");
        yield return ("POST", "v4/push", true, """{"to": "all", "body": {"platform": "all", "notification": {"alert": "Hi", "ios": {"badge": 1, "sound": "default"}, "web": {"title": "Hi", "url": "https://event.example/x"}}, "options": {"time_to_live": 60, "collapse_id": "doors", "priority": "high"}}, "request_id": "fuzz-1"}""");
        yield return ("POST", "v4/schedules", true, """{"name": "fuzz", "enabled": true, "trigger": {"single": {"time": "TIME", "zone_type": 1}}, "push": {"to": "all", "body": {"notification": {"alert": "Hi"}}}}"""
            .Replace("TIME", DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd 09:00:00", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Fields that take any JSON on purpose (free-form properties and extras, rule values): only unknown members are tried there.</summary>
    private static bool FreeForm(string path) => path.Contains(".value", StringComparison.Ordinal) || path.Contains("properties", StringComparison.Ordinal);

    private static IEnumerable<(string What, JsonNode Body)> Mutations(JsonNode valid)
    {
        var unknown = valid.DeepClone();
        unknown.AsObject()["zz_unknown"] = 1;
        yield return ("an unknown member at the root", unknown);
        foreach (var (path, leaf) in Leaves(valid, "$"))
        {
            if (FreeForm(path)) continue;
            var kind = leaf.GetValueKind();
            IEnumerable<(string, JsonNode?)> replacements = kind switch
            {
                System.Text.Json.JsonValueKind.String => [("a number", 12345), ("an object", new JsonObject()), ("control characters", "bad\u0000\u001b[2Jvalue"),
                    ("100,000 characters", new string('x', 100_000))],
                System.Text.Json.JsonValueKind.Number => [("a string", "12"), ("an array", new JsonArray()), ("a huge number", JsonValue.Create(1e300))],
                _ => [("a string", "yes"), ("a number", 1)],
            };
            foreach (var (what, replacement) in replacements)
            {
                var copy = valid.DeepClone();
                Replace(copy, path, replacement);
                yield return ($"{what} at {path}", copy);
            }
        }
    }

    private static IEnumerable<(string Path, JsonNode Leaf)> Leaves(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o) if (v is not null) foreach (var x in Leaves(v, $"{path}.{k}")) yield return x;
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) if (a[i] is { } v) foreach (var x in Leaves(v, $"{path}[{i}]")) yield return x;
                break;
            default:
                yield return (path, node);
                break;
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode? value)
    {
        var target = root;
        var parts = System.Text.RegularExpressions.Regex.Matches(path[1..], @"\.([^.\[]+)|\[(\d+)\]").Select(m => m.Groups[1].Success ? (object)m.Groups[1].Value : int.Parse(m.Groups[2].Value)).ToList();
        for (var i = 0; i < parts.Count - 1; i++) target = parts[i] is string k ? target[k]! : target[(int)parts[i]]!;
        if (parts[^1] is string key) target.AsObject()[key] = value;
        else target.AsArray()[(int)parts[^1]] = value;
    }

    [Fact]
    public async Task Every_write_endpoint_answers_bad_input_with_a_400_and_stores_nothing()
    {
        await kit.Devices.RegisterAndroidAsync("fuzz-base", DeviceKit.FcmToken("fuzz-base"), "fuzz-base-user");
        var before = await CountsAsync();
        var wrong = new List<string>();
        var requests = 0;
        foreach (var (method, path, server, body) in Endpoints())
            foreach (var (what, mutated) in Mutations(JsonNode.Parse(body)!))
            {
                requests++;
                var response = await (server ? kit.Server : kit.Device).SendAsync(SecurityKit.Json(new HttpMethod(method), path, mutated.ToJsonString()));
                var status = (int)response.StatusCode;
                if (status != 400 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    wrong.Add($"{method} {path} with {what}: {status} {(await response.Content.ReadAsStringAsync())[..Math.Min(200, (int)(response.Content.Headers.ContentLength ?? 200))]}");
            }
        Assert.True(requests > 150, $"only {requests} requests");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {requests} bad requests were not a 400 problem+json:\n{string.Join("\n", wrong)}");
        Assert.Equal(before, await CountsAsync());
        Assert.DoesNotContain(kit.Host.Logs.Lines, l => l.Contains("Unhandled error", StringComparison.Ordinal));

        // the unmutated bodies are accepted: each 400 above came from its mutation
        foreach (var (method, path, server, body) in Endpoints())
        {
            var response = await (server ? kit.Server : kit.Device).SendAsync(SecurityKit.Json(new HttpMethod(method), path, body));
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The write endpoints of automations, geofences and the game (issues 17–19), each with a body that is otherwise well formed.</summary>
    private static IEnumerable<(string Method, string Path, bool Server, string Body)> NewerEndpoints()
    {
        const string geofence = """{"id": "strict-fence", "name": "Gate", "latitude": 52.2, "longitude": 21.0, "radius_m": 100, "dwell_seconds": 60, "cooldown_seconds": 0}""";
        const string automation = """{"name": "Strict", "trigger": {"event": {"type": "custom", "name": "x"}}, "steps": [{"delay": {"seconds": 60}}]}""";
        const string challenge = """{"id": "strict-hunt", "name": "Hunt", "kind": "qr", "points": 5, "codes": 2}""";
        yield return ("POST", "v4/geofences", true, geofence);
        yield return ("PUT", "v4/geofences/strict-fence", true, geofence);
        yield return ("POST", "v4/automations", true, automation);
        yield return ("PUT", "v4/automations/1", true, automation);
        yield return ("POST", "v4/automations/1/run", true, """{"user_ids": ["fuzz-base-user"]}""");
        yield return ("POST", "v4/challenges", true, challenge);
        yield return ("PUT", "v4/challenges/strict-hunt", true, challenge);
        yield return ("POST", "api/v1/users/fuzz-base-user/game/scans", false, """{"code": "ABC"}""");
        yield return ("POST", "api/v1/users/fuzz-base-user/game/answers", false, """{"challengeId": "quiz", "optionId": "a"}""");
    }

    [Fact]
    public async Task Automation_geofence_and_game_writes_refuse_unknown_members_and_duplicate_keys_naming_them()
    {
        await kit.Devices.RegisterAndroidAsync("fuzz-base", DeviceKit.FcmToken("fuzz-base"), "fuzz-base-user");
        // the PUTs then reach an existing challenge rather than a 404
        var created = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/challenges", """{"id": "strict-hunt", "name": "Hunt", "kind": "qr", "points": 5, "codes": 2}"""));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var wrong = new List<string>();
        foreach (var (method, path, server, body) in NewerEndpoints())
        {
            var first = JsonNode.Parse(body)!.AsObject().First().Key;
            // the first key given twice, and a member no endpoint knows
            var duplicate = body.Insert(1, $"\"{first}\": {JsonNode.Parse(body)![first]!.ToJsonString()}, ");
            var unknown = body.Insert(1, "\"zz_unknown\": 1, ");
            foreach (var (text, field) in new[] { (duplicate, first), (unknown, "zz_unknown") })
            {
                var response = await (server ? kit.Server : kit.Device).SendAsync(SecurityKit.Json(new HttpMethod(method), path, text));
                var answer = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode != 400 || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || !JsonNode.Parse(answer)!["errors"]!.AsObject().Any(e => e.Key.EndsWith(field, StringComparison.Ordinal)))
                    wrong.Add($"{method} {path} with {field} {(field == first ? "twice" : "")}: {(int)response.StatusCode} {answer[..Math.Min(300, answer.Length)]}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private async Task<string> CountsAsync()
    {
        await using var connection = await kit.Host.Get<Database>().OpenAsync();
        var counts = new List<string>();
        foreach (var table in Tables) counts.Add($"{table}={await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}")}");
        return string.Join(", ", counts);
    }
}
