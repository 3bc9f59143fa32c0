using System.Net.Http.Json;
using PushConsole.Devices;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>Issue 15 item 2: every API refuses unknown members and duplicate keys with a 400 naming them, and stores nothing.</summary>
public sealed class StrictBodyTests(SecurityKit kit) : IClassFixture<SecurityKit>
{
    public static TheoryData<string, string, string, string> Bodies => new()
    {
        // method, path, body, the field the 400 names
        { "PUT", "api/v1/installations/strict-1/user", """{"user_id": "attendee-9"}""", "user_id" },
        { "PUT", "api/v1/users/attendee-1/preferences", """{"consnet": false}""", "consnet" },
        { "PUT", "api/v1/installations/strict-1/preferences", """{"consent": false, "categoreis": {}}""", "categoreis" },
        { "PUT", "api/v1/installations/strict-2", """{"platform": "android", "pushToken": "PUSHTOKEN", "user": "x"}""", "user" },
        { "PUT", "api/v1/installations/strict-2", """{"platform": "web", "webPush": {"endpoint": "https://push.example.com/1", "keys": {"p256dh": "a", "auth": "b", "extra": 1}}}""", "webPush.keys.extra" },
        { "POST", "api/v1/events", """{"installationId": "strict-1", "type": "session_start", "delivery": "x"}""", "delivery" },
        { "POST", "api/v1/events", """[{"installationId": "strict-1", "type": "session_start", "when": "now"}]""", "[0].when" },
        { "PUT", "v4/users/attendee-1", """{"emial": "a@example.com"}""", "emial" },
        { "POST", "v4/push_plan", """{"plan_id": "p1", "plan_descripton": "x"}""", "plan_descripton" },
        { "POST", "v4/segments", """{"name": "typo", "rule": {"version": 1}}""", "rule" },
        { "PUT", "v4/messages/1/throttle", """{"throttlePerMinute": 10, "rate": 5}""", "rate" },
        // duplicate keys: the last one would win silently
        { "PUT", "api/v1/users/attendee-1/preferences", """{"consent": false, "consent": true}""", "consent" },
        { "PUT", "api/v1/users/attendee-1/preferences", """{"categories": {"marketing": false, "marketing": true}}""", "categories.marketing" },
        { "PUT", "api/v1/installations/strict-1/user", """{"userId": "a", "userId": "b"}""", "userId" },
        { "PUT", "v4/users/attendee-1", """{"email": "a@example.com", "email": "b@example.com"}""", "email" },
        { "POST", "v4/push", """{"to": "all", "to": {"registration_id": ["strict-1"]}, "body": {"notification": {"alert": "Hi"}}}""", "to" },
        { "POST", "v4/schedules", """{"name": "a", "name": "b", "trigger": {"single": {"time": "2030-01-01 09:00:00"}}, "push": {"to": "all"}}""", "name" },
        { "POST", "v4/segments", """{"name": "a", "rules": {"version": 1, "version": 1, "root": {"match": "all", "rules": []}}}""", "rules.version" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Unknown_members_and_duplicate_keys_are_a_400_naming_them(string method, string path, string body, string field)
    {
        await kit.Devices.RegisterAndroidAsync("strict-1", DeviceKit.FcmToken("strict-1"), "attendee-1");
        var client = path.StartsWith("v4/", StringComparison.Ordinal) ? kit.Server : kit.Device;
        var response = await client.SendAsync(SecurityKit.Json(new HttpMethod(method), path, body.Replace("PUSHTOKEN", DeviceKit.FcmToken("strict-2"))));
        var message = await SecurityKit.FieldProblemAsync(response, field);
        Assert.DoesNotContain("PushConsole.", message); // no .NET type names leak

        // nothing changed: the device is still logged in, consent untouched, no second installation, no plan
        var installation = await kit.Devices.InstallationAsync("strict-1");
        Assert.Equal("attendee-1", installation!.AppUser?.ExternalId);
        Assert.Null(await kit.Devices.InstallationAsync("strict-2"));
        var user = await (await kit.Server.GetAsync("v4/users/attendee-1")).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("unknown", user.GetProperty("consent").GetString());
        Assert.True(user.GetProperty("email").ValueKind == System.Text.Json.JsonValueKind.Null, user.ToString());
    }

    [Theory]
    [InlineData("v4/push", """{"to": "all", "body": {"notification": {"alert": "Hi"}}}""")]
    [InlineData("v4/schedules", """{"name": "a", "trigger": {"single": {"time": "2030-01-01 09:00:00"}}, "push": {"to": "all", "body": {"notification": {"alert": "Hi"}}}}""")]
    public async Task Server_api_bodies_must_say_they_are_json(string path, string body)
    {
        var response = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, path, body, "text/plain"));
        await SecurityKit.ProblemAsync(response, 415);
        Assert.Equal(0, await kit.Devices.CountAsync<PushConsole.Sending.Campaign>());
    }
}
