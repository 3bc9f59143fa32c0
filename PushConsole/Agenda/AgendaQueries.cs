using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Agenda;

/// <summary>A session as the agenda page lists it: venue times and how many favourited it or checked in.</summary>
public sealed record SessionRow(long Id, string ExternalId, string Title, string? Track, string? Room, DateTime StartsAt, DateTime EndsAt,
    DateTime VenueStart, DateTime VenueEnd, string? Speakers, bool Cancelled, int Favorites, int CheckIns)
{
    /// <summary>The room as the day/room view groups by it.</summary>
    public string RoomKey => Room ?? NoRoom;

    public const string NoRoom = "No room";
}

/// <summary>A change of a session with the alert it sent, if any.</summary>
public sealed record ChangeRow(long Id, DateTime At, string By, SessionChangeKind Kind, string Description, long? AlertCampaignId,
    CampaignStatus? AlertStatus, long AlertAudience);

/// <summary>An agenda push that went out for a session.</summary>
public sealed record PushRow(AgendaPushKind Kind, string Label, DateTime At, long? CampaignId, CampaignStatus? Status, long Audience);

/// <summary>One recipient of an agenda push: who, which device, what happened.</summary>
public sealed record RecipientRow(string? UserId, string InstallationId, string Platform, DeliveryStatus Status, string? Reason, DateTime? SentAt);

/// <summary>Reads for the agenda page.</summary>
public sealed class AgendaQueries(IDbContextFactory<AppDbContext> contexts, Database database, AgendaScheduler scheduler)
{
    public async Task<IReadOnlyList<SessionRow>> SessionsAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.AppId == appId, ct);
        if (agendaEvent is null) return [];
        var zone = VenueTime.Zone(agendaEvent);
        var rows = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.EventId == agendaEvent.Id).OrderBy(s => s.StartsAt).ThenBy(s => s.Room)
            .Select(s => new
            {
                Session = s,
                Favorites = db.Set<SessionFavorite>().Count(f => f.SessionId == s.Id),
                CheckIns = db.Set<SessionCheckIn>().Count(c => c.SessionId == s.Id),
            }).ToListAsync(ct);
        return rows.Select(r => new SessionRow(r.Session.Id, r.Session.ExternalId, r.Session.Title, r.Session.Track, r.Session.Room, r.Session.StartsAt,
            r.Session.EndsAt, VenueTime.ToVenue(r.Session.StartsAt, zone), VenueTime.ToVenue(r.Session.EndsAt, zone), r.Session.Speakers,
            r.Session.Cancelled, r.Favorites, r.CheckIns)).ToList();
    }

    public async Task<IReadOnlyList<ChangeRow>> ChangesAsync(long sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await db.Set<AgendaSession>().AsNoTracking().FirstAsync(s => s.Id == sessionId, ct);
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
        var rows = await (from c in db.Set<SessionChange>().AsNoTracking()
                          where c.SessionId == sessionId
                          join p in db.Set<AgendaPush>() on c.Id equals p.ChangeId into alerts
                          from p in alerts.DefaultIfEmpty()
                          join k in db.Set<Campaign>() on p.CampaignId equals k.Id into campaigns
                          from k in campaigns.DefaultIfEmpty()
                          orderby c.Id descending
                          select new { Change = c, CampaignId = (long?)k.Id, Status = (CampaignStatus?)k.Status, Audience = (long?)k.AudienceSize }).ToListAsync(ct);
        return rows.Select(r => new ChangeRow(r.Change.Id, r.Change.At, r.Change.By, r.Change.Kind, SessionService.Describe(r.Change, agendaEvent),
            r.CampaignId, r.Status, r.Audience ?? 0)).ToList();
    }

    public async Task<IReadOnlyList<PushRow>> PushesAsync(long sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (from p in db.Set<AgendaPush>().AsNoTracking()
                          where p.SessionId == sessionId
                          join k in db.Set<Campaign>() on p.CampaignId equals k.Id into campaigns
                          from k in campaigns.DefaultIfEmpty()
                          orderby p.Id descending
                          select new { p.Kind, Name = (string?)k.Name, p.CreatedAt, p.CampaignId, Status = (CampaignStatus?)k.Status, Audience = (long?)k.AudienceSize })
            .ToListAsync(ct);
        return rows.Select(r => new PushRow(r.Kind, r.Name ?? r.Kind.ToString(), r.CreatedAt, r.CampaignId, r.Status, r.Audience ?? 0)).ToList();
    }

    /// <summary>Reminders and the survey waiting in Quartz for the session.</summary>
    public async Task<IReadOnlyList<PlannedPush>> PlannedAsync(long sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var eventId = await db.Set<AgendaSession>().Where(s => s.Id == sessionId).Select(s => s.EventId).FirstAsync(ct);
        var rules = await db.Set<ReminderRule>().Where(r => r.EventId == eventId).Select(r => r.Id).ToListAsync(ct);
        return await scheduler.PlannedAsync(sessionId, rules, ct);
    }

    /// <summary>Who an agenda campaign went to (first <paramref name="take"/>), by user.</summary>
    public async Task<IReadOnlyList<RecipientRow>> RecipientsAsync(long campaignId, int take = 200, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Raw>(new CommandDefinition("""
            SELECT u.external_id AS UserId, i.external_id AS InstallationId, i.platform AS Platform, d.status AS Status, d.reason AS Reason, d.sent_at_ms AS SentAtMs
            FROM deliveries d JOIN installations i ON i.id = d.installation_id LEFT JOIN app_users u ON u.id = d.user_id
            WHERE d.campaign_id = @campaignId ORDER BY u.external_id, i.external_id LIMIT @take
            """, new { campaignId, take }, cancellationToken: ct));
        return rows.Select(r => new RecipientRow(r.UserId, r.InstallationId, r.Platform, (DeliveryStatus)r.Status, r.Reason, DeliveryHistory.Time(r.SentAtMs))).ToList();
    }

    /// <summary>Distinct users who favourited or checked in, and the devices an alert would reach now.</summary>
    public async Task<(long Users, long Devices)> AffectedAsync(long appId, long sessionId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var users = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT app_user_id FROM agenda_favorites WHERE session_id = @sessionId UNION SELECT app_user_id FROM agenda_checkins WHERE session_id = @sessionId) a",
            new { sessionId }, cancellationToken: ct));
        var parameters = new DynamicParameters();
        var where = AudienceSql.Where(database, appId, new AudienceSpec { FavoritedSessionIds = [sessionId], CheckedInSessionIds = [sessionId] },
            Sending.Providers.PushType.Alert, parameters);
        var devices = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {AudienceSql.From} WHERE {where}", parameters, cancellationToken: ct));
        return (users, devices);
    }

    private sealed class Raw
    {
        public string? UserId { get; init; }
        public string InstallationId { get; init; } = "";
        public string Platform { get; init; } = "";
        public long Status { get; init; }
        public string? Reason { get; init; }
        public long? SentAtMs { get; init; }
    }
}
