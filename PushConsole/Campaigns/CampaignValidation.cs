using System.Text;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Campaigns.AbTest;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns;

/// <summary>Checks a campaign before anything is stored; field names are paths into the campaign model.</summary>
public static class CampaignValidation
{
    /// <summary>FCM refuses these data keys (PROTOCOLS 1.3).</summary>
    public static bool IsReservedDataKey(string key) =>
        key is "from" or "message_type" or "notification" or "gcm" || key.StartsWith("google.", StringComparison.Ordinal)
        || key.StartsWith("gcm.", StringComparison.Ordinal) || key == "deliveryId";

    public static void Validate(string? name, AudienceSpec audience, CampaignMessage message, DeliveryOptions options,
        CampaignSchedule schedule, int? throttlePerMinute, DateTime nowUtc, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(name)) errors.Add("name", "Give the campaign a name (it is shown in the campaigns list).");
        else if (name.Length > 200) errors.Add("name", "Keep the name under 200 characters.");

        if (!audience.HasFilter) errors.Add("audience", "Choose who gets it: everyone, a saved segment, tags, user ids, installation ids or attendees of agenda sessions.");
        if (audience.InstallationIds is { Count: > 10_000 } || audience.UserIds is { Count: > 10_000 })
            errors.Add("audience", "List at most 10,000 ids; use tags or a segment for larger audiences.");
        if (audience.FavoritedSessionIds is { Count: > 1000 } || audience.CheckedInSessionIds is { Count: > 1000 })
            errors.Add("audience", "List at most 1,000 sessions; use a track in a segment for more.");

        ValidateMessage(message, options, errors);
        Interactive.ActionRules.Check(message, options, errors);
        PushChecks.Check(audience, message, options, errors);
        ScheduleHorizon.Check(schedule, nowUtc, errors);
        AbTestValidation.Validate(message, schedule, errors);

        if (options.TtlSeconds < 0 || options.TtlSeconds > DeliveryOptions.MaxTtlSeconds)
            errors.Add("options.ttlSeconds", "The time to live is between 0 seconds and 28 days (2,419,200 s).");
        if (options.Category is { } category && !Devices.Preferences.IsKey(category))
            errors.Add("options.category", "A category is a key such as program_changes (1 to 64 letters, digits, '_', '-' or '.').");
        if (options.PushType == PushType.Background && options.Priority == PushPriority.High)
            errors.Add("options.priority", "Background pushes must use normal priority (APNs requires priority 5 for them).");
        if (throttlePerMinute is <= 0 or > 10_000_000)
            errors.Add("throttlePerMinute", "A throttle is between 1 and 10,000,000 messages per minute (leave it empty for no throttle).");

        switch (schedule)
        {
            case AtSchedule { At: var at } when at < nowUtc.AddMinutes(-1):
                errors.Add("schedule.at", "That time is in the past.");
                break;
            case LocalTimeSchedule { LocalTime: var local } when local < nowUtc.AddHours(-14):
                errors.Add("schedule.localTime", "That time is already past in every time zone.");
                break;
            case BestTimeSchedule { BackupLocalTime: { } backup } when backup < nowUtc.AddHours(-14):
                errors.Add("schedule.backupTime", "The backup time is already past in every time zone.");
                break;
        }
    }

    private static void ValidateMessage(CampaignMessage message, DeliveryOptions options, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(message.DefaultLanguage) || !Languages.IsValidTag(message.DefaultLanguage))
            errors.Add("message.defaultLanguage", "Choose the default language (a tag such as en or fr).");
        var variants = message.Variants;
        if (variants.Count == 0) { errors.Add("message.variants", "Write the message."); return; }
        var senders = variants.Where(v => !v.IsControl).ToList();
        if (senders.Count == 0) errors.Add("message.variants", "At least one variant must be sent (only the control group gets nothing).");
        if (senders.Count > 5) errors.Add("message.variants", "An A/B test has at most 5 variants.");
        if (variants.Count > 1 && variants.Sum(v => v.Weight) != 100)
            errors.Add("message.variants", $"Variant weights must add up to 100 (they add up to {variants.Sum(v => v.Weight)}).");
        if (variants.Select(v => v.Key).Distinct(StringComparer.Ordinal).Count() != variants.Count)
            errors.Add("message.variants", "Each variant needs its own key.");
        if (variants.Count > 1 && variants.Any(v => v.Weight <= 0))
            errors.Add("message.variants", "Every variant needs a weight above 0.");

        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            if (variant.IsControl) continue;
            var path = $"message.variants[{i}]";
            if (!variant.Content.TryGetValue(message.DefaultLanguage, out var main))
                errors.Add($"{path}.content.{message.DefaultLanguage}", $"Content in the default language ({message.DefaultLanguage}) is required.");
            foreach (var (language, content) in variant.Content)
            {
                var at = $"{path}.content.{language}";
                if (!Languages.IsValidTag(language)) errors.Add(at, $"\"{language}\" is not a language tag.");
                if (options.PushType == PushType.Alert && string.IsNullOrWhiteSpace(content.Title) && string.IsNullOrWhiteSpace(content.Body))
                    errors.Add($"{at}.body", "A visible push needs a title or a body.");
                if (content.ImageUrl is { } image && !IsHttpsUrl(image)) errors.Add($"{at}.imageUrl", "The image must be an https:// URL.");
                if (content.Link is { Length: > 2000 }) errors.Add($"{at}.link", "Keep the link under 2,000 characters.");
                foreach (var (field, text) in new[] { ("title", content.Title), ("body", content.Body) })
                    foreach (var token in Sending.Dispatch.TimeTokens.Invalid(text))
                        errors.Add($"{at}.{field}", $"{token} is not a time token; write {{time:2026-06-12T08:00:00Z}} (optionally |format|zone).");
                foreach (var key in content.Data?.Keys ?? [])
                    if (IsReservedDataKey(key)) errors.Add($"{at}.data.{key}", $"\"{key}\" is reserved by FCM or by PushConsole; rename it.");
            }
            foreach (var key in variant.Overrides?.Android?.Data?.Keys ?? [])
                if (IsReservedDataKey(key)) errors.Add($"{path}.overrides.android.data.{key}", $"\"{key}\" is reserved by FCM; rename it.");
            if (variant.Overrides?.Web?.Url is { } url && !IsHttpsUrl(url) && !url.StartsWith('/'))
                errors.Add($"{path}.overrides.web.url", "The click target must be an https:// URL or a path.");
            if (variant.Overrides?.Web?.Icon is { } icon && !IsHttpsUrl(icon) && !icon.StartsWith('/'))
                errors.Add($"{path}.overrides.web.icon", "The icon must be an https:// URL or a path.");
        }
        foreach (var key in options.CustomData?.Keys ?? [])
            if (IsReservedDataKey(key)) errors.Add($"options.customData.{key}", $"\"{key}\" is reserved by FCM or by PushConsole; rename it.");
    }

    private static bool IsHttpsUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
