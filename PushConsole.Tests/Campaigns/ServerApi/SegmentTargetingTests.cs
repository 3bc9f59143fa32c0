using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Compose;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns.ServerApi;

/// <summary>Saved segments as audiences: <c>to.segment</c> of /v4/push, compose's count, and deletion refused while a campaign still needs one.</summary>
public sealed class SegmentTargetingTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<long> FrenchSpeakersAsync(ServerApiKit kit)
    {
        var rules = RulesJson.Parse("""{"version": 1, "root": {"match": "all", "rules": [{"field": "language", "operator": "in", "value": ["fr"]}]}}""");
        return (await kit.Host.Get<SegmentService>().CreateAsync(kit.AppId, "French speakers", rules, Actor.System)).Id;
    }

    private static async Task RegisterAsync(ServerApiKit kit)
    {
        await kit.RegisterAsync("android-fr", Platform.Android, language: "fr", tags: "vip");
        await kit.RegisterAsync("iphone-fr", Platform.Ios, language: "fr");
        await kit.RegisterAsync("browser-fr", Platform.Web, language: "fr", tags: "vip");
        await kit.RegisterAsync("android-en", Platform.Android, language: "en", tags: "vip");
    }

    [Fact]
    public async Task A_push_to_a_segment_reaches_its_members_and_intersects_with_the_other_filters()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await RegisterAsync(kit);
        var segment = await FrenchSpeakersAsync(kit);

        async Task<string[]> SendAsync(string to)
        {
            var answer = await kit.OkJsonAsync(await kit.PostAsync("v4/push", $$$"""
                {"to": {{{to}}}, "body": {"platform": "all", "notification": {"alert": "Le programme de demain"} } }
                """));
            var id = long.Parse(answer.GetProperty("msg_id").GetString()!);
            await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);
            return [.. (await kit.DeliveriesAsync(id)).Select(d => d.InstallationId)];
        }

        Assert.Equal(["android-fr", "browser-fr"], await SendAsync($$$"""{"segment": "{{{segment}}}", "tag": ["vip"]}"""));
        Assert.Equal(["android-fr", "browser-fr", "iphone-fr"], await SendAsync($$$"""{"segment": "{{{segment}}}"}"""));

        // compose counts the same audience by platform
        var form = new ComposeForm { AppId = kit.AppId, Audience = new AudienceForm { Kind = AudienceKind.Segment, SegmentId = segment } };
        var count = await kit.Host.Get<ComposeService>().CountAsync(form, "organizer@example.com");
        Assert.Equal((1L, 1L, 1L), (count[Platform.Android], count[Platform.Ios], count[Platform.Web]));
    }

    [Fact]
    public async Task A_segment_is_read_at_launch_and_cannot_be_deleted_while_a_scheduled_campaign_uses_it()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await RegisterAsync(kit);
        var segment = await FrenchSpeakersAsync(kit);
        var schedule = await kit.OkJsonAsync(await kit.PostAsync("v4/schedules", $$$"""
            {"name": "evening", "enabled": true, "trigger": {"single": {"time": "2026-03-02 18:00:00", "zone_type": 1}},
             "push": {"to": {"segment": "{{{segment}}}"}, "body": {"platform": "all", "notification": {"alert": "Ce soir"} } } }
            """));
        var msgId = long.Parse((await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/schedules/{schedule.GetProperty("schedule_id").GetString()}")))
            .GetProperty("msg_id").GetString()!);

        var refused = await kit.Api.DeleteAsync($"v4/segments/{segment}");
        var message = await ServerApiKit.ProblemAsync(refused, 409, "segment");
        Assert.Contains($"scheduled campaign \"evening\" (#{msgId})", message);

        // someone switches to French after the schedule was made: the launch sees them
        await kit.RegisterAsync("android-en", Platform.Android, language: "fr", tags: "vip");
        kit.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 18, 0, 1, TimeSpan.Zero));
        await kit.WaitForLaunchAsync(msgId);
        Assert.Equal(["android-en", "android-fr", "browser-fr", "iphone-fr"], (await kit.DeliveriesAsync(msgId)).Select(d => d.InstallationId));

        // launched: the campaign keeps its recipients and the segment may go
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await kit.Api.DeleteAsync($"v4/segments/{segment}")).StatusCode);
    }

    [Theory]
    [InlineData("\"999999\"")]
    [InlineData("\"French speakers\"")]
    [InlineData("[\"1\"]")]
    public async Task An_unknown_or_malformed_segment_is_a_400_on_to_segment_and_nothing_is_sent(string segment)
    {
        await using var kit = await ServerApiKit.StartAsync(Monday);
        await RegisterAsync(kit);

        var response = await kit.PostAsync("v4/push", $$$"""
            {"to": {"segment": {{{segment}}}}, "body": {"platform": "all", "notification": {"alert": "x"} } }
            """);

        var message = await ServerApiKit.ProblemAsync(response, 400, "to.segment");
        Assert.Contains("/v4/segments", message);
        Assert.Equal(0, await kit.CampaignCountAsync());
        Assert.Equal(0, kit.Sandbox.State.Providers.Sum(p => p.Stats().Requests));
    }
}
