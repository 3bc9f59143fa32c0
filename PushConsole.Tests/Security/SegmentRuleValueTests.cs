using PushConsole.Api;
using PushConsole.Audience;

namespace PushConsole.Tests.Security;

/// <summary>Rule values a device can never have are refused at their path, and versions compare only against versions.</summary>
public sealed class SegmentRuleValueTests
{
    private static IReadOnlyDictionary<string, string[]> Errors(string field, string values)
    {
        var rules = RulesJson.Parse("""{"version": 1, "root": {"match": "all", "rules": [{"field": """ + $"\"{field}\"" + """, "operator": "in", "value": """ + values + "}]}}");
        var errors = new FieldErrors();
        SegmentValidation.Validate(rules, errors);
        return errors.ToDictionary();
    }

    [Fact]
    public void An_unknown_language_or_time_zone_is_refused_at_its_value()
    {
        var language = Errors("language", """["fr", "zz-INVALID-999"]""");
        Assert.Contains("zz-INVALID-999", Assert.Single(language["rules.root.rules[0].value"]));

        var zone = Errors("time_zone", """["Europe/Warsaw", "Mars/Base"]""");
        Assert.Contains("Mars/Base", Assert.Single(zone["rules.root.rules[0].value"]));
    }

    [Fact]
    public void Real_languages_and_zones_pass()
    {
        Assert.Empty(Errors("language", """["fr", "pt-BR", "zh-Hant-TW"]"""));
        Assert.Empty(Errors("time_zone", """["Europe/Warsaw", "America/New_York"]"""));
    }

    [Fact]
    public void A_stored_text_that_is_no_version_never_satisfies_a_version_comparison()
    {
        Assert.False(AppVersions.Matches("web", "gte", ["1.0"]));
        Assert.False(AppVersions.Matches("web", "lt", ["9.0"]));
        Assert.True(AppVersions.Matches("3.10", "gte", ["3.9"]));
    }
}
