using System.Text.Json;
using PushConsole.Api;
using PushConsole.Sending;
using static PushConsole.Campaigns.ServerApi.ServerApiJson;

namespace PushConsole.Campaigns.Interactive;

/// <summary>
/// Reads the interactive parts of a push object (<c>notification.actions</c>, <c>multi_language.xx.actions</c>,
/// <c>options.conversion</c>, <c>options.devices</c>). Only the shape is checked here; <see cref="ActionRules"/> checks the rest.
/// </summary>
public static class PushParts
{
    private static readonly string[] ActionKeys = ["id", "title", "url"];
    private static readonly string[] ConversionKeys = ["event", "within_seconds"];

    public static IReadOnlyList<PushAction>? Actions(JsonElement notification, string path, FieldErrors errors)
    {
        var at = Path(path, "actions");
        if (Get(notification, "actions") is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Array) { errors.Add(at, "actions is an array of up to 3 buttons: {\"id\", \"title\", \"url\"}."); return null; }
        var list = new List<PushAction>();
        var j = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{at}[{j++}]";
            if (!IsObject(item, itemPath, errors, "id, title, url")) continue;
            OnlyKnown(item, itemPath, errors, ActionKeys);
            var id = String(item, "id", itemPath, errors, 100, required: true);
            var title = String(item, "title", itemPath, errors, 500, required: true);
            var url = String(item, "url", itemPath, errors, ActionRules.MaxUrl);
            // keep a placeholder for a button whose parts were refused, so later indexes still name the caller's own items
            list.Add(new PushAction { Id = id ?? "", Title = title ?? "", Url = url });
        }
        return list;
    }

    /// <summary><c>{"going": "J'y vais"}</c>: a button id → its title in this language.</summary>
    public static IReadOnlyDictionary<string, string>? ActionTitles(JsonElement translation, string path, FieldErrors errors)
    {
        var at = Path(path, "actions");
        if (Get(translation, "actions") is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Object) { errors.Add(at, "actions is an object of button id → title in this language, e.g. {\"going\": \"J'y vais\"}."); return null; }
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) { errors.Add(Path(at, property.Name), "A translated button title is a string."); continue; }
            titles[property.Name] = property.Value.GetString()!;
        }
        return titles;
    }

    public static ConversionGoal? Conversion(JsonElement options, string path, FieldErrors errors)
    {
        var at = Path(path, "conversion");
        if (Get(options, "conversion") is not { } value) return null;
        if (!IsObject(value, at, errors, "event, within_seconds")) return null;
        OnlyKnown(value, at, errors, ConversionKeys);
        var name = String(value, "event", at, errors, 100, required: true);
        var within = Integer(value, "within_seconds", at, errors, "seconds");
        return name is null ? null : new ConversionGoal { Event = name, WithinSeconds = within ?? 86_400 };
    }

    public static DeviceChoice Devices(JsonElement options, string path, FieldErrors errors) =>
        String(options, "devices", path, errors, 20) switch
        {
            null or "all" => DeviceChoice.All,
            "last_active" => DeviceChoice.LastActive,
            _ => Report(errors, Path(path, "devices")),
        };

    private static DeviceChoice Report(FieldErrors errors, string path)
    {
        errors.Add(path, "devices is \"all\" (every device of each user) or \"last_active\" (only the device each user used last).");
        return DeviceChoice.All;
    }
}
