using Bunit;
using PushConsole.Devices;
using PushConsole.Devices.Pages;

namespace PushConsole.Tests.Devices.Pages;

/// <summary>The lookup page's token changelog: newest first as given, what changed, who caused it, the provider's answer.</summary>
public sealed class ChangeTimelineTests
{
    private static readonly DateTime At = new(2026, 6, 10, 9, 30, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Each_change_shows_its_time_kind_sentence_what_moved_and_its_source()
    {
        await using var ctx = ComponentContext.Create();
        LookupChange[] changes =
        [
            new(3, At.AddMinutes(20), ChangeKind.Invalidated, "invalidated by FCM: UNREGISTERED", "B", "B", "fcm…abcd", "fcm…abcd",
                ChangeSources.Fcm, "UNREGISTERED", "{\"error\":{\"status\":\"NOT_FOUND\"}}", null),
            new(2, At.AddMinutes(10), ChangeKind.UserChanged, "moved from user A to user B", "A", "B", "fcm…abcd", "fcm…abcd", ChangeSources.ClientApi, null, null, null),
            new(1, At, ChangeKind.Registered, "registered", null, null, "", "fcm…abcd", ChangeSources.ClientApi, null, null, null),
        ];

        var timeline = ctx.Render<ChangeTimeline>(p => p.Add(t => t.Changes, changes));

        var items = timeline.FindAll("li.change");
        Assert.Equal(["invalidated", "user_changed", "registered"], items.Select(i => i.GetAttribute("data-kind")));
        Assert.Equal("moved from user A to user B", items[1].QuerySelector(".change-sentence")!.TextContent);
        Assert.Contains("user: A → B", items[1].TextContent);
        Assert.Contains("source: client API", items[1].TextContent);
        Assert.Contains("2026-06-10 09:40:00 UTC", items[1].TextContent);
        Assert.Contains("provider reason: UNREGISTERED", items[0].TextContent);
        Assert.Contains("NOT_FOUND", items[0].QuerySelector("details.raw-answer")!.TextContent);
        Assert.Null(items[1].QuerySelector("details.raw-answer"));
        Assert.Contains("→ fcm…abcd", items[2].TextContent);
        Assert.Empty(timeline.FindAll("[data-test=no-changes]"));
    }

    [Fact]
    public async Task An_empty_changelog_says_why_and_a_cut_one_says_older_entries_are_hidden()
    {
        await using var ctx = ComponentContext.Create();
        var empty = ctx.Render<ChangeTimeline>(p => p.Add(t => t.Changes, []));
        Assert.Contains("No change recorded", empty.Find("[data-test=no-changes]").TextContent);

        var cut = ctx.Render<ChangeTimeline>(p => p
            .Add(t => t.Changes, [new LookupChange(1, At, ChangeKind.Registered, "registered", null, null, "", "t", ChangeSources.ClientApi, null, null, null)])
            .Add(t => t.More, true));
        Assert.Contains("Older entries are not shown.", cut.Markup);
    }
}
