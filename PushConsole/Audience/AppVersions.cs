using System.Text.RegularExpressions;

namespace PushConsole.Audience;

/// <summary>
/// App versions compare part by part ("3.10" after "3.9", "3.2" equals "3.2.0"): numbers numerically, other
/// parts ordinally. SQL cannot do that portably on text, so the translation compares the app's distinct versions
/// here and queries <c>app_version IN (…)</c>.
/// </summary>
public static partial class AppVersions
{
    public static bool IsValid(string value) => value.Length <= 50 && Pattern().IsMatch(value);

    public static int Compare(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var p = i < x.Length ? x[i] : "0";
            var q = i < y.Length ? y[i] : "0";
            var c = long.TryParse(p, out var m) && long.TryParse(q, out var n) ? m.CompareTo(n) : string.CompareOrdinal(p, q);
            if (c != 0) return Math.Sign(c);
        }
        return 0;
    }

    /// <summary>Whether a stored version satisfies <paramref name="op"/> against the condition's versions; a stored text that is no version ("web") never does.</summary>
    public static bool Matches(string stored, string op, IReadOnlyList<string> values) => IsValid(stored) && op switch
    {
        "equals" or "in" => values.Any(v => Compare(stored, v) == 0),
        "gt" => Compare(stored, values[0]) > 0,
        "gte" => Compare(stored, values[0]) >= 0,
        "lt" => Compare(stored, values[0]) < 0,
        "lte" => Compare(stored, values[0]) <= 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    [GeneratedRegex(@"^[0-9]+(\.[0-9A-Za-z-]+){0,5}$")]
    private static partial Regex Pattern();
}
