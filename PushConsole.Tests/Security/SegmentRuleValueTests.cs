using PushConsole.Api;
using PushConsole.Audience;

namespace PushConsole.Tests.Security;

/// <summary>Rule values a device can never have are refused at their path, and versions compare only against versions.</summary>
public sealed class SegmentRuleValueTests
{
    private static IReadOnlyDictionary<string, string[]> Errors(string field, string values) =>
        Check("""{"version": 1, "root": {"match": "all", "rules": [{"field": """ + $"\"{field}\"" + """, "operator": "in", "value": """ + values + "}]}}");

    /// <summary>Reads rules as a request body is read, then validates them.</summary>
    private static IReadOnlyDictionary<string, string[]> Check(string json)
    {
        var errors = new FieldErrors();
        using var document = System.Text.Json.JsonDocument.Parse(json);
        if (RulesJson.Read(document.RootElement, errors, "rules") is { } rules && !errors.Any) SegmentValidation.Validate(rules, errors);
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
    public void One_string_where_a_list_is_meant_is_refused_not_coerced()
    {
        var language = Errors("language", "\"fr\"");
        Assert.Contains("[\"fr\"]", Assert.Single(language["rules.root.rules[0].value"]));
        Assert.Empty(Errors("language", """["fr"]"""));
    }

    [Fact]
    public void A_list_where_one_value_is_meant_is_refused()
    {
        var errors = Check("""{"version": 1, "root": {"match": "all", "rules": [{"field": "app_version", "operator": "gte", "value": ["3.2"]}]}}""");
        Assert.Contains("not a list", Assert.Single(errors["rules.root.rules[0].value"]));
    }

    [Fact]
    public void Rules_written_by_the_product_read_back_valid()
    {
        var rules = RulesJson.Parse("""{"version": 1, "root": {"match": "all", "rules": [{"field": "language", "operator": "in", "value": ["fr"]}, {"field": "app_version", "operator": "gte", "value": "3.2"}]}}""");
        Assert.Empty(Check(RulesJson.Write(rules)));
    }

    [Fact]
    public void A_stored_text_that_is_no_version_never_satisfies_a_version_comparison()
    {
        Assert.False(AppVersions.Matches("web", "gte", ["1.0"]));
        Assert.False(AppVersions.Matches("web", "lt", ["9.0"]));
        Assert.True(AppVersions.Matches("3.10", "gte", ["3.9"]));
    }
}
