using System.Text.RegularExpressions;

namespace PushConsole.Campaigns.Compose.Pages;

/// <summary>One variant in one language, as each chosen platform shows it; <see cref="Note"/> says when it falls back to the default language.</summary>
public sealed record PreviewCombo(string Variant, string Language, string? Note, IReadOnlyList<PlatformPreview> Previews);

/// <summary>The compose page's previews (every variant × language side by side) and where its first content problem is.</summary>
public static partial class ComposePreviews
{
    public static (IReadOnlyList<PreviewCombo> Combos, string? Note) Build(ComposeForm form, string consoleUser)
    {
        try
        {
            var message = form.ToMessage();
            var renderer = MessagePreview.RendererFor(form.AppId ?? 0, message, form.ToDraft(form.AppId ?? 0, consoleUser).Options);
            var platforms = new[] { (Platform.Android, form.Audience.Android), (Platform.Ios, form.Audience.Ios), (Platform.Web, form.Audience.Web) }.Where(p => p.Item2).Select(p => p.Item1).ToList();
            var combos = new List<PreviewCombo>();
            foreach (var variant in message.Variants.Where(v => !v.IsControl))
                foreach (var language in form.Languages)
                {
                    var own = variant.Content.Keys.Any(k => string.Equals(k, language, StringComparison.OrdinalIgnoreCase));
                    var isDefault = string.Equals(language, form.DefaultLanguage, StringComparison.OrdinalIgnoreCase);
                    string? note = own ? null
                        : isDefault ? $"No {language} text yet: the default language needs its own text."
                        : $"No {language} text: {language} recipients get the {form.DefaultLanguage} text shown here.";
                    if (!own && isDefault) { combos.Add(new PreviewCombo(variant.Key, language, note, [])); continue; }
                    combos.Add(new PreviewCombo(variant.Key, language, note, [.. platforms.Select(p => MessagePreview.Render(renderer, variant.Key, language, p))]));
                }
            return (combos, platforms.Count == 0 ? "Choose a platform to see a preview." : null);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return ([], "The preview appears once the message has content.");
        }
    }

    /// <summary>The variant and language of the first content problem (by key order), to open its tabs before scrolling to it.</summary>
    public static (string Variant, string Language)? FirstContentProblem(ComposeForm form, IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.Order(StringComparer.Ordinal))
        {
            var match = ContentKey().Match(key);
            if (!match.Success || int.Parse(match.Groups[1].Value) >= form.Variants.Count) continue;
            var language = form.Languages.FirstOrDefault(l => string.Equals(l, match.Groups[2].Value, StringComparison.OrdinalIgnoreCase));
            if (language is null) continue;
            return (form.Variants[int.Parse(match.Groups[1].Value)].Key, language);
        }
        return null;
    }

    [GeneratedRegex(@"^message\.variants\[(\d+)\]\.content\.([^.]+)")]
    private static partial Regex ContentKey();
}
