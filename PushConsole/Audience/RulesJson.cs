using System.Globalization;
using System.Text.Json;
using PushConsole.Api;

namespace PushConsole.Audience;

/// <summary>
/// The stored and wire form of a rule tree:
/// <c>{"version":1,"root":{"match":"all","not":false,"rules":[{"field":"tags","operator":"has_any","value":["vip"]}, {"match":"any","rules":[…]}]}}</c>.
/// Reading collects every problem with its JSON path (<c>rules.root.rules[2].value</c>); the meaning is checked by <see cref="SegmentValidation"/>.
/// </summary>
public static class RulesJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public static string Write(SegmentRules rules)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", rules.Version);
            writer.WritePropertyName("root");
            WriteGroup(writer, rules.Root);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static JsonElement ToElement(SegmentRules rules) => JsonDocument.Parse(Write(rules)).RootElement.Clone();

    /// <summary>Reads stored rules (already valid when saved); throws on anything unreadable.</summary>
    public static SegmentRules Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new FieldErrors();
        var rules = Read(document.RootElement, errors, "rules");
        errors.ThrowIfAny();
        // stored rules were checked when saved; the console may change an operator and its value's shape afterwards
        ForgetShapes(rules!.Root);
        return rules;
    }

    private static void ForgetShapes(RuleNode node)
    {
        if (node is RuleCondition c) c.Shape = ValueShape.Unknown;
        else if (node is RuleGroup g) foreach (var child in g.Rules) ForgetShapes(child);
    }

    public static SegmentRules? Read(JsonElement element, FieldErrors errors, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) { errors.Add(path, "rules must be an object: {\"version\": 1, \"root\": {\"match\": \"all\", \"rules\": […]}}."); return null; }
        var rules = new SegmentRules();
        foreach (var property in element.EnumerateObject())
            switch (property.Name)
            {
                case "version":
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var version))
                        errors.Add($"{path}.version", "version must be a whole number.");
                    else if (version != SegmentRules.CurrentVersion)
                        errors.Add($"{path}.version", $"Rules version {version} is not known; this server reads version {SegmentRules.CurrentVersion}.");
                    break;
                case "root":
                    if (ReadNode(property.Value, errors, $"{path}.root", 1) is RuleGroup root) rules.Root = root;
                    else if (!errors.Has($"{path}.root")) errors.Add($"{path}.root", "root must be a group: {\"match\": \"all\", \"rules\": […]}.");
                    break;
                default:
                    errors.Add($"{path}.{property.Name}", $"Unknown property \"{property.Name}\"; rules have version and root.");
                    break;
            }
        return rules;
    }

    private static RuleNode? ReadNode(JsonElement element, FieldErrors errors, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object) { errors.Add(path, "A rule is an object: a condition {\"field\", \"operator\", \"value\"} or a group {\"match\", \"rules\"}."); return null; }
        return element.TryGetProperty("rules", out _) || element.TryGetProperty("match", out _)
            ? ReadGroup(element, errors, path, depth)
            : ReadCondition(element, errors, path);
    }

    private static RuleGroup? ReadGroup(JsonElement element, FieldErrors errors, string path, int depth)
    {
        if (depth > SegmentRules.MaxDepth)
        {
            errors.Add(path, $"Groups are nested more than {SegmentRules.MaxDepth} deep; flatten the rules.");
            return null;
        }
        var group = new RuleGroup();
        foreach (var property in element.EnumerateObject())
            switch (property.Name)
            {
                case "match":
                    var match = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (match == "all") group.Match = GroupMatch.All;
                    else if (match == "any") group.Match = GroupMatch.Any;
                    else errors.Add($"{path}.match", "match is \"all\" (AND) or \"any\" (OR).");
                    break;
                case "not":
                    if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) group.Not = property.Value.GetBoolean();
                    else errors.Add($"{path}.not", "not is true or false.");
                    break;
                case "rules":
                    if (property.Value.ValueKind != JsonValueKind.Array) { errors.Add($"{path}.rules", "rules must be an array of conditions and groups."); break; }
                    var i = 0;
                    foreach (var child in property.Value.EnumerateArray())
                    {
                        if (ReadNode(child, errors, $"{path}.rules[{i}]", depth + 1) is { } node) group.Rules.Add(node);
                        i++;
                    }
                    break;
                default:
                    errors.Add($"{path}.{property.Name}", $"Unknown property \"{property.Name}\"; a group has match, not and rules.");
                    break;
            }
        return group;
    }

    private static RuleCondition ReadCondition(JsonElement element, FieldErrors errors, string path)
    {
        var condition = new RuleCondition();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            var field = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "field" or "operator" or "name":
                    if (value.ValueKind == JsonValueKind.Null && property.Name == "name") break;
                    if (value.ValueKind != JsonValueKind.String) { errors.Add(field, $"{property.Name} must be a string."); break; }
                    if (property.Name == "field") condition.Field = value.GetString()!;
                    else if (property.Name == "operator") condition.Operator = value.GetString()!;
                    else condition.Name = value.GetString();
                    break;
                case "value":
                    if (ReadValues(value) is { } values)
                    {
                        condition.Values = values;
                        condition.Shape = value.ValueKind switch { JsonValueKind.Array => ValueShape.List, JsonValueKind.Null => ValueShape.Unknown, _ => ValueShape.Scalar };
                    }
                    else errors.Add(field, "value must be a string, a number or an array of them.");
                    break;
                case "days":
                    if (value.ValueKind == JsonValueKind.Null) break;
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var days)) condition.Days = days;
                    else errors.Add(field, "days must be a whole number.");
                    break;
                default:
                    errors.Add(field, $"Unknown property \"{property.Name}\"; a condition has field, name, operator, value and days.");
                    break;
            }
        }
        return condition;
    }

    private static List<string>? ReadValues(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null: return [];
            case JsonValueKind.String: return [value.GetString()!];
            case JsonValueKind.Number: return [value.GetRawText()];
            case JsonValueKind.Array:
                var list = new List<string>();
                foreach (var item in value.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String) list.Add(item.GetString()!);
                    else if (item.ValueKind == JsonValueKind.Number) list.Add(item.GetRawText());
                    else return null;
                return list;
            default: return null;
        }
    }

    private static void WriteGroup(Utf8JsonWriter writer, RuleGroup group)
    {
        writer.WriteStartObject();
        writer.WriteString("match", group.Match == GroupMatch.Any ? "any" : "all");
        if (group.Not) writer.WriteBoolean("not", true);
        writer.WriteStartArray("rules");
        foreach (var rule in group.Rules)
            if (rule is RuleGroup g) WriteGroup(writer, g);
            else WriteCondition(writer, (RuleCondition)rule);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteCondition(Utf8JsonWriter writer, RuleCondition c)
    {
        writer.WriteStartObject();
        writer.WriteString("field", c.Field);
        if (c.Name is not null) writer.WriteString("name", c.Name);
        writer.WriteString("operator", c.Operator);
        var kind = SegmentFields.Find(c.Field)?.Find(c.Operator)?.Kind;
        switch (kind)
        {
            case ValueKind.None: break;
            case ValueKind.Number or ValueKind.Count or ValueKind.Days or ValueKind.Hours when c.Values.Count == 1 && IsNumber(c.Values[0]):
                writer.WritePropertyName("value");
                writer.WriteRawValue(Normalize(c.Values[0]));
                break;
            case ValueKind.NumberRange when c.Values.All(IsNumber):
                writer.WriteStartArray("value");
                foreach (var v in c.Values) writer.WriteRawValue(Normalize(v));
                writer.WriteEndArray();
                break;
            case ValueKind.Text or ValueKind.Version or ValueKind.Date or ValueKind.Number or ValueKind.Count or ValueKind.Days or ValueKind.Hours or ValueKind.Track when c.Values.Count == 1:
                writer.WriteString("value", c.Values[0]);
                break;
            default:
                writer.WriteStartArray("value");
                foreach (var v in c.Values) writer.WriteStringValue(v);
                writer.WriteEndArray();
                break;
        }
        if (c.Days is { } days) writer.WriteNumber("days", days);
        writer.WriteEndObject();
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);

    private static string Normalize(string number) =>
        double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
}
