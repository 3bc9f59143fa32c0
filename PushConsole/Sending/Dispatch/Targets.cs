using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Dispatch;

/// <summary>An installation as the sender needs it, read at send time (a token refreshed after the launch is used).</summary>
/// <param name="TimeZone">The installation's zone, else its user's ("" when neither has one): time tokens are rendered in it.</param>
public sealed record InstallationTarget(long Id, Platform Platform, string? Token, ApnsEnvironment? ApnsEnvironment, string? P256dh, string? Auth, string State,
    string? TimeZone = null)
{
    /// <summary>Background pushes may also go to installations whose user turned visible notifications off.</summary>
    public bool CanReceive(PushType type) => Token is not null && (State == "subscribed" || type == PushType.Background && State == "background_only");

    public PushTarget? ToPushTarget(ApnsEnvironment appDefault) => Platform switch
    {
        _ when Token is null => null,
        Platform.Android => PushTarget.Fcm(Token),
        Platform.Ios => PushTarget.Apns(Token, ApnsEnvironment ?? appDefault),
        Platform.Web when P256dh is not null && Auth is not null => PushTarget.WebPush(new WebPushSubscription(Token, P256dh, Auth)),
        _ => null,
    };
}

/// <summary>Loads the targets of a claimed batch in one query.</summary>
public sealed class Targets(Database database)
{
    public async Task<Dictionary<long, InstallationTarget>> LoadAsync(IEnumerable<long> installationIds, CancellationToken ct)
    {
        var ids = installationIds.Distinct().ToArray();
        var result = new Dictionary<long, InstallationTarget>(ids.Length);
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<InstallationTarget>(new CommandDefinition($"""
            SELECT i.id AS Id, i.platform AS Platform, i.token AS Token, i.apns_environment AS ApnsEnvironment,
                   i.web_push_p256dh AS P256dh, i.web_push_auth AS Auth, i.state AS State, COALESCE(i.time_zone, u.time_zone, '') AS TimeZone
            FROM installations i LEFT JOIN app_users u ON u.id = i.app_user_id WHERE {database.Dialect.InIds("i.id", "@ids")}
            """, new { ids = database.Dialect.Ids(ids) }, cancellationToken: ct));
        foreach (var row in rows) result[row.Id] = row;
        return result;
    }
}
