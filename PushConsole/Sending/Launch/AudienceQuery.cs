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
    public async Task<string> WhereAsync(long appId, AudienceSpec audience, PushType type, DynamicParameters parameters, CancellationToken ct = default)
    {
        var where = AudienceSql.Where(database, appId, audience, type, parameters);
        if (audience.SegmentId is not { } segmentId) return where;
        return $"{where} AND ({await segments.ResolveWhereAsync(appId, segmentId, parameters, ct)})";
    }
}

/// <summary>
/// A saved segment as a WHERE fragment over <see cref="AudienceSql.From"/> (aliases <c>i</c>, <c>u</c>), its parameters added to
/// <paramref name="parameters"/>; throws NotFoundException for a segment the app does not have. The Audience feature implements it.
/// </summary>
public interface ISegmentFilter
{
    Task<string> ResolveWhereAsync(long appId, long segmentId, DynamicParameters parameters, CancellationToken ct = default);
}
