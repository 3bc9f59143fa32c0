using PushConsole.Campaigns;
using PushConsole.Delivery.Providers;

namespace PushConsole.Delivery.Dispatch;

/// <summary>
/// Renders a campaign's content once per (variant, language, platform) and stamps each push with its target
/// and delivery id. Per-platform overrides win over the language's content; custom data is merged in.
/// </summary>
public sealed class Renderer(Campaign campaign)
{
    private readonly Dictionary<(string Variant, string Language, string Platform), PushContent> _cache = [];
    private readonly Lock _lock = new();

    public Campaign Campaign => campaign;

    public PushMessage Render(long deliveryId, string variantKey, string language, string platform, PushTarget target)
    {
        PushContent content;
        lock (_lock)
        {
            if (!_cache.TryGetValue((variantKey, language, platform), out content!))
                _cache[(variantKey, language, platform)] = content = Content(variantKey, language, platform);
        }
        var options = campaign.Options;
        return new PushMessage(deliveryId, target, content)
        {
            Type = options.PushType,
            Priority = options.Priority,
            TimeToLive = TimeSpan.FromSeconds(options.TtlSeconds),
            CollapseId = options.CollapseId,
        };
    }

    public PushContent Content(string variantKey, string language, string platform)
    {
        var variant = campaign.Message.Variants.FirstOrDefault(v => v.Key == variantKey) ?? campaign.Message.Variants[0];
        var text = variant.Content.GetValueOrDefault(language) ?? variant.Content.GetValueOrDefault(campaign.Message.DefaultLanguage)
                   ?? variant.Content.Values.FirstOrDefault() ?? new LocalizedContent();
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in campaign.Options.CustomData ?? new Dictionary<string, string>()) data[k] = v;
        foreach (var (k, v) in text.Data ?? new Dictionary<string, string>()) data[k] = v;
        var o = variant.Overrides;
        // platform texts are written in the default language: a recipient's own translation wins over them
        var translated = !string.Equals(language, campaign.Message.DefaultLanguage, StringComparison.OrdinalIgnoreCase) && variant.Content.ContainsKey(language);
        string? Pick(string? platformText, string? languageText) => translated ? languageText ?? platformText : platformText ?? languageText;
        var content = new PushContent
        {
            Title = text.Title,
            Body = text.Body,
            ImageUrl = text.ImageUrl,
            Link = text.Link,
            Data = data,
        };
        switch (platform)
        {
            case "android" when o?.Android is { } a:
                foreach (var (k, v) in a.Data ?? new Dictionary<string, string>()) data[k] = v;
                content = content with { Title = Pick(a.Title, content.Title), Body = Pick(a.Body, content.Body), ChannelId = a.ChannelId, Icon = a.Icon };
                break;
            case "ios" when o?.Ios is { } i:
                foreach (var (k, v) in i.Data ?? new Dictionary<string, string>()) data[k] = v;
                content = content with { Title = Pick(i.Title, content.Title), Body = Pick(i.Body, content.Body), Sound = i.Sound, Badge = i.Badge, ThreadId = i.ThreadId, Category = i.Category };
                break;
            case "web" when o?.Web is { } w:
                content = content with { Title = Pick(w.Title, content.Title), Body = Pick(w.Body, content.Body), Icon = w.Icon, Link = w.Url ?? content.Link };
                break;
        }
        // the variant travels with the push so the app (and the attendee page) can report it
        data["campaignId"] = campaign.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (campaign.Message.Variants.Count > 1) data["variant"] = variant.Key;
        return content with { Data = data.Count == 0 ? null : data };
    }
}
