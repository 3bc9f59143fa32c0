using PushConsole.Campaigns.AbTest;
using PushConsole.Campaigns.Compose.Pages;
using PushConsole.Campaigns.Pages;
using PushConsole.Sending.Providers;

namespace PushConsole.Tests.Campaigns;

/// <summary>The words the campaign pages print: p-values, lifetimes, provider names, tag suggestions.</summary>
public sealed class WordingTests
{
    [Fact]
    public void A_p_value_carries_its_own_operator()
    {
        Assert.Equal("p < 0.001", WinnerSelection.PText(0.0002));
        Assert.Equal("p = 0.042", WinnerSelection.PText(0.042));
        var verdict = WinnerSelection.Decide([new VariantResult("A", false, 200, 200, 0, 60, 0), new VariantResult("B", false, 200, 200, 0, 20, 0)], "A");
        Assert.Contains("p < 0.001", verdict.Because);
        Assert.DoesNotContain("p = <", verdict.Because);
    }

    [Theory]
    [InlineData(0, "now or never")]
    [InlineData(900, "15 min")]
    [InlineData(86_400, "1 day")]
    [InlineData(259_200, "3 days")]
    [InlineData(604_800, "1 week")]
    [InlineData(2_419_200, "4 weeks")]
    public void Lifetimes_read_as_words(int seconds, string words) => Assert.Equal(words, CampaignSummary.Ttl(seconds));

    [Fact]
    public void Providers_have_one_name_everywhere()
    {
        Assert.Equal(["FCM (Android)", "APNs (iOS)", "Web Push"], Enum.GetValues<PushProvider>().Select(ProviderNames.Of));
        Assert.Equal("APNs (iOS)", ProviderNames.OfKey("apns"));
    }

    [Fact]
    public void Tag_suggestions_complete_the_last_tag_and_flag_unknown_ones()
    {
        string[] tags = ["speaker", "track-ai", "track-web", "vip"];
        Assert.Equal(["track-ai", "track-web"], TagSuggestions.For("tra", tags));
        Assert.Equal(["vip, track-ai", "vip, track-web"], TagSuggestions.For("vip, track", tags));
        Assert.DoesNotContain("vip, vip", TagSuggestions.For("vip, ", tags));
        Assert.Equal(["trak-ai"], TagSuggestions.Unknown("vip, trak-ai", tags));
    }
}
