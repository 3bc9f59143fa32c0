using System.Globalization;
using System.Text.Json;
using PushConsole.Api;
using PushConsole.Sending.Providers;
using PushConsole.Devices;
using static PushConsole.Campaigns.ServerApi.ServerApiJson;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>An EngageLab push object, read into the campaign model (who, what, how), plus what the API itself uses.</summary>
public sealed record ParsedPush
{
    public required AudienceSpec Audience { get; init; }
    public required CampaignMessage Message { get; init; }
    public required DeliveryOptions Options { get; init; }
    public int? ThrottlePerMinute { get; init; }
    public string? PlanKey { get; init; }
    public string? RequestId { get; init; }
    /// <summary>The text shown (alert or msg_content), for the campaign's name in the console.</summary>
    public string? Text { get; init; }
    /// <summary>Languages that came from <c>options.multi_language</c> (to name their fields in errors).</summary>
    public IReadOnlySet<string> Translations { get; init; } = new HashSet<string>();
    /// <summary>Where the push object sits in the request: "" for /v4/push, "push" inside a schedule.</summary>
    public string Prefix { get; init; } = "";
}

/// <summary>
/// Reads the push object of <c>/v4/push</c> and of a schedule. Only the shape is checked here; what the campaign model
/// checks (TTL range, plan existence, reserved keys, language tags…) is left to <see cref="CampaignService"/>, whose
/// field names <see cref="PushErrors"/> translates back to these paths.
/// </summary>
public static class PushParser
{
    public const int MaxRequestId = 128;
    private static readonly string[] RootKeys = ["from", "to", "body", "request_id", "custom_args"];
    private static readonly string[] AudienceKeys = ["registration_id", "user_id", "tag", "tag_and", "tag_not", "segment"];
    private static readonly string[] BodyKeys = ["platform", "notification", "message", "options"];
    private static readonly string[] NotificationKeys = ["alert", "url", "actions", "android", "ios", "web"];
    private static readonly string[] AndroidKeys = ["alert", "title", "extras", "channel_id"];
    private static readonly string[] IosKeys = ["alert", "badge", "sound", "extras", "thread_id", "category"];
    private static readonly string[] IosAlertKeys = ["title", "subtitle", "body"];
    private static readonly string[] WebKeys = ["alert", "title", "url", "icon"];
    private static readonly string[] MessageKeys = ["msg_content", "title", "content_type", "extras"];
    private static readonly string[] OptionKeys = ["plan_id", "time_to_live", "multi_language", "collapse_id", "priority", "throttle_per_minute", "conversion", "devices"];
    private static readonly string[] TranslationKeys = ["title", "alert", "actions"];

    public static ParsedPush? Parse(JsonElement push, string prefix, string defaultLanguage, FieldErrors errors)
    {
        if (!IsObject(push, prefix.Length == 0 ? "body" : prefix, errors, "the push: to, body, request_id, custom_args")) return null;
        OnlyKnown(push, prefix, errors, RootKeys);
        if (Get(push, "from") is { ValueKind: not JsonValueKind.String }) errors.Add(Path(prefix, "from"), "from is a string such as \"push\".");
        var requestId = String(push, "request_id", prefix, errors, MaxRequestId);
        if (requestId is { Length: 0 }) errors.Add(Path(prefix, "request_id"), "request_id must not be empty (leave it out instead).");
        var customArgs = StringMap(push, "custom_args", prefix, errors);

        var audience = Audience(push, Path(prefix, "to"), errors);
        var bodyPath = Path(prefix, "body");
        if (Get(push, "body") is not { } body) { errors.Add(bodyPath, "body is required: platform, notification or message, options."); return null; }
        if (!IsObject(body, bodyPath, errors, "platform, notification or message, options")) return null;
        OnlyKnown(body, bodyPath, errors, BodyKeys);
        var platforms = Platforms(body, Path(bodyPath, "platform"), errors);
        var options = Get(body, "options") is { } o && IsObject(o, Path(bodyPath, "options"), errors, "plan_id, time_to_live, …") ? o : default;
        var optionsPath = Path(bodyPath, "options");
        if (options.ValueKind == JsonValueKind.Object)
            OnlyKnown(options, optionsPath, errors, OptionKeys,
                options.TryGetProperty("apns_production", out _) ? "Each iOS device is sent to the APNs environment it registered with (apnsEnvironment)." : null);

        var notification = Get(body, "notification");
        var message = Get(body, "message");
        if (notification is null && message is null)
            errors.Add(Path(bodyPath, "notification"), "Send a notification (visible) or a message (data-only, background).");
        if (notification is not null && message is not null)
            errors.Add(Path(bodyPath, "message"), "Send either notification (visible) or message (data-only), not both in one push.");

        var translations = Translations(options, optionsPath, errors);
        if (message is not null && translations.Count > 0)
            errors.Add(Path(optionsPath, "multi_language"), "multi_language translates notification text; a data-only message has none.");
        CampaignVariant? variant = null;
        string? text = null;
        var type = message is not null && notification is null ? PushType.Background : PushType.Alert;
        if (notification is { } n && message is null) variant = Notification(n, Path(bodyPath, "notification"), defaultLanguage, translations, errors, out text);
        else if (message is { } m && notification is null) variant = DataMessage(m, Path(bodyPath, "message"), defaultLanguage, errors, out text);

        var priority = String(options, "priority", optionsPath, errors, 10) switch
        {
            null => type == PushType.Background ? PushPriority.Normal : PushPriority.High,
            "high" => PushPriority.High,
            "normal" => PushPriority.Normal,
            _ => Report(errors, Path(optionsPath, "priority"), "priority is \"high\" or \"normal\".", PushPriority.High),
        };
        var ttl = Integer(options, "time_to_live", optionsPath, errors, "seconds");
        var result = new ParsedPush
        {
            Audience = (audience ?? new AudienceSpec()) with { Platforms = platforms },
            Message = new CampaignMessage { DefaultLanguage = defaultLanguage, Variants = variant is null ? [] : [variant] },
            Options = new DeliveryOptions
            {
                PushType = type,
                Priority = priority,
                TtlSeconds = ttl ?? 86_400,
                CollapseId = String(options, "collapse_id", optionsPath, errors, 200),
                CustomData = customArgs,
                Conversion = Interactive.PushParts.Conversion(options, optionsPath, errors),
                Devices = Interactive.PushParts.Devices(options, optionsPath, errors),
            },
            ThrottlePerMinute = Integer(options, "throttle_per_minute", optionsPath, errors, "messages per minute"),
            PlanKey = String(options, "plan_id", optionsPath, errors, 100),
            RequestId = requestId,
            Text = text,
            Translations = translations.Keys.ToHashSet(StringComparer.Ordinal),
            Prefix = prefix,
        };
        return errors.Any ? null : result;
    }

