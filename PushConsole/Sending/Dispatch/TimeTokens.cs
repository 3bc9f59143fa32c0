using System.Globalization;
using System.Text.RegularExpressions;
using PushConsole.Sending.Launch;

namespace PushConsole.Sending.Dispatch;

/// <summary>
/// Per-recipient times in a push's title or body: <c>{time:2026-03-29T08:00:00Z}</c> is written, at send time, as that
/// instant in the recipient's own time zone (installation's, else user's), in the delivery language's conventions
/// ("10:00", "10:00 AM"). Optional parts: a .NET format (<c>{time:…|ddd HH:mm}</c>, default <c>t</c>) and the zone to use
/// when the recipient has none (<c>{time:…|t|Europe/Paris}</c>; without it such recipients read UTC, marked " UTC").
/// </summary>
public static partial class TimeTokens
{
    public const string Marker = "{time:";

    public static bool Contains(string? text) => text?.Contains(Marker, StringComparison.Ordinal) == true;

    /// <summary>The token for an instant (UTC), with an optional format and fallback zone.</summary>
    public static string Token(DateTime utc, string? format = null, string? fallbackZone = null)
    {
        var at = DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return fallbackZone is null
            ? format is null ? $"{{time:{at}}}" : $"{{time:{at}|{format}}}"
            : $"{{time:{at}|{format ?? "t"}|{fallbackZone}}}";
    }

    /// <summary>Replaces every token for one recipient.</summary>
    public static string Apply(string text, string? recipientZone, string? language)
    {
        if (!Contains(text)) return text;
        var culture = Culture(language);
        return Pattern().Replace(text, m =>
        {
            if (!TryParse(m, out var utc, out var format, out var fallback)) return m.Value;
            var zone = TimeZones.Find(recipientZone) ?? TimeZones.Find(fallback);
            var local = zone is null ? utc : TimeZones.ToLocal(utc, zone);
            var formatted = local.ToString(format, culture);
            return zone is null ? formatted + " UTC" : formatted;
        });
    }

    /// <summary>Tokens in the text that cannot be rendered (bad instant, format or zone), for validation.</summary>
    public static IEnumerable<string> Invalid(string? text)
    {
        if (!Contains(text)) yield break;
        var matched = 0;
        foreach (Match m in Pattern().Matches(text!))
        {
            matched++;
            if (!TryParse(m, out _, out _, out _)) yield return m.Value;
        }
        var total = CountMarkers(text!);
        if (total > matched) yield return "{time:…} without its closing brace";
    }

    private static bool TryParse(Match m, out DateTime utc, out string format, out string? fallback)
    {
        format = m.Groups["format"].Success && m.Groups["format"].Value.Length > 0 ? m.Groups["format"].Value : "t";
        fallback = m.Groups["zone"].Success ? m.Groups["zone"].Value : null;
        utc = default;
        if (!DateTimeOffset.TryParse(m.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return false;
        utc = at.UtcDateTime;
        if (fallback is not null && TimeZones.Find(fallback) is null) return false;
        try { _ = utc.ToString(format, CultureInfo.InvariantCulture); }
        catch (FormatException) { return false; }
        return true;
    }

    private static int CountMarkers(string text)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(Marker, at, StringComparison.Ordinal)) >= 0) { count++; at += Marker.Length; }
        return count;
    }

    private static CultureInfo Culture(string? language)
    {
        if (string.IsNullOrEmpty(language)) return CultureInfo.InvariantCulture;
        try { return CultureInfo.GetCultureInfo(language); }
        catch (CultureNotFoundException) { return CultureInfo.InvariantCulture; }
    }

    [GeneratedRegex(@"\{time:(?<at>[^|{}]+)(?:\|(?<format>[^|{}]*))?(?:\|(?<zone>[^|{}]+))?\}")]
    private static partial Regex Pattern();
}
