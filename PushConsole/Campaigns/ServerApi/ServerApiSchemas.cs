using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushConsole.Campaigns.ServerApi;

// The shapes below only describe request bodies in the OpenAPI document; bodies are read by PushParser/ScheduleParser,
// which name every field by its path and refuse unknown keys.

[Description("The push object (EngageLab v4): who (to), what (body.notification or body.message), how (body.options).")]
public sealed record PushObjectSchema(
    [property: JsonPropertyName("from"), Description("Free text, e.g. \"push\".")] string? From,
    [property: JsonPropertyName("to"), Description("\"all\", or an object whose filters intersect: registration_id (installation ids), user_id, tag (any), tag_and (all), tag_not (none), segment.")] JsonElement To,
    [property: JsonPropertyName("body")] PushBodySchema Body,
    [property: JsonPropertyName("request_id"), Description("Idempotency key: a repeat within 24 h returns the first answer and sends nothing.")] string? RequestId,
    [property: JsonPropertyName("custom_args"), Description("Added to every payload's data (values as strings).")] Dictionary<string, JsonElement>? CustomArgs);

public sealed record PushBodySchema(
    [property: JsonPropertyName("platform"), Description("\"all\", \"android\", \"ios\", \"web\" or an array of them.")] JsonElement? Platform,
    [property: JsonPropertyName("notification"), Description("A visible push.")] NotificationSchema? Notification,
    [property: JsonPropertyName("message"), Description("A data-only (background) push; msg_content, title and content_type travel as data beside extras.")] MessageSchema? Message,
    [property: JsonPropertyName("options")] PushOptionsSchema? Options);

public sealed record NotificationSchema(
    [property: JsonPropertyName("alert"), Description("The text shown; required.")] string Alert,
    [property: JsonPropertyName("android")] AndroidSchema? Android,
    [property: JsonPropertyName("ios")] IosSchema? Ios,
    [property: JsonPropertyName("web")] WebSchema? Web);

public sealed record AndroidSchema(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("alert")] string? Alert,
    [property: JsonPropertyName("extras"), Description("Delivered as FCM data (values as strings).")] Dictionary<string, JsonElement>? Extras,
    [property: JsonPropertyName("channel_id")] string? ChannelId);

public sealed record IosSchema(
    [property: JsonPropertyName("alert"), Description("A string, or {title, subtitle, body}.")] JsonElement? Alert,
    [property: JsonPropertyName("badge")] int? Badge,
    [property: JsonPropertyName("sound")] string? Sound,
    [property: JsonPropertyName("extras")] Dictionary<string, JsonElement>? Extras,
    [property: JsonPropertyName("thread_id")] string? ThreadId,
    [property: JsonPropertyName("category")] string? Category);

public sealed record WebSchema(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("alert")] string? Alert,
    [property: JsonPropertyName("url"), Description("https:// URL or a path opened on click.")] string? Url,
    [property: JsonPropertyName("icon")] string? Icon);

public sealed record MessageSchema(
    [property: JsonPropertyName("msg_content")] string MsgContent,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("extras")] Dictionary<string, JsonElement>? Extras);

public sealed record PushOptionsSchema(
    [property: JsonPropertyName("plan_id"), Description("A plan created with POST /v4/push_plan; an unknown one is refused.")] string? PlanId,
    [property: JsonPropertyName("time_to_live"), Description("Seconds, 0 to 2,419,200 (28 days); default 86,400.")] int? TimeToLive,
    [property: JsonPropertyName("multi_language"), Description("Language tag → {title, alert}; recipients get their language's text (fr-CA falls back to fr), others the default.")] Dictionary<string, TranslationSchema>? MultiLanguage,
    [property: JsonPropertyName("collapse_id")] string? CollapseId,
    [property: JsonPropertyName("priority"), Description("\"high\" or \"normal\" (data-only messages must be normal).")] string? Priority,
    [property: JsonPropertyName("throttle_per_minute")] int? ThrottlePerMinute);

public sealed record TranslationSchema([property: JsonPropertyName("title")] string? Title, [property: JsonPropertyName("alert")] string? Alert);

[Description("A schedule: name, enabled, one trigger, and the push object sent when it fires.")]
public sealed record ScheduleSchema(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("enabled"), Description("false: stored (its message a draft) but not scheduled. Default true.")] bool? Enabled,
    [property: JsonPropertyName("trigger")] TriggerSchema Trigger,
    [property: JsonPropertyName("push")] PushObjectSchema Push);

public sealed record TriggerSchema(
    [property: JsonPropertyName("single")] SingleTriggerSchema? Single,
    [property: JsonPropertyName("intelligent"), Description("Each recipient at their most active hour within 24 h; those without history at backup_time in their own zone, or at once.")] IntelligentTriggerSchema? Intelligent);

public sealed record SingleTriggerSchema(
    [property: JsonPropertyName("time"), Description("yyyy-MM-dd HH:mm:ss")] string Time,
    [property: JsonPropertyName("zone_type"), Description("1: the time is UTC (default); 2: wall-clock time in each recipient's zone.")] int? ZoneType);

public sealed record IntelligentTriggerSchema(
    [property: JsonPropertyName("backup_time"), Description("yyyy-MM-dd HH:mm:ss, wall-clock time in the recipient's zone.")] string? BackupTime);

public sealed record PlanRequest(
    [property: JsonPropertyName("plan_id")] string? PlanId,
    [property: JsonPropertyName("plan_description")] string? PlanDescription);
