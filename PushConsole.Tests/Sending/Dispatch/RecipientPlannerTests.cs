using PushConsole.Campaigns;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Sending.Dispatch;

public sealed class RecipientPlannerTests
{
    private static Campaign Campaign(CampaignSchedule? schedule = null, params (string Key, int Weight, bool Control)[] variants) => new()
    {
        Id = 42, AppId = 1, Name = "t", Audience = AudienceSpec.Everyone, Options = new DeliveryOptions(),
        Schedule = schedule ?? CampaignSchedule.Immediately,
        Message = new CampaignMessage
        {
            DefaultLanguage = "en",
            Variants = (variants.Length == 0 ? [("A", 100, false)] : variants).Select(v => new CampaignVariant
            {
                Key = v.Key, Weight = v.Weight, IsControl = v.Control,
                Content = v.Control ? new Dictionary<string, LocalizedContent>() : new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = "en" }, ["fr"] = new() { Title = "fr" } },
            }).ToList(),
        },
    };

    [Fact]
    public void Variants_follow_their_weights_and_an_installation_always_gets_the_same_one()
    {
        var planner = new RecipientPlanner(Campaign(null, ("A", 50, false), ("B", 30, false), ("control", 20, true)), DateTime.UtcNow);
        var counts = Enumerable.Range(1, 100_000).Select(i => planner.VariantFor(i).Key).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts["A"], 49_000, 51_000);
        Assert.InRange(counts["B"], 29_000, 31_000);
        Assert.InRange(counts["control"], 19_000, 21_000);
        var again = new RecipientPlanner(Campaign(null, ("A", 50, false), ("B", 30, false), ("control", 20, true)), DateTime.UtcNow.AddDays(1));
        Assert.All(Enumerable.Range(1, 1000), i => Assert.Equal(planner.VariantFor(i).Key, again.VariantFor(i).Key));
    }

    [Theory]
    [InlineData("fr", "fr")]
    [InlineData("fr-CA", "fr")]
    [InlineData("FR", "fr")]
    [InlineData("de", "en")]
    [InlineData(null, "en")]
    public void Language_is_the_recipient_s_when_there_is_content_for_it(string? recipient, string expected) =>
        Assert.Equal(expected, new RecipientPlanner(Campaign(), DateTime.UtcNow).LanguageFor(recipient));

    [Fact]
    public void Local_time_is_each_recipient_s_wall_clock_across_a_dst_change()
    {
        // 29 March 2026: Paris moves to summer time at 02:00; 09:00 that morning is 07:00 UTC, the day before 08:00 UTC
        var now = new DateTime(2026, 3, 27, 12, 0, 0, DateTimeKind.Utc);
        var before = new RecipientPlanner(Campaign(new LocalTimeSchedule(new DateTime(2026, 3, 28, 9, 0, 0))), now);
        var after = new RecipientPlanner(Campaign(new LocalTimeSchedule(new DateTime(2026, 3, 29, 9, 0, 0))), now);
        Assert.Equal(new DateTime(2026, 3, 28, 8, 0, 0, DateTimeKind.Utc), before.DueFor(new Recipient(1, null, "Europe/Paris")));
        Assert.Equal(new DateTime(2026, 3, 29, 7, 0, 0, DateTimeKind.Utc), after.DueFor(new Recipient(1, null, "Europe/Paris")));
        Assert.Equal(new DateTime(2026, 3, 29, 13, 0, 0, DateTimeKind.Utc), after.DueFor(new Recipient(1, null, "America/New_York")));
        // 02:30 does not exist in Paris that night: moved forward past the gap
        var gap = new RecipientPlanner(Campaign(new LocalTimeSchedule(new DateTime(2026, 3, 29, 2, 30, 0))), now);
        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), gap.DueFor(new Recipient(1, null, "Europe/Paris")));
        // unknown zone: UTC; already past: now
        Assert.Equal(new DateTime(2026, 3, 29, 9, 0, 0, DateTimeKind.Utc), after.DueFor(new Recipient(1, null, "Mars/Olympus")));
        var past = new RecipientPlanner(Campaign(new LocalTimeSchedule(new DateTime(2026, 3, 27, 9, 0, 0))), now);
        Assert.Equal(now, past.DueFor(new Recipient(1, null, "Europe/Paris")));
    }
}
