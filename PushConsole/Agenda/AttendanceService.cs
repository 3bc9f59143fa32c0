using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Agenda;

/// <summary>
/// Favourites and check-ins from the client API. A user the app has not registered yet is created the way a login creates
/// one (through the registry's writer), so an attendee can star sessions before any device is registered; the session must
/// exist (404) and not be cancelled (409). Both are idempotent.
/// </summary>
public sealed class AttendanceService(RegistryWriter writer, IDbContextFactory<AppDbContext> contexts, IEnumerable<IClientEventSink> sinks, TimeProvider clock)
{
    public async Task FavoriteAsync(long appId, string? userId, string? sessionId)
    {
        var (user, session) = await CheckAsync(appId, userId, sessionId, refuseCancelled: true);
        await writer.RunAsync(null, async tx =>
        {
            var key = await SessionKeyAsync(tx, appId, session);
            var userKey = await RegistryStore.EnsureUserAsync(tx, appId, user);
            var added = await tx.ExecuteAsync("INSERT INTO agenda_favorites (session_id, app_user_id, app_id, created_at) VALUES (@p0, @p1, @p2, @p3) " +
                                              "ON CONFLICT (session_id, app_user_id) DO NOTHING", key, userKey, appId, tx.Now);
            if (added > 0) await PublishAsync(tx, appId, ClientEventTypes.SessionFavorited, userKey, user, session, tx.Now);
            return added;
        });
    }

    public async Task UnfavoriteAsync(long appId, string? userId, string? sessionId)
    {
        var (user, session) = await CheckAsync(appId, userId, sessionId, refuseCancelled: false);
        await writer.RunAsync(null, async tx =>
        {
            var key = await SessionKeyAsync(tx, appId, session);
            return await RegistryStore.FindUserAsync(tx, appId, user) is { } found
                ? await tx.ExecuteAsync("DELETE FROM agenda_favorites WHERE session_id = @p0 AND app_user_id = @p1", key, Convert.ToInt64(found))
                : 0;
        });
    }

    /// <summary>Records that the user is at the session (the first check-in's time is kept).</summary>
    public async Task CheckInAsync(long appId, string? userId, string? sessionId, DateTimeOffset? at)
    {
        var now = clock.GetUtcNow();
        if (at is { } t && (t > now.AddMinutes(5) || t < now.AddDays(-30)))
            throw new BadInputException("at", "at is the time of the check-in (ISO 8601, not in the future, at most 30 days ago); leave it out for now.");
        var (user, session) = await CheckAsync(appId, userId, sessionId, refuseCancelled: true);
        await writer.RunAsync(null, async tx =>
        {
            var key = await SessionKeyAsync(tx, appId, session);
            var userKey = await RegistryStore.EnsureUserAsync(tx, appId, user);
            var added = await tx.ExecuteAsync("INSERT INTO agenda_checkins (session_id, app_user_id, app_id, at) VALUES (@p0, @p1, @p2, @p3) " +
                                              "ON CONFLICT (session_id, app_user_id) DO NOTHING", key, userKey, appId, at?.UtcDateTime ?? tx.Now);
            if (added > 0) await PublishAsync(tx, appId, ClientEventTypes.SessionCheckedIn, userKey, user, session, at?.UtcDateTime ?? tx.Now);
            return added;
        });
    }

    public async Task UndoCheckInAsync(long appId, string? userId, string? sessionId)
    {
        var (user, session) = await CheckAsync(appId, userId, sessionId, refuseCancelled: false);
        await writer.RunAsync(null, async tx =>
        {
            var key = await SessionKeyAsync(tx, appId, session);
            return await RegistryStore.FindUserAsync(tx, appId, user) is { } found
                ? await tx.ExecuteAsync("DELETE FROM agenda_checkins WHERE session_id = @p0 AND app_user_id = @p1", key, Convert.ToInt64(found))
                : 0;
        });
    }

    /// <summary>A first favourite or check-in is something the attendee did: automations and the game react to it in the same transaction.</summary>
    private async Task PublishAsync(RegistryTx tx, long appId, string type, long userKey, string user, string session, DateTime at)
    {
        IReadOnlyList<StoredClientEvent> events = [new StoredClientEvent(null, userKey, type, at) { UserExternalId = user, SessionId = session }];
        foreach (var sink in sinks) await sink.OnStoredAsync(tx, appId, events);
    }

    /// <summary>Validates the ids and that the session exists before anything is queued: bad input stores nothing.</summary>
    private async Task<(string User, string Session)> CheckAsync(long appId, string? userId, string? sessionId, bool refuseCancelled)
    {
        var errors = new FieldErrors();
        var user = DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId);
        var session = DeviceValidation.ExternalId(errors, "sessionId", sessionId, AgendaSessionConfiguration.MaxExternalId);
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync();
        var found = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.AppId == appId && s.ExternalId == session)
                        .Select(s => new { s.Cancelled, s.Title }).FirstOrDefaultAsync()
                    ?? throw new NotFoundException($"There is no session \"{session}\" in this app's agenda.");
        if (refuseCancelled && found.Cancelled)
            throw new ConflictException("sessionId", $"The session \"{found.Title}\" is cancelled; it can no longer be favourited or checked in to.");
        return (user!, session!);
    }

    private static async Task<long> SessionKeyAsync(RegistryTx tx, long appId, string session) =>
        await tx.ScalarAsync("SELECT id FROM agenda_sessions WHERE app_id = @p0 AND external_id = @p1", appId, session) is { } id
            ? Convert.ToInt64(id)
            : throw new NotFoundException($"There is no session \"{session}\" in this app's agenda.");
}
