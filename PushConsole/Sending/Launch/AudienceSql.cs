using System.Text;
using Dapper;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Launch;

/// <summary>
/// Translates an audience into one parameterised WHERE clause over <c>installations i LEFT JOIN app_users u</c>,
/// the same on SQLite and PostgreSQL. Eligibility is part of it: a token, and a state that receives this push type.
/// </summary>
public static class AudienceSql
{
    public const string From = "installations i LEFT JOIN app_users u ON u.id = i.app_user_id";

    public static string Where(Database database, long appId, AudienceSpec audience, PushType type, DynamicParameters parameters)
    {
        var sql = new StringBuilder("i.app_id = @audienceApp AND i.token IS NOT NULL");
        parameters.Add("audienceApp", appId);
        sql.Append(type == PushType.Background ? " AND i.state IN ('subscribed', 'background_only')" : " AND i.state = 'subscribed'");
        if (audience.Platforms is { Count: > 0 } platforms)
        {
            sql.Append($" AND {database.InList("i.platform", "@audiencePlatforms")}");
            parameters.Add("audiencePlatforms", platforms.Select(PlatformNames.Of).Distinct().ToArray());
        }
        if (audience.All) return sql.ToString();
        if (audience.InstallationIds is { Count: > 0 } installations)
        {
            sql.Append($" AND {database.InList("i.external_id", "@audienceInstallations")}");
            parameters.Add("audienceInstallations", installations.Distinct().ToArray());
        }
        if (!string.IsNullOrEmpty(audience.TestDevicesOf))
        {
            sql.Append(" AND i.id IN (SELECT td.installation_id FROM test_devices td WHERE td.console_user = @audienceTestDevicesOf)");
            parameters.Add("audienceTestDevicesOf", audience.TestDevicesOf);
        }
        if (audience.UserIds is { Count: > 0 } users)
        {
            sql.Append($" AND {database.InList("u.external_id", "@audienceUsers")}");
            parameters.Add("audienceUsers", users.Distinct().ToArray());
        }
        if (audience.TagsAny is { Count: > 0 } any)
        {
            sql.Append($" AND {HasTag(database, "@audienceTagsAny")}");
            parameters.Add("audienceTagsAny", any.Distinct().ToArray());
        }
        var n = 0;
        foreach (var tag in audience.TagsAll?.Distinct() ?? [])
        {
            sql.Append($" AND {HasTag(database, $"@audienceTagAll{n}", single: true)}");
            parameters.Add($"audienceTagAll{n++}", tag);
        }
        if (audience.TagsNone is { Count: > 0 } none)
        {
            sql.Append($" AND NOT {HasTag(database, "@audienceTagsNone")}");
            parameters.Add("audienceTagsNone", none.Distinct().ToArray());
        }
        var favorited = audience.FavoritedSessionIds is { Count: > 0 } f ? f.Distinct().ToArray() : null;
        var checkedIn = audience.CheckedInSessionIds is { Count: > 0 } c ? c.Distinct().ToArray() : null;
        if (favorited is not null || checkedIn is not null)
        {
            if (favorited is not null) parameters.Add("audienceFavorited", favorited);
            if (checkedIn is not null) parameters.Add("audienceCheckedIn", checkedIn);
            sql.Append($" AND {AttendeesOf(database.Dialect, favorited is null ? null : "@audienceFavorited", checkedIn is null ? null : "@audienceCheckedIn")}");
        }
        return sql.ToString();
    }

    /// <summary>The installation or its user carries the tag(s).</summary>
    private static string HasTag(Database database, string parameter, bool single = false)
    {
        string Match(string column) => single ? $"{column} = {parameter}" : database.InList(column, parameter);
        return $"(EXISTS (SELECT 1 FROM installation_tags it WHERE it.installation_id = i.id AND {Match("it.tag")})" +
               $" OR EXISTS (SELECT 1 FROM user_tags ut WHERE ut.app_user_id = i.app_user_id AND {Match("ut.tag")}))";
    }

    /// <summary>Users who favourited any of the sessions (row ids, a long[] parameter) OR checked in to any of the others; null skips a side.</summary>
    public static string AttendeesOf(SqlDialect dialect, string? favoritedIdsParameter, string? checkedInIdsParameter)
    {
        if (favoritedIdsParameter is null && checkedInIdsParameter is null) throw new ArgumentException("Name at least one parameter.");
        var sides = new List<string>(2);
        if (favoritedIdsParameter is not null)
            sides.Add($"SELECT f.app_user_id FROM agenda_favorites f WHERE {dialect.InList("f.session_id", favoritedIdsParameter)}");
        if (checkedInIdsParameter is not null)
            sides.Add($"SELECT c.app_user_id FROM agenda_checkins c WHERE {dialect.InList("c.session_id", checkedInIdsParameter)}");
        return $"i.app_user_id IN ({string.Join(" UNION ", sides)})";
    }
}
