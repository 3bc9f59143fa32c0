using PushConsole.Api;
using PushConsole.Devices;

namespace PushConsole.Geofences;

/// <summary>
/// Vets geofence transitions before they are stored (<see cref="IClientEventFilter"/>): an unknown geofence is a 400 naming
/// <c>geofenceId</c>; without location consent the transition is dropped; a repeat of the same kind within the geofence's
/// cooldown (per user, else per installation) is stored but quiet; and the next session in the geofence's agenda room
/// (running or next to start) travels along as <c>SessionId</c> for automations' <c>{{session.title}}</c>.
/// </summary>
public sealed class GeofenceTransitions : IClientEventFilter
{
    private sealed record Target(long Id, int CooldownSeconds, string? Room);

    public static bool IsTransition(string type) =>
        type is ClientEventTypes.GeofenceEntered or ClientEventTypes.GeofenceExited or ClientEventTypes.GeofenceDwelled;

    public async Task FilterAsync(RegistryTx tx, long appId, IReadOnlyList<VettedClientEvent> events, FieldErrors errors)
    {
        var geofences = new Dictionary<string, Target?>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => IsTransition(e.Event.Type)))
        {
            var id = e.Event.GeofenceId!;
            if (!geofences.TryGetValue(id, out var target))
                geofences[id] = target = await tx.QuerySingleAsync("SELECT id, cooldown_seconds, room FROM geofences WHERE app_id = @p0 AND external_id = @p1",
                    r => new Target(r.GetInt64(0), r.GetInt32(1), RegistryTx.ReadString(r, 2)), appId, id);
            if (target is null) errors.Add(e.Field + "geofenceId", $"There is no geofence \"{id}\" in this app; list them with GET /v4/geofences.");
        }
        if (errors.Any || geofences.Count == 0) return;
        var consent = new Dictionary<long, bool>();
        foreach (var e in events.Where(e => IsTransition(e.Event.Type)))
        {
            var installation = e.Event.InstallationId!.Value;
            if (!consent.TryGetValue(installation, out var granted))
                consent[installation] = granted = (await tx.QueryAsync($"SELECT {LocationConsents.GrantedSql} FROM installations i WHERE i.id = @p0",
                    r => !r.IsDBNull(0) && r.GetBoolean(0), installation)).FirstOrDefault();
            if (!granted) { e.Drop = true; continue; }
            var target = geofences[e.Event.GeofenceId!]!;
            var quiet = await InCooldownAsync(tx, target, e.Event);
            var session = target.Room is null ? null : await NextSessionAsync(tx, appId, target.Room, e.Event.At);
            e.Event = e.Event with { Quiet = quiet || e.Event.Quiet, SessionId = session ?? e.Event.SessionId };
        }
    }

    /// <summary>Whether the last transition of this kind that did trigger is less than the cooldown away; if not, this one becomes it.</summary>
    private static async Task<bool> InCooldownAsync(RegistryTx tx, Target target, StoredClientEvent e)
    {
        if (target.CooldownSeconds <= 0) return false;
        var subject = e.UserId is { } user ? $"u{user}" : $"i{e.InstallationId}";
        var last = (await tx.QueryAsync("SELECT at FROM geofence_triggers WHERE geofence_id = @p0 AND subject = @p1 AND type = @p2",
            r => RegistryTx.ReadTime(r, 0), target.Id, subject, e.Type)).FirstOrDefault();
        if (last is { } at && Math.Abs((e.At - at).TotalSeconds) < target.CooldownSeconds) return true;
        await tx.ExecuteAsync(
            "INSERT INTO geofence_triggers (geofence_id, subject, type, app_user_id, installation_id, at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5) " +
            "ON CONFLICT (geofence_id, subject, type) DO UPDATE SET at = excluded.at, app_user_id = excluded.app_user_id, installation_id = excluded.installation_id",
            target.Id, subject, e.Type, e.UserId, e.UserId is null ? e.InstallationId : null, e.At);
        return false;
    }

    /// <summary>The session running in the room at <paramref name="at"/>, else the next one to start (cancelled ones skipped).</summary>
    public static async Task<string?> NextSessionAsync(RegistryTx tx, long appId, string room, DateTime at) =>
        (await tx.QueryAsync("SELECT external_id FROM agenda_sessions WHERE app_id = @p0 AND room = @p1 AND cancelled = @p2 AND ends_at > @p3 " +
                             "ORDER BY starts_at, id LIMIT 1", r => r.GetString(0), appId, room, false, at)).FirstOrDefault();
}
