using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using Quartz;

namespace PushConsole.Agenda;

/// <summary>A reminder or survey waiting in Quartz for one session.</summary>
public sealed record PlannedPush(AgendaPushKind Kind, long? RuleId, DateTime FiresAt);

/// <summary>
/// Plans a session's reminders (one per rule that covers it, at start − offset) and its survey (end + delay) as persistent
/// Quartz triggers, so they survive restarts and, on PostgreSQL, fire on one instance. Replanning replaces the triggers:
/// a moved session's reminders move, a cancelled one's are removed.
/// </summary>
public sealed class AgendaScheduler(ISchedulerFactory schedulers, IDbContextFactory<AppDbContext> contexts, TimeProvider clock, ILogger<AgendaScheduler> logger)
{
    private const string Group = "agenda";

    public static JobKey ReminderKey(long sessionId, long ruleId) => new($"reminder-{sessionId}-{ruleId}", Group);

    public static JobKey SurveyKey(long sessionId) => new($"survey-{sessionId}", Group);

    /// <summary>Replans every session of the event (after a rule or the survey settings changed).</summary>
    public async Task PlanEventAsync(long eventId, IReadOnlyCollection<long>? removedRuleIds = null, CancellationToken ct = default)
    {
        List<long> ids;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            ids = await db.Set<AgendaSession>().Where(s => s.EventId == eventId).Select(s => s.Id).ToListAsync(ct);
        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var id in ids)
        {
            foreach (var rule in removedRuleIds ?? []) await scheduler.DeleteJob(ReminderKey(id, rule), ct);
            await PlanSessionAsync(id, ct);
        }
    }

    /// <summary>Replaces the session's triggers by what its current time, state, the rules and the survey settings call for.</summary>
    public async Task PlanSessionAsync(long sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await db.Set<AgendaSession>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        var scheduler = await schedulers.GetScheduler(ct);
        if (session is null) return;
        var agendaEvent = await db.Set<AgendaEvent>().AsNoTracking().FirstAsync(e => e.Id == session.EventId, ct);
        var rules = await db.Set<ReminderRule>().AsNoTracking().Where(r => r.EventId == session.EventId).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var rule in rules)
        {
            var key = ReminderKey(session.Id, rule.Id);
            // a reminder only makes sense before the session starts; one whose time has passed goes at once
            if (session.Cancelled || !rule.Covers(session) || session.StartsAt <= now) await scheduler.DeleteJob(key, ct);
            else await ScheduleAsync(scheduler, key, AgendaPushKind.Reminder, session, rule.Id, session.StartsAt.AddMinutes(-rule.OffsetMinutes), ct);
        }
        var survey = SurveyKey(session.Id);
        var surveyAt = session.EndsAt.AddMinutes(agendaEvent.SurveyDelayMinutes);
        if (session.Cancelled || !agendaEvent.SurveyEnabled || surveyAt < now.AddHours(-12)) await scheduler.DeleteJob(survey, ct);
        else await ScheduleAsync(scheduler, survey, AgendaPushKind.Survey, session, null, surveyAt, ct);
    }

    /// <summary>Removes every trigger of a session (before it is deleted).</summary>
    public async Task UnplanSessionAsync(long sessionId, IEnumerable<long> ruleIds, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var rule in ruleIds) await scheduler.DeleteJob(ReminderKey(sessionId, rule), ct);
        await scheduler.DeleteJob(SurveyKey(sessionId), ct);
    }

    /// <summary>What is waiting for a session, soonest first (the agenda page shows it).</summary>
    public async Task<IReadOnlyList<PlannedPush>> PlannedAsync(long sessionId, IEnumerable<long> ruleIds, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var planned = new List<PlannedPush>();
        foreach (var (key, kind, rule) in ruleIds.Select(r => (ReminderKey(sessionId, r), AgendaPushKind.Reminder, (long?)r)).Append((SurveyKey(sessionId), AgendaPushKind.Survey, null)))
            foreach (var trigger in await scheduler.GetTriggersOfJob(key, ct))
                if (trigger.NextFireTimeUtc is { } next) planned.Add(new PlannedPush(kind, rule, next.UtcDateTime));
        return planned.OrderBy(p => p.FiresAt).ToList();
    }

    private async Task ScheduleAsync(IScheduler scheduler, JobKey key, AgendaPushKind kind, AgendaSession session, long? ruleId, DateTime atUtc, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var job = JobBuilder.Create<AgendaPushJob>()
            .WithIdentity(key)
            .UsingJobData(AgendaPushJob.KindKey, kind.ToString())
            .UsingJobData(AgendaPushJob.SessionKey, session.Id.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(AgendaPushJob.RuleKey, (ruleId ?? 0).ToString(CultureInfo.InvariantCulture))
            // the session's times it was planned for: a trigger left over from before a move does nothing
            .UsingJobData(AgendaPushJob.PlannedForKey, Unix(kind == AgendaPushKind.Survey ? session.EndsAt : session.StartsAt))
            .Build();
        await scheduler.ScheduleJob(job, Scheduling.OneShotTrigger.At(key, atUtc < now ? now : atUtc), ScheduleJobOptions.Replacing, ct);
        logger.LogDebug("Planned {Kind} of session {Session} at {At:u}", kind, session.Id, atUtc);
    }

    public static string Unix(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}

/// <summary>Quartz job: a planned reminder or survey is due; <see cref="AgendaPushes"/> checks it still applies and sends it.</summary>
public sealed class AgendaPushJob(AgendaPushes pushes) : IJob
{
    public const string KindKey = "kind", SessionKey = "sessionId", RuleKey = "ruleId", PlannedForKey = "plannedFor";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        var session = long.Parse(data.GetString(SessionKey)!, CultureInfo.InvariantCulture);
        var plannedFor = long.Parse(data.GetString(PlannedForKey)!, CultureInfo.InvariantCulture);
        if (Enum.Parse<AgendaPushKind>(data.GetString(KindKey)!) == AgendaPushKind.Survey)
            await pushes.SendSurveyAsync(session, plannedFor, cancellationToken);
        else
            await pushes.SendReminderAsync(session, long.Parse(data.GetString(RuleKey)!, CultureInfo.InvariantCulture), plannedFor, cancellationToken);
    }
}
