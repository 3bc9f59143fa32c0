using System.Text.Json;
using PushConsole.Api;

namespace PushConsole.Devices;

/// <summary>
/// A feature that derives something from client events as they are stored (the activity profile behind best-time sends),
/// inside the same batch transaction. Register with <c>services.AddSingleton&lt;IClientEventSink, T&gt;()</c>.
/// </summary>
public interface IClientEventSink
{
    Task OnStoredAsync(RegistryTx tx, long appId, IReadOnlyList<StoredClientEvent> events);
}

/// <summary>
/// A feature that vets events of its own kinds before they are stored (geofences: unknown ids, location consent, cooldowns;
/// clicks: the action the push carried). Runs inside the storing transaction, before the insert. Register with
/// <c>services.AddSingleton&lt;IClientEventFilter, T&gt;()</c>.
/// </summary>
public interface IClientEventFilter
{
    /// <summary>May add errors under each event's <see cref="VettedClientEvent.Field"/> prefix (then nothing of the request is stored), drop an event, or mark it quiet.</summary>
    Task FilterAsync(RegistryTx tx, long appId, IReadOnlyList<VettedClientEvent> events, FieldErrors errors);
}

/// <summary>An event on its way in: <see cref="Field"/> is its error prefix (<c>"[3]."</c> in an array, <c>""</c> alone).</summary>
public sealed class VettedClientEvent(StoredClientEvent @event, string field)
{
    public StoredClientEvent Event { get; set; } = @event;
    public string Field { get; } = field;
    /// <summary>Not stored and not seen by sinks (e.g. a transition from a user without location consent).</summary>
    public bool Drop { get; set; }
    /// <summary>Refused on its own (e.g. a click on a button the push did not carry): not stored, reported in a 400 under <c>Field + field</c>, while the request's other events are stored.</summary>
    public (string Field, string Message)? Refusal { get; private set; }

    public void Refuse(string field, string message)
    {
        Refusal = (Field + field, message);
        Drop = true;
    }
}

/// <summary>
/// One thing an attendee did, as the features that react to it see it (best time, automations, the game, geofence stats):
/// the installation's row id (null for user-level agenda events), its user's row id (if any), type and time (UTC).
/// </summary>
public sealed record StoredClientEvent(long? InstallationId, long? UserId, string Type, DateTime At)
{
    /// <summary>The app's id of the installation (external id), when the event came from a device.</summary>
    public string? InstallationExternalId { get; init; }
    /// <summary>The app's id of the user (external id), when known.</summary>
    public string? UserExternalId { get; init; }
    /// <summary>Custom event name.</summary>
    public string? Name { get; init; }
    /// <summary>The push's delivery row id (receipts, opens, dismissals, clicks).</summary>
    public long? DeliveryId { get; init; }
    /// <summary>The action button tapped (<c>notification_clicked</c>; null = the body).</summary>
    public string? ActionId { get; init; }
    /// <summary>The geofence of a transition.</summary>
    public string? GeofenceId { get; init; }
    /// <summary>How long the device stayed (<c>geofence_exited</c>, <c>geofence_dwelled</c>).</summary>
    public int? DwellSeconds { get; init; }
    /// <summary>The agenda session's external id (<c>session_checked_in</c>, <c>session_favorited</c>).</summary>
    public string? SessionId { get; init; }
    /// <summary>The event's <c>properties</c> object as JSON text.</summary>
    public string? Properties { get; init; }
    /// <summary>Recorded but triggers nothing (a geofence transition inside its cooldown): sinks that react skip it.</summary>
    public bool Quiet { get; init; }
}

/// <summary>Stores what apps report through <c>POST /api/v1/events</c>, batched through the registry writer.</summary>
public sealed class ClientEvents(RegistryWriter writer, IEnumerable<IClientEventFilter> filters, IEnumerable<IClientEventSink> sinks, TimeProvider clock)
{
    public const int MaxPerRequest = 500;

