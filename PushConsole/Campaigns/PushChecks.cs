using PushConsole.Sending;
using System.Text;
using PushConsole.Api;
using PushConsole.Campaigns.Compose;

namespace PushConsole.Campaigns;

/// <summary>
/// What the providers would refuse for every recipient, caught when the push is requested instead of once per delivery:
/// rendered payload sizes per platform, language and variant; values that become headers (collapse id → apns-collapse-id,
/// Web Push Topic); keys PushConsole sets itself; badge range; control characters; the size of custom_args.
/// Field names are campaign-model paths (the server API renames them). Self-contained: callers add one line.
/// </summary>
public static class PushChecks
{
    public const int MaxBadge = 99_999;
    public const int MaxCustomDataKeys = 50;
    public const int MaxCustomDataBytes = 2048;
    /// <summary>RFC 8030 Topic: at most 32 characters of the URL-safe base64 alphabet.</summary>
    public const int MaxTopic = 32;

    /// <summary>Keys the payload builders set themselves (or drop) on every platform.</summary>
    private static readonly HashSet<string> SetByPushConsole = new(StringComparer.Ordinal) { "campaignId", "variant", "deliveryId" };
    /// <summary>Keys an APNs payload reserves or PushConsole writes beside aps.</summary>
    private static readonly HashSet<string> ApnsReserved = new(StringComparer.Ordinal) { "aps", "link", "image" };
    private static readonly HashSet<string> IosReserved = [.. SetByPushConsole, .. ApnsReserved];

    public static void Check(AudienceSpec audience, CampaignMessage message, DeliveryOptions options, FieldErrors errors)
    {
        var before = errors.Count;
        var web = audience.Platforms is null || audience.Platforms.Contains(Platform.Web);
        var ios = audience.Platforms is null || audience.Platforms.Contains(Platform.Ios);
        var android = audience.Platforms is null || audience.Platforms.Contains(Platform.Android);

        if (options.CollapseId is { } collapse)
        {
            if (collapse.Length == 0 || collapse.Any(char.IsControl))
                errors.Add("options.collapseId", "A collapse id is sent as a header: it must not be empty or contain control characters.");
            else if (Encoding.UTF8.GetByteCount(collapse) > 64)
                errors.Add("options.collapseId", "APNs allows at most 64 bytes for a collapse id.");
            else if (web && Sending.Providers.WebPush.WebPushPayload.Topic(collapse) is null)
                errors.Add("options.collapseId", $"In browsers the collapse id is the Web Push Topic: at most {MaxTopic} letters, digits, '-' or '_'.");
        }
        if (options.CustomData is { } custom)
        {
            if (custom.Count > MaxCustomDataKeys) errors.Add("options.customData", $"At most {MaxCustomDataKeys} keys.");
            else if (custom.Sum(p => Encoding.UTF8.GetByteCount(p.Key) + Encoding.UTF8.GetByteCount(p.Value)) > MaxCustomDataBytes)
                errors.Add("options.customData", $"At most {MaxCustomDataBytes:N0} bytes in all: they travel in every push.");
            Data(custom, "options.customData", SetByPushConsole, errors);
        }

        for (var i = 0; i < message.Variants.Count; i++)
        {
            var variant = message.Variants[i];
            if (variant.IsControl) continue;
            var path = $"message.variants[{i}]";
            foreach (var (language, content) in variant.Content)
            {
                var at = $"{path}.content.{language}";
                Text(content.Title, $"{at}.title", errors);
                Text(content.Body, $"{at}.body", errors);
                Plain(content.Link, $"{at}.link", errors);
                Plain(content.ImageUrl, $"{at}.imageUrl", errors);
                if (content.Data is { } data) Data(data, $"{at}.data", ios ? IosReserved : SetByPushConsole, errors);
            }
            if (variant.Overrides?.Ios is { } o)
            {
                var at = $"{path}.overrides.ios";
                if (o.Badge is < 0 or > MaxBadge) errors.Add($"{at}.badge", $"badge is the number shown on the app icon: 0 (clears it) to {MaxBadge:N0}.");
                Text(o.Title, $"{at}.title", errors);
                Text(o.Subtitle, $"{at}.subtitle", errors);
                Text(o.Body, $"{at}.body", errors);
                Plain(o.Sound, $"{at}.sound", errors);
                Plain(o.ThreadId, $"{at}.threadId", errors);
                Plain(o.Category, $"{at}.category", errors);
                if (o.Data is { } data) Data(data, $"{at}.data", IosReserved, errors);
            }
            if (variant.Overrides?.Android is { } a)
            {
                var at = $"{path}.overrides.android";
                Text(a.Title, $"{at}.title", errors);
                Text(a.Body, $"{at}.body", errors);
                Plain(a.ChannelId, $"{at}.channelId", errors);
                if (a.Data is { } data) Data(data, $"{at}.data", SetByPushConsole, errors);
            }
            if (variant.Overrides?.Web is { } w)
            {
                var at = $"{path}.overrides.web";
                Text(w.Title, $"{at}.title", errors);
                Text(w.Body, $"{at}.body", errors);
                Plain(w.Url, $"{at}.url", errors);
                Plain(w.Icon, $"{at}.icon", errors);
            }
        }
        // sizes only of a message that is otherwise sound (the renderer needs variants and a default language)
        if (errors.Count == before && !errors.Has("message.variants") && !errors.Has("message.defaultLanguage") && message.Variants.Count > 0)
            Sizes(message, options, ios, android, web, errors);
    }

