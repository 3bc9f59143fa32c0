using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Agenda;

/// <summary>Consent categories of agenda pushes. Change alerts are urgent (see <see cref="AgendaQuietTime"/>).</summary>
public static class AgendaCategories
{
    public const string Reminders = "reminders", ProgramChanges = "program_changes", Surveys = "surveys";
}

/// <summary>
/// Turns reminders, change alerts and surveys into normal campaigns (<see cref="CampaignService.CreateAsync"/>, origin agenda,
/// labelled with session and rule). Each is claimed once by its key in <c>agenda_pushes</c> before its campaign is made, so a
/// trigger that fires twice or a change notified twice sends once. A push nobody would receive makes no campaign.
/// </summary>
public sealed class AgendaPushes(IDbContextFactory<AppDbContext> contexts, Database database, CampaignService campaigns, CampaignControl control,
    TimeProvider clock, ILogger<AgendaPushes> logger)
{
    public static readonly Actor Agent = new("agenda");

    public static string CollapseId(long sessionId) => $"agenda-session-{sessionId}";

    public async Task<long?> SendReminderAsync(long sessionId, long ruleId, long plannedStartUnix, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await db.Set<AgendaSession>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        var rule = await db.Set<ReminderRule>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (session is null || rule is null || !rule.Covers(session) || session.Cancelled || session.StartsAt <= now
            || AgendaScheduler.Unix(session.StartsAt) != plannedStartUnix.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            logger.LogInformation("Reminder {Rule} of session {Session} no longer applies; nothing sent", ruleId, sessionId);
            return null;
        }
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
        var message = new CampaignMessage
        {
            DefaultLanguage = rule.DefaultLanguage,
            Variants =
            [
                new CampaignVariant
                {
                    Key = "A",
                    Content = rule.Templates.ToDictionary(t => t.Key, t => new LocalizedContent
                    {
                        Title = AgendaTexts.Fill(t.Value.Title, session, agendaEvent, t.Key, rule.OffsetMinutes),
                        Body = AgendaTexts.Fill(t.Value.Body, session, agendaEvent, t.Key, rule.OffsetMinutes),
                        Data = SessionData(session, "reminder"),
                    }),
                },
            ],
        };
        return await SendAsync(new AgendaPush
        {
            AppId = session.AppId, SessionId = session.Id, Kind = AgendaPushKind.Reminder, RuleId = rule.Id,
            PushKey = $"reminder:{session.Id}:{rule.Id}:{plannedStartUnix}",
        }, session, $"Reminder · {session.Title} · {rule.Describe()}", $"reminder:{rule.Id}", new AudienceSpec { FavoritedSessionIds = [session.Id] },
            message, AgendaCategories.Reminders, session.EndsAt, Agent, ct);
    }

    /// <summary>The change alert of one change, to those who favourited the session or checked in to it; once per change.</summary>
    public async Task<long?> SendChangeAlertAsync(long changeId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var change = await db.Set<SessionChange>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == changeId, ct)
                     ?? throw new Api.NotFoundException($"There is no change {changeId}.");
        var session = await db.Set<AgendaSession>().AsNoTracking().FirstAsync(s => s.Id == change.SessionId, ct);
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
        var language = await db.Set<App>().Where(a => a.Id == session.AppId).Select(a => a.DefaultLanguage).FirstAsync(ct);
        var message = AgendaTexts.ChangeAlert(session, change, agendaEvent, language);
        var what = change.Kind.HasFlag(SessionChangeKind.Cancelled) ? "Cancelled" : change.Kind.HasFlag(SessionChangeKind.Restored) ? "Restored"
            : change.Kind == SessionChangeKind.Room ? "Room change" : change.Kind == SessionChangeKind.Time ? "Time change" : "Time and room change";
        var until = change.Kind.HasFlag(SessionChangeKind.Cancelled) ? change.OldEndsAt : change.NewEndsAt;
        return await SendAsync(new AgendaPush
        {
            AppId = session.AppId, SessionId = session.Id, Kind = AgendaPushKind.ChangeAlert, ChangeId = change.Id, PushKey = $"change:{change.Id}",
        }, session, $"{what} · {session.Title}", $"change:{change.Id}", new AudienceSpec { FavoritedSessionIds = [session.Id], CheckedInSessionIds = [session.Id] },
            message, AgendaCategories.ProgramChanges, until, actor, ct);
    }

    public async Task<long?> SendSurveyAsync(long sessionId, long plannedEndUnix, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await db.Set<AgendaSession>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || session.Cancelled || AgendaScheduler.Unix(session.EndsAt) != plannedEndUnix.ToString(System.Globalization.CultureInfo.InvariantCulture)) return null;
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
        if (!agendaEvent.SurveyEnabled || agendaEvent.SurveyUrl is null) return null;
        var language = await db.Set<App>().Where(a => a.Id == session.AppId).Select(a => a.DefaultLanguage).FirstAsync(ct);
        var url = agendaEvent.SurveyUrl.Replace("{session.id}", Uri.EscapeDataString(session.ExternalId));
        var audience = agendaEvent.SurveyAudience == SurveyAudience.CheckedIn
            ? new AudienceSpec { CheckedInSessionIds = [session.Id] }
            : new AudienceSpec { CheckedInSessionIds = [session.Id], FavoritedSessionIds = [session.Id] };
        return await SendAsync(new AgendaPush { AppId = session.AppId, SessionId = session.Id, Kind = AgendaPushKind.Survey, PushKey = $"survey:{session.Id}" },
            session, $"Survey · {session.Title}", "survey", audience, AgendaTexts.Survey(session, url, language), AgendaCategories.Surveys,
            clock.GetUtcNow().UtcDateTime.AddHours(12), Agent, ct, collapseId: CollapseId(session.Id) + "-survey");
    }

    /// <summary>Cancels reminder campaigns of the session still scheduled or sending: after a change their content is stale.</summary>
    public async Task CancelPendingRemindersAsync(long sessionId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = await (from p in db.Set<AgendaPush>()
                             join c in db.Set<Campaign>() on p.CampaignId equals c.Id
                             where p.SessionId == sessionId && p.Kind == AgendaPushKind.Reminder
                                   && (c.Status == CampaignStatus.Scheduled || c.Status == CampaignStatus.Sending || c.Status == CampaignStatus.Paused)
                             select c.Id).ToListAsync(ct);
        foreach (var id in pending) await control.CancelAsync(id, null, actor, ct);
    }

    private async Task<long?> SendAsync(AgendaPush claim, AgendaSession session, string name, string what, AudienceSpec audience, CampaignMessage message,
        string category, DateTime validUntil, Actor actor, CancellationToken ct, string? collapseId = null)
    {
        if (await CountAsync(session.AppId, audience, ct) == 0)
        {
            logger.LogInformation("{What} of session {Session}: nobody to send to", what, session.Id);
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var label = $"session:{session.ExternalId}:{what}";
        await using var db = await contexts.CreateDbContextAsync(ct);
        claim.CreatedAt = now;
        db.Add(claim);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            await using var check = await contexts.CreateDbContextAsync(ct);
            if (!await check.Set<AgendaPush>().AnyAsync(p => p.AppId == claim.AppId && p.PushKey == claim.PushKey, ct)) throw;
            logger.LogInformation("{Key} was already sent; not sending it again", claim.PushKey);
            return null;
        }
        try
        {
            var campaign = await campaigns.CreateAsync(new CampaignDraft
            {
                AppId = session.AppId,
                Name = name.Length > 200 ? name[..199] + "…" : name,
                Audience = audience,
                Message = message,
                Options = new DeliveryOptions
                {
                    Category = category,
                    CollapseId = collapseId ?? CollapseId(session.Id),
                    // a reminder or change alert is pointless once the session is over
                    TtlSeconds = (int)Math.Clamp((validUntil - now).TotalSeconds, 60, DeliveryOptions.MaxTtlSeconds),
                },
                Origin = CampaignOrigin.Agenda,
                OriginRef = label.Length > 200 ? label[..200] : label,
            }, actor, ct);
            claim.CampaignId = campaign.Id;
            await db.SaveChangesAsync(ct);
            return campaign.Id;
        }
        catch
        {
            // the campaign was not made: free the key so the push can be sent again
            db.Remove(claim);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Installations the audience reaches now.</summary>
    public async Task<long> CountAsync(long appId, AudienceSpec audience, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters();
        var where = AudienceSql.Where(database, appId, audience, Sending.Providers.PushType.Alert, parameters);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {AudienceSql.From} WHERE {where}", parameters, cancellationToken: ct));
    }

    private static Dictionary<string, string> SessionData(AgendaSession session, string kind) => new() { ["sessionId"] = session.ExternalId, ["agenda"] = kind };
}
