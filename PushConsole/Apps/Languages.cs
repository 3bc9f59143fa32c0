using System.Text.RegularExpressions;

namespace PushConsole.Apps;

/// <summary>BCP 47 language tags as apps send them ("fr", "pt-BR", "zh-Hant").</summary>
public static partial class Languages
{
    public static bool IsValidTag(string tag) => tag.Length <= 35 && Tag().IsMatch(tag);

    [GeneratedRegex(@"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*$")]
    private static partial Regex Tag();
}
