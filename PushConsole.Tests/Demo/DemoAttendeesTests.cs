using PushConsole.Demo;

namespace PushConsole.Tests.Demo;

/// <summary>The demo's attendees find a push's buttons in what each provider received, so they tap them on every platform.</summary>
public sealed class DemoAttendeesTests
{
    [Theory]
    // as the sandbox received them from the dispatcher: APNs and Web Push carry JSON arrays, FCM JSON text in data with \u0022 quotes
    [InlineData("""{"aps":{"alert":{"title":"T","body":"B"},"category":"SESSION_INVITE"},"campaignId":"22","actions":[{"id":"going","title":"B\u0119d\u0119"},{"id":"skip","title":"Nie"}],"deliveryId":30}""")]
    [InlineData("""{"deliveryId":28,"type":"alert","title":"T","actions":[{"action":"going","title":"J'y vais"},{"action":"skip","title":"Pas"}],"data":{"campaignId":"22"}}""")]
    [InlineData("""{"message":{"token":"t","data":{"campaignId":"22","actions":"[{\u0022id\u0022:\u0022going\u0022,\u0022title\u0022:\u0022J\\u0027y vais\u0022},{\u0022id\u0022:\u0022skip\u0022,\u0022title\u0022:\u0022Pas\u0022}]","deliveryId":"29"}}}""")]
    [InlineData("""{"message":{"token":"t","data":{"actions":"[{\"id\":\"going\"},{\"id\":\"skip\"}]"}}}""")]
    public void Buttons_are_found_in_each_providers_payload(string payload) =>
        Assert.Equal(["going", "skip"], DemoAttendees.ActionIds(payload));

    [Theory]
    [InlineData("""{"message":{"token":"t","notification":{"title":"no buttons"},"data":{"campaignId":"3"}}}""")]
    [InlineData("not json")]
    [InlineData("""{"message":{"data":{"actions":"not json either"}}}""")]
    public void A_push_without_readable_buttons_has_none(string payload) => Assert.Empty(DemoAttendees.ActionIds(payload));
}