    /// <summary>The rendered payload of every variant × language × targeted platform, measured as compose measures it.</summary>
    private static void Sizes(CampaignMessage message, DeliveryOptions options, bool ios, bool android, bool web, FieldErrors errors)
    {
        var renderer = MessagePreview.RendererFor(0, message, options);
        for (var i = 0; i < message.Variants.Count; i++)
        {
            var variant = message.Variants[i];
            if (variant.IsControl) continue;
            foreach (var language in variant.Content.Keys)
                foreach (var (platform, on, where, limit) in new[] { (Platform.Ios, ios, "On iOS", "APNs allows"), (Platform.Android, android, "On Android", "FCM allows"),
                             (Platform.Web, web, "In browsers", "Web Push carries at most") })
                {
                    if (!on) continue;
                    var preview = MessagePreview.Render(renderer, variant.Key, language, platform);
                    if (preview.TooLarge)
                        errors.Add($"message.variants[{i}].content.{language}.body",
                            $"{where} this push is {MessagePreview.Describe(preview.PayloadBytes)}; {limit} {MessagePreview.Describe(preview.MaxBytes!.Value)}. " +
                            "Shorten the text, link or data pairs.");
                }
        }
    }

    /// <summary>Shown text: line breaks and tabs are text, other control characters are not.</summary>
    private static void Text(string? value, string field, FieldErrors errors)
    {
        if (value is not null && value.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
            errors.Add(field, "Remove the control characters (only line breaks and tabs are allowed in text).");
    }

    /// <summary>Ids, names and URLs: no control characters at all.</summary>
    private static void Plain(string? value, string field, FieldErrors errors)
    {
        if (value is not null && value.Any(char.IsControl)) errors.Add(field, "Remove the control characters.");
    }

    private static void Data(IReadOnlyDictionary<string, string> data, string path, IReadOnlySet<string> reserved, FieldErrors errors)
    {
        foreach (var (key, value) in data)
        {
            if (reserved.Contains(key)) errors.Add($"{path}.{key}", $"\"{key}\" is set by PushConsole or the provider in every push; rename it.");
            else if (key.Any(char.IsControl)) errors.Add($"{path}.{key}", "Remove the control characters from the key.");
            else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) errors.Add($"{path}.{key}", "Remove the control characters from the value.");
        }
    }
}

/// <summary>How far ahead a send may be planned: a year. Further is a typo (9999) or a row that would wait forever.</summary>
public static class ScheduleHorizon
{
    public const int MaxDaysAhead = 366;

    public static void Check(CampaignSchedule schedule, DateTime nowUtc, FieldErrors errors)
    {
        var limit = nowUtc.AddDays(MaxDaysAhead);
        var (field, time) = schedule switch
        {
            AtSchedule s => ("schedule.at", s.At),
            LocalTimeSchedule s => ("schedule.localTime", s.LocalTime),
            BestTimeSchedule s => ("schedule.backupTime", s.BackupLocalTime),
            _ => ("", (DateTime?)null),
        };
        if (time > limit) errors.Add(field, $"Schedule at most {MaxDaysAhead} days ahead (until {limit:yyyy-MM-dd}).");
    }
}