    private sealed record ValidEvent(string InstallationId, string Type, string? DeliveryId, string? Name, DateTime At, string? Properties,
        string? ActionId, string? GeofenceId, int? DwellSeconds);

    /// <summary>Validates every event (fields named <c>[i].field</c> in an array), then stores all or none.</summary>
    public async Task<int> RecordAsync(long appId, IReadOnlyList<ClientEventRequest?> events, bool isArray)
    {
        var errors = new FieldErrors();
        if (events.Count == 0) errors.Add("body", "Send one event object or a non-empty array of them.");
        if (events.Count > MaxPerRequest) errors.Add("body", $"At most {MaxPerRequest} events per request; got {events.Count}.");
        errors.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        var valid = new List<ValidEvent>(events.Count);
        for (var n = 0; n < events.Count; n++)
        {
            var prefix = isArray ? $"[{n}]." : "";
            var e = events[n];
            if (e is null) { errors.Add($"[{n}]", "Each event is a JSON object."); continue; }
            var id = DeviceValidation.ExternalId(errors, prefix + "installationId", e.InstallationId, InstallationConfiguration.MaxExternalId);
            if (e.Type is null || !ClientEventTypes.All.Contains(e.Type))
                errors.Add(prefix + "type", $"type is one of {string.Join(", ", ClientEventTypes.All)}.");
            var deliveryId = DeviceValidation.Text(errors, prefix + "deliveryId", e.DeliveryId, 64);
            // the payload's deliveryId is a delivery row id; anything else cannot name a delivery and is a client bug worth seeing
            if (deliveryId is not null && !long.TryParse(deliveryId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                errors.Add(prefix + "deliveryId", "deliveryId is the push payload's deliveryId as sent (digits, e.g. \"1234\").");
            var name = DeviceValidation.Text(errors, prefix + "name", e.Name, 100);
            var actionId = e.ActionId;
            if (actionId is not null && !ClientEventTypes.IsActionId(actionId))
                errors.Add(prefix + "actionId", "actionId is the id of the tapped button as the push carried it ([a-z0-9_-], 1 to 32 characters).");
            if (e.Type == ClientEventTypes.NotificationClicked && deliveryId is null)
                errors.Add(prefix + "deliveryId", "A click names the push it was on: send the payload's deliveryId.");
            if (actionId is not null && e.Type != ClientEventTypes.NotificationClicked)
                errors.Add(prefix + "actionId", "actionId belongs to notification_clicked events only.");
            var geofenceId = DeviceValidation.Text(errors, prefix + "geofenceId", e.GeofenceId, 64);
            var isTransition = e.Type is ClientEventTypes.GeofenceEntered or ClientEventTypes.GeofenceExited or ClientEventTypes.GeofenceDwelled;
            if (isTransition && string.IsNullOrEmpty(geofenceId)) errors.Add(prefix + "geofenceId", "A geofence transition names its geofenceId.");
            if (!isTransition && geofenceId is not null) errors.Add(prefix + "geofenceId", "geofenceId belongs to geofence_entered, geofence_exited and geofence_dwelled events only.");
            if (e.DwellSeconds is { } dwell && (dwell < 0 || !isTransition))
                errors.Add(prefix + "dwellSeconds", "dwellSeconds is how long the device stayed in the geofence (0 or more), on geofence transitions only.");
            if (e.Type == ClientEventTypes.Custom && string.IsNullOrEmpty(name)) errors.Add(prefix + "name", "A custom event needs a name.");
            var at = e.At?.UtcDateTime ?? now;
            if (at > now.AddDays(1)) errors.Add(prefix + "at", "at is more than a day in the future; send the device's time in UTC (ISO 8601).");
            else if (at < now.AddDays(-30)) errors.Add(prefix + "at", "at is more than 30 days ago; such late events are not accepted.");
            string? properties = null;
            if (e.Properties is { } p && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Object) errors.Add(prefix + "properties", "properties is a JSON object.");
                else if ((properties = p.GetRawText()).Length > ClientEventConfiguration.MaxProperties)
                    errors.Add(prefix + "properties", $"properties is larger than {ClientEventConfiguration.MaxProperties} characters.");
            }
            if (id is not null && e.Type is not null) valid.Add(new ValidEvent(id, e.Type, deliveryId, name, at, properties, actionId, geofenceId, e.DwellSeconds));
        }
        errors.ThrowIfAny();
        IReadOnlyList<StoredClientEvent> stored = [];
        var refused = new FieldErrors();
        var count = await writer.RunAsync(null, async tx =>
        {
            refused = new FieldErrors();
            stored = await StoreAsync(tx, appId, valid, isArray, refused);
            foreach (var sink in sinks) await sink.OnStoredAsync(tx, appId, stored);
            return stored.Count;
        });
        foreach (var type in stored.GroupBy(e => e.Type)) EventMetrics.Ingested(type.Key, type.Count());
        // the others are stored by now; the refused ones are reported
        refused.ThrowIfAny();
        return count;
    }

    /// <summary>
    /// A receipt, open or dismissal carrying the push's <c>deliveryId</c> stamps that delivery (first report wins;
    /// an open implies receipt). Only a delivery to the same installation is touched, so ids cannot be guessed across devices.
    /// </summary>
    private static async Task AttachToDeliveryAsync(RegistryTx tx, long installation, ValidEvent e)
    {
        var column = e.Type switch
        {
            ClientEventTypes.NotificationReceived => "received_at_ms",
            ClientEventTypes.NotificationOpened => "opened_at_ms",
            ClientEventTypes.NotificationDismissed => "dismissed_at_ms",
            _ => null,
        };
        if (column is null || !long.TryParse(e.DeliveryId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var deliveryId))
            return;
        var at = new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        var alsoReceived = e.Type == ClientEventTypes.NotificationOpened ? ", received_at_ms = COALESCE(received_at_ms, @p2)" : "";
        await tx.ExecuteAsync($"UPDATE deliveries SET {column} = COALESCE({column}, @p2){alsoReceived} WHERE id = @p0 AND installation_id = @p1",
            deliveryId, installation, at);
    }

    private const string InsertInto =
        "INSERT INTO client_events (app_id, installation_id, type, delivery_id, name, at, received_at, properties, action_id, geofence_id, dwell_seconds) VALUES ";
    private const int InsertArgs = 11;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> InsertSql = new();

    private async Task<List<StoredClientEvent>> StoreAsync(RegistryTx tx, long appId, List<ValidEvent> events, bool isArray, FieldErrors refused)
    {
        var keys = await InstallationsAsync(tx, appId, events);
        var errors = new FieldErrors();
        for (var n = 0; n < events.Count; n++)
            if (!keys.ContainsKey(events[n].InstallationId))
                errors.Add(isArray ? $"[{n}].installationId" : "installationId", $"There is no installation \"{events[n].InstallationId}\"; register it first.");
        errors.ThrowIfAny();
        var vetted = events.Select((e, n) => new VettedClientEvent(new StoredClientEvent(keys[e.InstallationId].Installation, keys[e.InstallationId].User, e.Type, e.At)
        {
            InstallationExternalId = e.InstallationId,
            UserExternalId = keys[e.InstallationId].UserExternalId,
            Name = e.Name,
            DeliveryId = long.TryParse(e.DeliveryId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null,
            ActionId = e.ActionId,
            GeofenceId = e.GeofenceId,
            DwellSeconds = e.DwellSeconds,
            Properties = e.Properties,
        }, isArray ? $"[{n}]." : "")).ToList();
        foreach (var filter in filters) await filter.FilterAsync(tx, appId, vetted, errors);
        errors.ThrowIfAny();
        foreach (var v in vetted)
            if (v.Refusal is { } r) refused.Add(r.Field, r.Message);
        var kept = new List<StoredClientEvent>(vetted.Count);
        var rows = new List<ValidEvent>(events.Count);
        for (var n = 0; n < events.Count; n++)
        {
            if (vetted[n].Drop) continue;
            rows.Add(events[n]);
            kept.Add(vetted[n].Event);
        }
        // multi-row INSERTs in power-of-two chunks: few statement shapes, so SQLite keeps each one prepared
        foreach (var (offset, count) in RegistryTx.Chunks(rows.Count, 64))
        {
            var args = new object?[count * InsertArgs];
            for (var i = 0; i < count; i++)
            {
                var e = rows[offset + i];
                object?[] row = [appId, keys[e.InstallationId].Installation, e.Type, e.DeliveryId, e.Name, e.At, tx.Now, e.Properties, e.ActionId, e.GeofenceId, e.DwellSeconds];
                row.CopyTo(args, i * InsertArgs);
            }
            await tx.ExecuteAsync(InsertSql.GetOrAdd(count, n => InsertInto + string.Join(", ",
                Enumerable.Range(0, n).Select(k => $"({RegistryTx.Placeholders(k * InsertArgs, InsertArgs)})"))), args);
        }
        foreach (var e in rows) await AttachToDeliveryAsync(tx, keys[e.InstallationId].Installation, e);
        // a device reporting several times in one batch is written once (the batch shares one clock reading)
        await TouchAsync(tx, "UPDATE installations SET last_seen_at = @p0 WHERE last_seen_at < @p0 AND id IN ", keys.Values.Select(k => k.Installation).Distinct().ToList());
        await TouchAsync(tx, "UPDATE app_users SET last_active_at = @p0 WHERE (last_active_at IS NULL OR last_active_at < @p0) AND id IN ",
            keys.Values.Select(k => k.User).OfType<long>().Distinct().ToList());
        return kept;
    }

    /// <summary>The named installations with their users, in one query per chunk of ids.</summary>
    private static async Task<Dictionary<string, (long Installation, long? User, string? UserExternalId)>> InstallationsAsync(RegistryTx tx, long appId, List<ValidEvent> events)
    {
        var ids = events.Select(e => e.InstallationId).Distinct(StringComparer.Ordinal).ToList();
        var keys = new Dictionary<string, (long Installation, long? User, string? UserExternalId)>(ids.Count, StringComparer.Ordinal);
        foreach (var (offset, count) in RegistryTx.Chunks(ids.Count, 128))
        {
            var args = new object?[count + 1];
            args[0] = appId;
            for (var i = 0; i < count; i++) args[i + 1] = ids[offset + i];
            var rows = await tx.QueryAsync(
                "SELECT i.external_id, i.id, i.app_user_id, u.external_id FROM installations i LEFT JOIN app_users u ON u.id = i.app_user_id " +
                $"WHERE i.app_id = @p0 AND i.external_id IN ({RegistryTx.Placeholders(1, count)})",
                r => (Key: r.GetString(0), Installation: r.GetInt64(1), User: RegistryTx.ReadLong(r, 2), UserExternalId: RegistryTx.ReadString(r, 3)), args);
            foreach (var row in rows) keys[row.Key] = (row.Installation, row.User, row.UserExternalId);
        }
        return keys;
    }

    private static async Task TouchAsync(RegistryTx tx, string sql, List<long> ids)
    {
        foreach (var (offset, count) in RegistryTx.Chunks(ids.Count, 128))
        {
            var args = new object?[count + 1];
            args[0] = tx.Now;
            for (var i = 0; i < count; i++) args[i + 1] = ids[offset + i];
            await tx.ExecuteAsync($"{sql}({RegistryTx.Placeholders(1, count)})", args);
        }
    }
}

/// <summary>Client events stored, by type (exported at /metrics with the dispatcher's figures under the same meter name).</summary>
internal static class EventMetrics
{
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("PushConsole", "1.0");
    private static readonly System.Diagnostics.Metrics.Counter<long> Events = Meter.CreateCounter<long>("pushconsole.events.ingested", "{event}",
        "Client events stored through POST /api/v1/events, by type.");

    public static void Ingested(string type, int count) => Events.Add(count, new KeyValuePair<string, object?>("type", type));
}
