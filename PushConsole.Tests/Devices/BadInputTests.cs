using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PushConsole.Devices;

namespace PushConsole.Tests.Devices;

/// <summary>Every bad input the issue lists: 400 problem+json naming the field, and nothing stored.</summary>
public sealed class BadInputTests : IAsyncLifetime
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

    private static readonly string Fcm = DeviceKit.FcmToken("bad-input");
    private static readonly (string P256dh, string Auth) Keys = DeviceKit.WebPushKeys();

    private static string Web(string endpoint = "https://fcm.googleapis.com/fcm/send/x", string? p256dh = null, string? auth = null) =>
        JsonSerializer.Serialize(new { platform = "web", webPush = new { endpoint, keys = new { p256dh = p256dh ?? Keys.P256dh, auth = auth ?? Keys.Auth } } });

    private static string Android(string extra) => $$"""{"platform":"android","pushToken":"{{Fcm}}",{{extra}}}""";

    public static TheoryData<string, string, string> BadRegistrations()
    {
        var compressed = DeviceValidation.Base64UrlEncode([0x02, .. new byte[32]]);
        var offCurve = DeviceValidation.Base64UrlEncode([0x04, .. Enumerable.Repeat((byte)7, 64)]);
        return new TheoryData<string, string, string>
        {
            { "unknown platform", """{"platform":"windows","pushToken":"abc"}""", "platform" },
            { "no platform", """{"pushToken":"abc"}""", "platform" },
            { "android without pushToken", """{"platform":"android"}""", "pushToken" },
            { "ios without pushToken", """{"platform":"ios"}""", "pushToken" },
            { "web without webPush", """{"platform":"web","pushToken":"x"}""", "webPush" },
            { "apns token not hex", $$"""{"platform":"ios","pushToken":"{{new string('g', 64)}}"}""", "pushToken" },
            { "apns token odd length", $$"""{"platform":"ios","pushToken":"{{new string('a', 65)}}"}""", "pushToken" },
            { "apns token too short", $$"""{"platform":"ios","pushToken":"{{new string('a', 62)}}"}""", "pushToken" },
            { "apns token too long", $$"""{"platform":"ios","pushToken":"{{new string('a', 202)}}"}""", "pushToken" },
            { "unknown apns environment", $$"""{"platform":"ios","pushToken":"{{new string('a', 64)}}","apnsEnvironment":"staging"}""", "apnsEnvironment" },
            { "fcm token with spaces", """{"platform":"android","pushToken":"abc def ghi jkl mno pqr"}""", "pushToken" },
            { "fcm token too long", $$"""{"platform":"android","pushToken":"{{new string('a', 1025)}}"}""", "pushToken" },
            { "p256dh of 64 bytes", Web(p256dh: DeviceValidation.Base64UrlEncode(new byte[64])), "webPush.keys.p256dh" },
            { "p256dh compressed", Web(p256dh: compressed), "webPush.keys.p256dh" },
            { "p256dh not on the curve", Web(p256dh: offCurve), "webPush.keys.p256dh" },
            { "p256dh not base64", Web(p256dh: "not base64 !!"), "webPush.keys.p256dh" },
            { "auth of 15 bytes", Web(auth: DeviceValidation.Base64UrlEncode(new byte[15])), "webPush.keys.auth" },
            { "auth of 32 bytes", Web(auth: DeviceValidation.Base64UrlEncode(new byte[32])), "webPush.keys.auth" },
            { "http endpoint", Web("http://push.example.com/send/1"), "webPush.endpoint" },
            { "ftp endpoint", Web("ftp://push.example.com/send/1"), "webPush.endpoint" },
            { "relative endpoint", Web("/send/1"), "webPush.endpoint" },
            { "endpoint too long", Web("https://push.example.com/" + new string('a', 1100)), "webPush.endpoint" },
            { "no keys", """{"platform":"web","webPush":{"endpoint":"https://push.example.com/1"}}""", "webPush.keys" },
            { "unknown time zone", Android("\"timeZone\":\"Mars/Olympus_Mons\""), "timeZone" },
            { "windows time zone id", Android("\"timeZone\":\"Romance Standard Time\""), "timeZone" },
            { "malformed language", Android("\"language\":\"french!\""), "language" },
            { "language too long", Android($"\"language\":\"{new string('a', 40)}\""), "language" },
            { "appVersion too long", Android($"\"appVersion\":\"{new string('1', 51)}\""), "appVersion" },
            { "osVersion too long", Android($"\"osVersion\":\"{new string('1', 51)}\""), "osVersion" },
            { "deviceModel too long", Android($"\"deviceModel\":\"{new string('x', 101)}\""), "deviceModel" },
            { "userId too long", Android($"\"userId\":\"{new string('u', 129)}\""), "userId" },
            { "empty userId", Android("\"userId\":\"\""), "userId" },
            { "tag too long", Android($"\"tags\":[\"ok\",\"{new string('t', 65)}\"]"), "tags[1]" },
            { "too many tags", Android($"\"tags\":[{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"t{i}\""))}]"), "tags" },
            { "platform of the wrong type", """{"platform":5,"pushToken":"abc"}""", "platform" },
            { "tags as a string", Android("\"tags\":\"vip\""), "tags" },
            { "notificationsEnabled as a string", Android("\"notificationsEnabled\":\"yes\""), "notificationsEnabled" },
            { "p256dh as a number", """{"platform":"web","webPush":{"endpoint":"https://p.example.com/1","keys":{"p256dh":5,"auth":"x"}}}""", "webPush.keys.p256dh" },
            { "webPush as an array", """{"platform":"web","webPush":[]}""", "webPush" },
            { "not JSON", "{platform: android", "body" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task A_bad_registration_is_a_400_naming_the_field_and_stores_nothing(string why, string json, string field)
    {
        var response = await _kit.PutRawAsync("phone-1", json);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{why}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.True(errors.Contains(field, StringComparer.OrdinalIgnoreCase), $"{why}: expected an error on {field}, got {string.Join(", ", errors)}");
        Assert.Equal(0, await _kit.CountAsync<Installation>());
        Assert.Equal(0, await _kit.CountAsync<TokenChange>());
        Assert.Equal(0, await _kit.CountAsync<AppUser>());
    }

    [Fact]
    public async Task An_installation_id_over_128_characters_is_refused()
    {
        var response = await _kit.PutAsync(new string('i', 129), new { platform = "android", pushToken = Fcm });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("installationId", out _));
        Assert.Equal(0, await _kit.CountAsync<Installation>());
    }

    [Fact]
    public async Task Unknown_fields_and_loopback_endpoints_are_refused()
    {
        var android = await _kit.PutRawAsync("phone", Android("\"favouriteColour\":\"green\",\"nested\":{\"a\":[1,2]}"));
        Assert.Equal(HttpStatusCode.BadRequest, android.StatusCode);
        var web = await _kit.PutRawAsync("browser", Web("http://127.0.0.1:9000/push/abc"));
        Assert.Equal(HttpStatusCode.BadRequest, web.StatusCode);
        Assert.Equal(0, await _kit.CountAsync<Installation>());
    }

    [Fact]
    public async Task A_bad_login_body_names_the_field_and_an_unknown_installation_is_404()
    {
        await _kit.RegisterAndroidAsync("phone", Fcm);
        var wrongType = await _kit.Client.PutAsync("api/v1/installations/phone/user", new StringContent("{\"userId\":42}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True((await wrongType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("userId", out _));

        var unknown = await _kit.Client.PutAsJsonAsync("api/v1/installations/nope/user", new { userId = "A" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await _kit.CountAsync<AppUser>());
    }

    public static TheoryData<string, string> BadEvents() => new()
    {
        { """{"installationId":"phone","type":"clicked"}""", "type" },
        { """{"installationId":"phone","type":"custom"}""", "name" },
        { """{"installationId":"nope","type":"session_start"}""", "installationId" },
        { """{"type":"session_start"}""", "installationId" },
        { """{"installationId":"phone","type":"session_start","properties":[1]}""", "properties" },
        { """{"installationId":"phone","type":"session_start","at":"yesterday"}""", "at" },
        { """{"installationId":"phone","type":"session_start","at":"2099-01-01T00:00:00Z"}""", "at" },
        { """[{"installationId":"phone","type":"session_start"},{"installationId":"phone","type":"nope"}]""", "[1].type" },
        { """[{"installationId":"phone","type":"session_start"},{"installationId":"ghost","type":"session_start"}]""", "[1].installationId" },
        { """[{"installationId":"phone","type":"session_start","deliveryId":7}]""", "[0].deliveryId" },
        { """{"installationId":"phone","type":"notification_clicked","actionId":"Going!"}""", "actionId" },
        { """{"installationId":"phone","type":"notification_opened","actionId":"going"}""", "actionId" },
        { """{"installationId":"phone","type":"geofence_entered"}""", "geofenceId" },
        { """{"installationId":"phone","type":"session_start","geofenceId":"venue"}""", "geofenceId" },
        { """{"installationId":"phone","type":"geofence_exited","geofenceId":"venue","dwellSeconds":-1}""", "dwellSeconds" },
        { """{"installationId":"phone","type":"session_checked_in"}""", "type" },
        { "[]", "body" },
        { "42", "body" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task A_bad_event_is_a_400_naming_the_field_and_no_event_of_the_request_is_stored(string json, string field)
    {
        await _kit.RegisterAndroidAsync("phone", Fcm);
        var response = await _kit.Client.PostAsync("api/v1/events", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, await response.Content.ReadAsStringAsync());
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
        Assert.Equal(0, await _kit.CountAsync<ClientEvent>());
    }

    public static TheoryData<string, string> BadPreferences() => new()
    {
        { """{"consent":"yes"}""", "consent" },
        { """{"categories":{"marketing":"off"}}""", "categories.marketing" },
        { """{"categories":{"bad key!":true}}""", "categories.bad key!" },
        { """{"categories":["marketing"]}""", "categories" },
    };

    [Theory]
    [MemberData(nameof(BadPreferences))]
    public async Task Bad_preferences_are_a_400_naming_the_field(string json, string field)
    {
        var response = await _kit.Client.PutAsync("api/v1/users/ana/preferences", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
        Assert.Equal(0, await _kit.CountAsync<AppUser>());
    }
}
