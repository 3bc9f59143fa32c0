using System.Text.Json;

namespace PushConsole.Tests.Security;

/// <summary>
/// Issue 15 items 5, 6 and 9 (iOS extras, badge): what every provider would refuse for every recipient is a 400 at request
/// time, naming the field, and nothing is stored or sent.
/// </summary>
public sealed class PushRequestChecksTests(SecurityKit kit) : IClassFixture<SecurityKit>
{
    private static string Push(string platform, string notification, string options = "{}", string extra = "") =>
        $$"""{"to": "all", "body": {"platform": {{platform}}, "notification": {{notification}}, "options": {{options}}}{{extra}}}""";

    private static string Json(string text) => JsonSerializer.Serialize(text);

    public static TheoryData<string, string, string> Bad => new()
    {
        { "5 KB of iOS extras", Push("\"ios\"", """{"alert": "Hi", "ios": {"extras": {"big": """ + Json(new string('x', 5000)) + "}}}"), "body.notification.alert" },
        { "5 KB of Android extras", Push("\"android\"", """{"alert": "Hi", "android": {"extras": {"big": """ + Json(new string('x', 5000)) + "}}}"), "body.notification.alert" },
        { "a web text over 4 KB once encrypted", Push("\"web\"", $$"""{"alert": {{Json(new string('é', 2500))}}}"""), "body.notification.alert" },
        { "an oversized translation", Push("\"ios\"", """{"alert": "Hi"}""", """{"multi_language": {"fr": {"alert": """ + Json(new string('é', 2500)) + "}}}"), "body.options.multi_language.fr.alert" },
        { "1 MB of custom_args", Push("\"all\"", """{"alert": "Hi"}""", extra: $$""", "custom_args": {"blob": {{Json(new string('x', 1_000_000))}}}"""), "custom_args" },
        { "60 custom_args", Push("\"all\"", """{"alert": "Hi"}""", extra: ", \"custom_args\": {" + string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"k{i}\": \"v\"")) + "}"), "custom_args" },
        { "CR LF in the collapse id", Push("\"ios\"", """{"alert": "Hi"}""", """{"collapse_id": "doors\r\nX-Evil: 1"}"""), "body.options.collapse_id" },
        { "a collapse id over 64 bytes", Push("\"ios\"", """{"alert": "Hi"}""", $$"""{"collapse_id": "{{new string('c', 65)}}"}"""), "body.options.collapse_id" },
        { "a collapse id that is no Web Push Topic", Push("\"all\"", """{"alert": "Hi"}""", """{"collapse_id": "doors moved"}"""), "body.options.collapse_id" },
        { "a 33-character Topic", Push("\"web\"", """{"alert": "Hi"}""", $$"""{"collapse_id": "{{new string('t', 33)}}"}"""), "body.options.collapse_id" },
        { "iOS extras named aps", Push("\"ios\"", """{"alert": "Hi", "ios": {"extras": {"aps": "{}"}}}"""), "body.notification.ios.extras.aps" },
        { "iOS extras named campaignId", Push("\"ios\"", """{"alert": "Hi", "ios": {"extras": {"campaignId": "7"}}}"""), "body.notification.ios.extras.campaignId" },
        { "Android extras named campaignId", Push("\"android\"", """{"alert": "Hi", "android": {"extras": {"campaignId": "7"}}}"""), "body.notification.android.extras.campaignId" },
        { "a negative badge", Push("\"ios\"", """{"alert": "Hi", "ios": {"badge": -5}}"""), "body.notification.ios.badge" },
        { "a huge badge", Push("\"ios\"", """{"alert": "Hi", "ios": {"badge": 1000000}}"""), "body.notification.ios.badge" },
        { "a NUL in the alert", Push("\"all\"", """{"alert": "Hi\u0000there"}"""), "body.notification.alert" },
        { "an escape in the iOS sound", Push("\"ios\"", """{"alert": "Hi", "ios": {"sound": "bell\u001b[2J"}}"""), "body.notification.ios.sound" },
        { "a control character in an extras key", Push("\"android\"", """{"alert": "Hi", "android": {"extras": {"k\u0007": "v"}}}"""), "body.notification.android.extras.k\u0007" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public async Task What_providers_would_refuse_is_a_400_at_request_time(string what, string body, string field)
    {
        var response = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/push", body));
        var message = await SecurityKit.FieldProblemAsync(response, field);
        Assert.False(string.IsNullOrWhiteSpace(message), what);
        Assert.Equal(0, await kit.Devices.CountAsync<PushConsole.Sending.Campaign>());
    }

    [Fact]
    public async Task Line_breaks_a_64_byte_ios_collapse_id_and_a_badge_of_zero_are_fine()
    {
        var body = Push("\"ios\"", """{"alert": "Doors open\nat 9", "ios": {"badge": 0}}""", $$"""{"collapse_id": "{{new string('c', 64)}}"}""");
        var response = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/push", body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
