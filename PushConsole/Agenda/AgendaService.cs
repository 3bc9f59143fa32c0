using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Agenda;

/// <summary>The event of an app and its reminder rules; every change replans the triggers it affects.</summary>
public sealed class AgendaService(IDbContextFactory<AppDbContext> contexts, AgendaScheduler scheduler, AuditLog audit, TimeProvider clock)
{
    public async Task<AgendaEvent?> GetEventAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<AgendaEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.AppId == appId, ct);
    }

    internal static async Task<AgendaEvent> RequireEventAsync(AppDbContext db, long appId, CancellationToken ct) =>
        await db.Set<AgendaEvent>().FirstOrDefaultAsync(e => e.AppId == appId, ct)
        ?? throw new NotFoundException("This app has no event yet; create it on the agenda page first.");

    /// <summary>Creates the app's event or changes it. Times of sessions stay the same instants if the venue's zone changes.</summary>
    public async Task<AgendaEvent> SaveEventAsync(long appId, EventForm form, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var (name, zone, start, end) = AgendaValidation.Event(form, errors);
        errors.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Set<Apps.App>().AnyAsync(a => a.Id == appId, ct)) throw new NotFoundException($"There is no app {appId}.");
        var agendaEvent = await db.Set<AgendaEvent>().FirstOrDefaultAsync(e => e.AppId == appId, ct);
        var surveyChanged = agendaEvent is null || agendaEvent.SurveyEnabled != form.SurveyEnabled || agendaEvent.SurveyDelayMinutes != form.SurveyDelayMinutes;
        if (agendaEvent is null)
        {
            agendaEvent = new AgendaEvent { AppId = appId, Name = name, TimeZone = zone, CreatedAt = now };
            db.Add(agendaEvent);
        }
        else if (await db.Set<AgendaSession>().AnyAsync(s => s.EventId == agendaEvent.Id && (s.StartsAt < Day(start, zone) || s.StartsAt >= Day(end.AddDays(1), zone)), ct))
            throw new BadInputException("startDate", "Some sessions fall outside these dates; move or remove them first, or keep the dates wider.");
        agendaEvent.Name = name;
        agendaEvent.TimeZone = zone;
        agendaEvent.StartDate = start;
        agendaEvent.EndDate = end;
        agendaEvent.QuietTime = form.QuietTime;
        agendaEvent.SurveyEnabled = form.SurveyEnabled;
        agendaEvent.SurveyDelayMinutes = form.SurveyDelayMinutes;
        agendaEvent.SurveyUrl = string.IsNullOrWhiteSpace(form.SurveyUrl) ? null : form.SurveyUrl.Trim();
        agendaEvent.SurveyAudience = form.SurveyAudience;
        agendaEvent.UpdatedAt = now;
        audit.Add(db, actor, "agenda.event_saved", name, $"{zone}, {start:yyyy-MM-dd} to {end:yyyy-MM-dd}, quiet time {(form.QuietTime ? "on" : "off")}, survey {(form.SurveyEnabled ? "on" : "off")}");
        await db.SaveChangesAsync(ct);
        if (surveyChanged) await scheduler.PlanEventAsync(agendaEvent.Id, ct: ct);
        return agendaEvent;
    }

    private static DateTime Day(DateOnly day, string zone) =>
        TimeZones.ToUtc(day.ToDateTime(TimeOnly.MinValue), TimeZones.Find(zone) ?? TimeZoneInfo.Utc);

    public async Task<IReadOnlyList<ReminderRule>> RulesAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<ReminderRule>().AsNoTracking().Where(r => r.AppId == appId).OrderBy(r => r.Id).ToListAsync(ct);
    }

    /// <summary>Adds a rule (null id) or replaces one; the reminders of every session are planned again.</summary>
    public async Task<ReminderRule> SaveRuleAsync(long appId, long? ruleId, ReminderRuleForm form, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var valid = AgendaValidation.Rule(form, errors);
        errors.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var agendaEvent = await RequireEventAsync(db, appId, ct);
        var rule = ruleId is null ? null : await db.Set<ReminderRule>().FirstOrDefaultAsync(r => r.Id == ruleId && r.AppId == appId, ct)
                                             ?? throw new NotFoundException($"There is no reminder rule {ruleId}.");
        if (rule is null)
        {
            rule = valid!;
            rule.AppId = appId;
            rule.EventId = agendaEvent.Id;
            rule.CreatedAt = now;
            db.Add(rule);
        }
        else
        {
            rule.Track = valid!.Track;
            rule.OffsetMinutes = valid.OffsetMinutes;
            rule.Enabled = valid.Enabled;
            rule.DefaultLanguage = valid.DefaultLanguage;
            rule.Templates = valid.Templates;
        }
        rule.UpdatedAt = now;
        audit.Add(db, actor, ruleId is null ? "agenda.rule_added" : "agenda.rule_changed", agendaEvent.Name, rule.Describe());
        await db.SaveChangesAsync(ct);
        await scheduler.PlanEventAsync(agendaEvent.Id, ct: ct);
        return rule;
    }

    public async Task DeleteRuleAsync(long appId, long ruleId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rule = await db.Set<ReminderRule>().FirstOrDefaultAsync(r => r.Id == ruleId && r.AppId == appId, ct)
                   ?? throw new NotFoundException($"There is no reminder rule {ruleId}.");
        db.Remove(rule);
        audit.Add(db, actor, "agenda.rule_removed", rule.Describe());
        await db.SaveChangesAsync(ct);
        await scheduler.PlanEventAsync(rule.EventId, [rule.Id], ct);
    }
}
