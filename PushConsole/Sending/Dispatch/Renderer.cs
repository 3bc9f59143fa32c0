using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Dispatch;

/// <summary>
/// Renders a campaign's content once per (variant, language, platform) — and per recipient time zone when the
/// content holds <see cref="TimeTokens"/> — and stamps each push with its target and delivery id. Per-platform
/// overrides win over the language's content; custom data is merged in.
/// </summary>
public sealed class Renderer(Campaign campaign)
{
    private readonly Dictionary<(string Variant, string Language, Platform Platform, string Zone), PushContent> _cache = [];
    private readonly Lock _lock = new();
    private readonly bool _perZone = HasTimeTokens(campaign.Message);

    public Campaign Campaign => campaign;

    /// <param name="timeZone">The recipient's IANA zone (installation's, else user's), for time tokens.</param>
    public PushMessage Render(long deliveryId, string variantKey, string language, Platform platform, PushTarget target, string? timeZone = null)
    {
        PushContent content;
        var key = (variantKey, language, platform, _perZone ? timeZone ?? "" : "");
        lock (_lock)
        {
            if (!_cache.TryGetValue(key, out content!))
                _cache[key] = content = Content(variantKey, language, platform, key.Item4);
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

    public PushContent Content(string variantKey, string language, Platform platform, string? timeZone = null)
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
            Actions = variant.Actions is { Count: > 0 } actions
                ? actions.Select(a => a with { Title = text.ActionTitles?.GetValueOrDefault(a.Id) ?? a.Title }).ToList()
                : null,
        };
        switch (platform)
        {
            case Platform.Android when o?.Android is { } a:
                foreach (var (k, v) in a.Data ?? new Dictionary<string, string>()) data[k] = v;
                content = content with { Title = Pick(a.Title, content.Title), Body = Pick(a.Body, content.Body), ChannelId = a.ChannelId, Icon = a.Icon };
                break;
            case Platform.Ios when o?.Ios is { } i:
                foreach (var (k, v) in i.Data ?? new Dictionary<string, string>()) data[k] = v;
                content = content with { Title = Pick(i.Title, content.Title), Body = Pick(i.Body, content.Body), Sound = i.Sound, Badge = i.Badge, ThreadId = i.ThreadId, Category = i.Category };
                break;
            case Platform.Web when o?.Web is { } w:
                content = content with { Title = Pick(w.Title, content.Title), Body = Pick(w.Body, content.Body), Icon = w.Icon, Link = w.Url ?? content.Link };
                break;
        }
        if (_perZone)
            content = content with { Title = Times(content.Title, timeZone, language), Body = Times(content.Body, timeZone, language) };
        // Android: the category names the intent filter that shows the buttons (FCM notification.click_action)
        if (platform == Platform.Android && content.Actions is not null && o?.Ios?.Category is { } category) content = content with { Category = category };
        if (content.Link is null && variant.Content.GetValueOrDefault(campaign.Message.DefaultLanguage)?.Link is { } defaultLink)
            content = content with { Link = defaultLink };
        // the variant travels with the push so the app (and the attendee page) can report it
        data["campaignId"] = campaign.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (campaign.Message.Variants.Count > 1) data["variant"] = variant.Key;
        return content with { Data = data.Count == 0 ? null : data };
    }

    private static string? Times(string? text, string? timeZone, string language) => text is null ? null : TimeTokens.Apply(text, timeZone, language);

    private static bool HasTimeTokens(CampaignMessage message) =>
        message.Variants.Any(v => v.Content.Values.Any(c => TimeTokens.Contains(c.Title) || TimeTokens.Contains(c.Body))
                                  || TimeTokens.Contains(v.Overrides?.Android?.Title) || TimeTokens.Contains(v.Overrides?.Android?.Body)
                                  || TimeTokens.Contains(v.Overrides?.Ios?.Title)
                                  || TimeTokens.Contains(v.Overrides?.Ios?.Body)
                                  || TimeTokens.Contains(v.Overrides?.Web?.Title) || TimeTokens.Contains(v.Overrides?.Web?.Body));
}
