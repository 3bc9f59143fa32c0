using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PushConsole.Devices;
using PushConsole.Sandbox;

namespace PushConsole.Demo;

/// <summary>
/// The demo's attendees holding their phones: every push the sandbox accepts is "received" a moment later, and opened
/// by a share of them after a while, reported through the client events API as a real app does. The share depends on
/// the campaign and variant (a stable hash), so A/B tests have a winner to find.
/// </summary>
public sealed partial class DemoAttendees(ClientEvents events, long appId, IReadOnlyDictionary<string, string> installationByTarget, TimeProvider clock,
    ILogger<DemoAttendees> logger)
{
    private readonly ConcurrentQueue<(DateTimeOffset Due, ClientEventRequest Event)> _pending = new();

    public void Watch(SandboxState sandbox)
    {
        foreach (var provider in sandbox.Providers) provider.Answered += OnAnswered;
    }

    private void OnAnswered(SandboxMessage message)
    {
        if (message.Status is < 200 or >= 300 || message.DeliveryId is not ({ } id and > 0) || message.Payload is null) return;
        if (!installationByTarget.TryGetValue(message.Target, out var installation)) return;
        var campaign = CampaignId().Match(message.Payload) is { Success: true } c ? c.Groups[1].Value : "0";
        var variant = Variant().Match(message.Payload) is { Success: true } v ? v.Groups[1].Value : "A";
        var deliveryId = id.ToString(CultureInfo.InvariantCulture);
        var now = clock.GetUtcNow();
        var random = Random.Shared;
        if (random.NextDouble() < 0.93)
            Add(now.AddSeconds(0.5 + random.NextDouble() * 3), installation, ClientEventTypes.NotificationReceived, deliveryId);
        var actions = ActionIds(message.Payload);
        // a push with buttons asks for an answer: at least 30 % react, and most who react tap a button (a click is also an open)
        var rate = actions.Count > 0 ? Math.Max(0.3, OpenRate(campaign, variant)) : OpenRate(campaign, variant);
        if (random.NextDouble() >= rate) return;
        if (actions.Count > 0 && random.NextDouble() < 0.8)
            Add(now.AddSeconds(3 + random.NextDouble() * 60), installation, ClientEventTypes.NotificationClicked, deliveryId,
                random.NextDouble() < 0.7 ? actions[0] : actions[random.Next(actions.Count)]);
        else Add(now.AddSeconds(3 + random.NextDouble() * 60), installation, ClientEventTypes.NotificationOpened, deliveryId);
    }

    /// <summary>Between 10 % and 45 %, fixed per campaign and variant.</summary>
    public static double OpenRate(string campaign, string variant)
    {
        var hash = 17u;
        foreach (var ch in campaign + "/" + variant) hash = unchecked(hash * 31 + ch);
        return 0.10 + 0.35 * (hash % 1000) / 1000.0;
    }

    private void Add(DateTimeOffset due, string installation, string type, string deliveryId, string? actionId = null) =>
        _pending.Enqueue((due, new ClientEventRequest { InstallationId = installation, Type = type, DeliveryId = deliveryId, At = due, ActionId = actionId }));

    /// <summary>
    /// Button ids in any payload, read as JSON: APNs' <c>actions[].id</c>, Web Push's <c>actions[].action</c>, FCM's
    /// <c>message.data.actions</c> (JSON text in a string, its quotes escaped however the sender chose).
    /// </summary>
    public static IReadOnlyList<string> ActionIds(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var ids = new List<string>();
            Collect(document.RootElement, ids);
            return ids.Distinct(StringComparer.Ordinal).ToList();
        }
        catch (JsonException) { return []; }
    }

    private static void Collect(JsonElement element, List<string> ids)
    {
        if (element.ValueKind != JsonValueKind.Object) return;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("actions"))
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    using var inner = JsonDocument.Parse(property.Value.GetString()!);
                    Buttons(inner.RootElement, ids);
                }
                else Buttons(property.Value, ids);
            }
            else Collect(property.Value, ids);
        }
    }

    private static void Buttons(JsonElement actions, List<string> ids)
    {
        if (actions.ValueKind != JsonValueKind.Array) return;
        foreach (var action in actions.EnumerateArray())
            if (action.ValueKind == JsonValueKind.Object
                && (action.TryGetProperty("id", out var id) || action.TryGetProperty("action", out id)) && id.GetString() is { Length: > 0 } value)
                ids.Add(value);
    }

    /// <summary>Reports what is due twice a second, in batches, until stopped.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var waiting = new List<(DateTimeOffset Due, ClientEventRequest Event)>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                while (_pending.TryDequeue(out var item)) waiting.Add(item);
                var now = clock.GetUtcNow();
                var due = waiting.Where(w => w.Due <= now).ToList();
                if (due.Count == 0) continue;
                waiting.RemoveAll(w => w.Due <= now);
                foreach (var chunk in due.Select(d => (ClientEventRequest?)d.Event).Chunk(ClientEvents.MaxPerRequest))
                {
                    try { await events.RecordAsync(appId, chunk, isArray: true); }
                    catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Demo attendees could not report {Count} events", chunk.Length); }
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    [GeneratedRegex("\"campaignId\"\\s*:\\s*\"(\\d+)\"")]
    private static partial Regex CampaignId();

    [GeneratedRegex("\"variant\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex Variant();
}
