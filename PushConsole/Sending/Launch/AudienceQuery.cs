using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Launch;

/// <summary>
/// The WHERE clause of an audience over <see cref="AudienceSql.From"/>: <see cref="AudienceSql"/>'s filters, ANDed with
/// the rules of a saved segment when the audience names one (read now, so the launch sees the segment as it is then).
/// </summary>
public sealed class AudienceQuery(Database database, ISegmentFilter segments)
{
    public async Task<string> WhereAsync(long appId, AudienceSpec audience, PushType type, DynamicParameters parameters, CancellationToken ct = default,
        DeviceChoice devices = DeviceChoice.All)
    {
        var where = AudienceSql.Where(database, appId, audience, type, parameters);
        if (devices == DeviceChoice.LastActive) where += " AND " + LastActiveDevice(type);
        if (audience.SegmentId is not { } segmentId) return where;
        return $"{where} AND ({await segments.ResolveWhereAsync(appId, segmentId, parameters, ct)})";
    }

    /// <summary><c>options.devices = "last_active"</c>: of a user's reachable devices only the one seen last (ties: the newest); anonymous devices stay.</summary>
    private static string LastActiveDevice(PushType type) =>
        "(i.app_user_id IS NULL OR NOT EXISTS (SELECT 1 FROM installations o WHERE o.app_user_id = i.app_user_id AND o.app_id = i.app_id AND o.token IS NOT NULL" +
        (type == PushType.Background ? " AND o.state IN ('subscribed', 'background_only')" : " AND o.state = 'subscribed'") +
        " AND (o.last_seen_at > i.last_seen_at OR (o.last_seen_at = i.last_seen_at AND o.id > i.id))))";
}

/// <summary>
/// A saved segment as a WHERE fragment over <see cref="AudienceSql.From"/> (aliases <c>i</c>, <c>u</c>), its parameters added to
/// <paramref name="parameters"/>; throws NotFoundException for a segment the app does not have. The Audience feature implements it.
/// </summary>
public interface ISegmentFilter
{
    Task<string> ResolveWhereAsync(long appId, long segmentId, DynamicParameters parameters, CancellationToken ct = default);
}
