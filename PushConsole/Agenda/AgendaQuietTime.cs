using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Agenda;

/// <summary>
/// Agenda-aware quiet time (a launch rule, for events that switch it on): a non-urgent push to an attendee is held while a
/// session they favourited (or checked in to) is running, and leaves when it ends (after back-to-back ones, after the last).
/// Urgent pushes pass: agenda change alerts, any campaign whose consent category the app marks transactional
/// (program changes and safety by default), and test pushes.
/// </summary>
public sealed class AgendaQuietTime(IDbContextFactory<AppDbContext> contexts, Database database, Consent.ConsentCatalog consent) : ILaunchRule
{
    public int Order => LaunchRuleOrder.AgendaQuietTime;

    public const string Reason = "agenda_quiet_time";
    private const string Column = "agenda_quiet_sessions";
    /// <summary>Sessions starting within this horizon can hold a push (local-time schedules reach ~40 h ahead).</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(3);

    private async Task<bool> IsUrgentAsync(Campaign campaign, CancellationToken ct) =>
        campaign.Options.Category is AgendaCategories.ProgramChanges || campaign.Origin == CampaignOrigin.Test
        || (await consent.GetFreshAsync(campaign.AppId, ct)).Find(campaign.Options.Category)?.Transactional == true;

    public async ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct)
    {
        if (await IsUrgentAsync(campaign, ct)) return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var eventId = await db.Set<AgendaEvent>().Where(e => e.AppId == campaign.AppId && e.QuietTime).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct);
        if (eventId is null) return null;
        var until = nowUtc + Horizon;
        var sessions = await db.Set<AgendaSession>().AsNoTracking()
            .Where(s => s.EventId == eventId && !s.Cancelled && s.EndsAt > nowUtc && s.StartsAt < until)
            .Select(s => new { s.Id, s.StartsAt, s.EndsAt }).ToListAsync(ct);
        if (sessions.Count == 0) return null;
        var spans = sessions.ToDictionary(s => s.Id, s => (Start: Ms(s.StartsAt), End: Ms(s.EndsAt)));
        var ids = spans.Keys.ToArray();
        var inList = (string column) => database.Dialect.InList(column, "@agendaQuietIds");
        var concat = database.Dialect.JoinText("q.sid");
        var columns = $"(SELECT {concat} FROM (SELECT f.session_id AS sid FROM agenda_favorites f WHERE f.app_user_id = i.app_user_id AND {inList("f.session_id")} " +
                      $"UNION SELECT c.session_id FROM agenda_checkins c WHERE c.app_user_id = i.app_user_id AND {inList("c.session_id")}) q) AS {Column}";
        var ordinal = -1;
        return new LaunchRuleSql(columns, null, new { agendaQuietIds = ids }, (DbDataReader row, AudienceRow _, ref RecipientDecision decision) =>
        {
            if (ordinal < 0) ordinal = row.GetOrdinal(Column);
            if (row.IsDBNull(ordinal)) return;
            var mine = row.GetString(ordinal).Split(',').Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).Where(spans.ContainsKey).Select(id => spans[id]).ToList();
            // back-to-back sessions: keep moving past whichever is running at the new time
            for (var moved = true; moved;)
            {
                moved = false;
                var due = decision.DueAtMs;
                foreach (var (start, end) in mine)
                    if (start <= due && due < end)
                    {
                        decision.DeferUntil(end, Reason);
                        moved = true;
                        break;
                    }
            }
        });
    }

    private static long Ms(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
}
