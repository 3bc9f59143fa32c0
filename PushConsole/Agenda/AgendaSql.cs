namespace PushConsole.Agenda;

/// <summary>
/// WHERE fragments over <c>installations i</c> (joined to <c>app_users u</c>) for agenda involvement: a device belongs
/// to an attendee through its current user (<c>i.app_user_id</c>). Campaign audiences use them (<c>AudienceSpec</c>), and
/// segments can: pass parameter names (with their '@'), add the parameters yourself. List parameters are arrays — Dapper
/// expands <c>IN @p</c> on SQLite; PostgreSQL reads <c>= ANY(@p)</c> — so pass the database's <see cref="SqlDialect"/>.
/// </summary>
public static class AgendaSql
{
    /// <summary>
    /// Users who favourited (or, with <paramref name="checkedIn"/>, checked in to) any session of the app whose stable id
    /// (what apps and imports use) is in a string[] parameter — the form a saved segment should keep.
    /// </summary>
    public static string SessionsByExternalId(SqlDialect dialect, string appParameter, string externalIdsParameter, bool checkedIn = false) =>
        $"i.app_user_id IN (SELECT a.app_user_id FROM {Table(checkedIn)} a JOIN agenda_sessions s ON s.id = a.session_id " +
        $"WHERE s.app_id = {appParameter} AND {dialect.InList("s.external_id", externalIdsParameter)})";

    /// <summary>Users who favourited (or checked in to) any session of a track (a string parameter, compared exactly).</summary>
    public static string Track(string appParameter, string trackParameter, bool checkedIn = false) =>
        $"i.app_user_id IN (SELECT a.app_user_id FROM {Table(checkedIn)} a JOIN agenda_sessions s ON s.id = a.session_id " +
        $"WHERE s.app_id = {appParameter} AND s.track = {trackParameter})";

    private static string Table(bool checkedIn) => checkedIn ? "agenda_checkins" : "agenda_favorites";
}