    private static T Report<T>(FieldErrors errors, string path, string message, T fallback)
    {
        errors.Add(path, message);
        return fallback;
    }

    /// <summary><c>"all"</c> or an object whose filters intersect.</summary>
    private static AudienceSpec? Audience(JsonElement push, string path, FieldErrors errors)
    {
        if (Get(push, "to") is not { } to)
        {
            errors.Add(path, "to is required: \"all\" or an object with registration_id, user_id, tag, tag_and, tag_not, segment.");
            return null;
        }
        if (to.ValueKind == JsonValueKind.String)
        {
            if (to.GetString() == "all") return AudienceSpec.Everyone;
            errors.Add(path, "to is \"all\" or an object with registration_id, user_id, tag, tag_and, tag_not, segment.");
            return null;
        }
        if (!IsObject(to, path, errors, "\"all\" or registration_id, user_id, tag, tag_and, tag_not, segment")) return null;
        OnlyKnown(to, path, errors, AudienceKeys);
        if (!to.EnumerateObject().Any()) errors.Add(path, "to names nobody; give registration_id, user_id, tag, tag_and, tag_not or segment (or \"all\").");
        long? segmentId = null;
        if (to.TryGetProperty("segment", out var segment))
        {
            // EngageLab sends ids as strings; a number is taken too
            if (segment.ValueKind == JsonValueKind.String && long.TryParse(segment.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                || segment.ValueKind == JsonValueKind.Number && segment.TryGetInt64(out id) && id > 0)
                segmentId = id;
            else
                errors.Add(Path(path, "segment"), "segment is the id of one of the app's saved segments (\"7\"); GET /v4/segments lists them.");
        }
        return new AudienceSpec
        {
            SegmentId = segmentId,
            InstallationIds = StringList(to, "registration_id", path, errors, InstallationConfiguration.MaxExternalId, "installation ids"),
            UserIds = StringList(to, "user_id", path, errors, 128, "user ids"),
            TagsAny = StringList(to, "tag", path, errors, InstallationTagConfiguration.MaxTag, "tags"),
            TagsAll = StringList(to, "tag_and", path, errors, InstallationTagConfiguration.MaxTag, "tags"),
            TagsNone = StringList(to, "tag_not", path, errors, InstallationTagConfiguration.MaxTag, "tags"),
        };
    }

    /// <summary><c>"all"</c>, one platform, or an array of them; null = every platform.</summary>
    private static IReadOnlyList<Platform>? Platforms(JsonElement body, string path, FieldErrors errors)
    {
        const string Expected = "platform is \"all\", \"android\", \"ios\", \"web\" or an array of them.";
        if (Get(body, "platform") is not { } value) return null;
        var names = value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : "").ToList(),
            _ => null,
        };
        if (names is null || names.Count == 0) { errors.Add(path, Expected); return null; }
        if (names.Contains("all")) return null;
        var platforms = new List<Platform>();
        foreach (var name in names)
            if (PlatformNames.ParsePlatform(name) is { } platform) platforms.Add(platform);
            else errors.Add(path, $"\"{name}\" is not a platform. {Expected}");
        return platforms.Distinct().ToList();
    }

    private static Dictionary<string, LocalizedContent> Translations(JsonElement options, string path, FieldErrors errors)
    {
        var result = new Dictionary<string, LocalizedContent>(StringComparer.Ordinal);
        var at = Path(path, "multi_language");
        if (Get(options, "multi_language") is not { } languages) return result;
        if (!IsObject(languages, at, errors, "language tag → {title, alert}")) return result;
        foreach (var language in languages.EnumerateObject())
        {
            var entry = Path(at, language.Name);
            if (!IsObject(language.Value, entry, errors, "title and alert")) continue;
            OnlyKnown(language.Value, entry, errors, TranslationKeys);
            result[language.Name] = new LocalizedContent
            {
                Title = String(language.Value, "title", entry, errors, 500),
                Body = String(language.Value, "alert", entry, errors, 4000),
                ActionTitles = Interactive.PushParts.ActionTitles(language.Value, entry, errors),
            };
        }
        return result;
    }

    private static CampaignVariant? Notification(JsonElement n, string path, string defaultLanguage, Dictionary<string, LocalizedContent> translations,
        FieldErrors errors, out string? alert)
    {
        alert = null;
        if (!IsObject(n, path, errors, "alert and per-platform android, ios, web")) return null;
        OnlyKnown(n, path, errors, NotificationKeys);
        alert = String(n, "alert", path, errors, 4000, required: true);
        var url = String(n, "url", path, errors, Interactive.ActionRules.MaxUrl);
        var actions = Interactive.PushParts.Actions(n, path, errors);
        var content = new Dictionary<string, LocalizedContent>(StringComparer.Ordinal) { [defaultLanguage] = new() { Body = alert, Link = url } };
        // a translation fills in what it does not give from the default text
        foreach (var (language, translated) in translations)
            content[language] = translated with { Body = translated.Body ?? alert, Link = url };

        AndroidOverrides? android = null;
        if (Get(n, "android") is { } a && IsObject(a, Path(path, "android"), errors, "title, alert, extras, channel_id"))
        {
            var at = Path(path, "android");
            OnlyKnown(a, at, errors, AndroidKeys);
            android = new AndroidOverrides
            {
                Title = String(a, "title", at, errors, 500), Body = String(a, "alert", at, errors, 4000),
                Data = StringMap(a, "extras", at, errors), ChannelId = String(a, "channel_id", at, errors, 200),
            };
        }
        IosOverrides? ios = null;
        if (Get(n, "ios") is { } i && IsObject(i, Path(path, "ios"), errors, "alert, badge, sound, extras, thread_id, category"))
        {
            var at = Path(path, "ios");
            OnlyKnown(i, at, errors, IosKeys);
            string? title = null, subtitle = null, body = null;
            if (Get(i, "alert") is { ValueKind: JsonValueKind.Object } alertObject)
            {
                OnlyKnown(alertObject, Path(at, "alert"), errors, IosAlertKeys);
                title = String(alertObject, "title", Path(at, "alert"), errors, 500);
                subtitle = String(alertObject, "subtitle", Path(at, "alert"), errors, 500);
                body = String(alertObject, "body", Path(at, "alert"), errors, 4000);
            }
            else body = String(i, "alert", at, errors, 4000);
            ios = new IosOverrides
            {
                Title = title, Subtitle = subtitle, Body = body, Badge = Integer(i, "badge", at, errors, "unread items"),
                Sound = String(i, "sound", at, errors, 200), Data = StringMap(i, "extras", at, errors),
                ThreadId = String(i, "thread_id", at, errors, 200), Category = String(i, "category", at, errors, 200),
            };
        }
        WebOverrides? web = null;
        if (Get(n, "web") is { } w && IsObject(w, Path(path, "web"), errors, "title, alert, url, icon"))
        {
            var at = Path(path, "web");
            OnlyKnown(w, at, errors, WebKeys);
            web = new WebOverrides
            {
                Title = String(w, "title", at, errors, 500), Body = String(w, "alert", at, errors, 4000),
                Url = String(w, "url", at, errors, 2000), Icon = String(w, "icon", at, errors, 2000),
            };
        }
        return new CampaignVariant
        {
            Key = "A",
            Content = content,
            Actions = actions,
            Overrides = android is null && ios is null && web is null ? null : new PlatformOverrides { Android = android, Ios = ios, Web = web },
        };
    }

    /// <summary>A data-only message: msg_content (and title, content_type) travel as data beside the extras, as JPush SDKs read them.</summary>
    private static CampaignVariant? DataMessage(JsonElement m, string path, string defaultLanguage, FieldErrors errors, out string? text)
    {
        text = null;
        if (!IsObject(m, path, errors, "msg_content, title, content_type, extras")) return null;
        OnlyKnown(m, path, errors, MessageKeys);
        text = String(m, "msg_content", path, errors, 4000, required: true);
        var data = StringMap(m, "extras", path, errors) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is not null) data["msg_content"] = text;
        if (String(m, "title", path, errors, 500) is { } title) data["title"] = title;
        if (String(m, "content_type", path, errors, 100) is { } contentType) data["content_type"] = contentType;
        return new CampaignVariant
        {
            Key = "A",
            Content = new Dictionary<string, LocalizedContent>(StringComparer.Ordinal) { [defaultLanguage] = new() { Data = data } },
        };
    }
}
