using System.Data.Common;
using System.Globalization;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.BestTime;

/// <summary>Which hour of the next 24 a recipient is most likely to look at their phone.</summary>
public static class BestHours
{
    /// <summary>
    /// The next start of a given hour-of-week (0 = Monday 00:00) in the recipient's zone within the next 24 hours;
    /// when that hour-of-week is further away, the same hour of the day within the next 24 hours.
    /// </summary>
    public static DateTime NextHourOfWeek(int hourOfWeek, TimeZoneInfo zone, DateTime nowUtc)
    {
        var hourOfDay = hourOfWeek % 24;
        var local = TimeZones.ToLocal(nowUtc, zone);
        var candidate = local.Date.AddHours(hourOfDay);
        if (candidate <= local) candidate = candidate.AddDays(1);
        var utc = TimeZones.ToUtc(candidate, zone);
        return utc < nowUtc ? nowUtc : utc;
    }

    /// <summary>
    /// Scores each of the next 24 full hours in the recipient's zone: twice its activity on that very weekday and hour, plus
    /// the activity at that hour of day over the whole week (so a habit seen on other days counts too). The best hour-of-week,
    /// or null without any history. Ties go to the earliest hour.
    /// </summary>
    public static int? Pick(IReadOnlyList<int> activity, TimeZoneInfo zone, DateTime nowUtc)
    {
        var byHourOfDay = new int[24];
        var any = false;
        for (var h = 0; h < ActivityHour.HoursPerWeek; h++)
        {
            byHourOfDay[h % 24] += activity[h];
            any |= activity[h] > 0;
        }
        if (!any) return null;
        var local = TimeZones.ToLocal(nowUtc, zone);
        var first = local.Date.AddHours(local.Hour + 1);
        int? best = null;
        var bestScore = -1;
        for (var k = 0; k < 24; k++)
        {
            var hour = ActivityHour.Of(first.AddHours(k));
            var score = 2 * activity[hour] + byHourOfDay[hour % 24];
            if (score > bestScore) (best, bestScore) = (hour, score);
        }
        return best;
    }

    /// <summary>"hour:count,hour:count…" as the launch query aggregates it (an hour may repeat: one per device of the user).</summary>
    public static int[] Parse(string? packed)
    {
        var activity = new int[ActivityHour.HoursPerWeek];
        if (string.IsNullOrEmpty(packed)) return activity;
        foreach (var cell in packed.Split(','))
        {
            var colon = cell.IndexOf(':');
            if (colon > 0 && int.TryParse(cell.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour is >= 0 and < ActivityHour.HoursPerWeek
                && int.TryParse(cell.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                activity[hour] += count;
        }
        return activity;
    }

    public static string Describe(int hourOfWeek) =>
        $"{CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames[(hourOfWeek / 24 + 1) % 7]} {hourOfWeek % 24:00}:00";
}

/// <summary>
/// The intelligent schedule (EngageLab <c>trigger.intelligent</c>): each recipient with an activity profile gets it at their
/// best hour within 24 h of the launch, in their own zone; the planner has already given those without history the backup
/// wall time in their zone (or now). The profile is the installation's, merged with the other devices of its user.
/// First of the launch rules (<see cref="LaunchRuleOrder.BestTime"/>): it sets the due time outright, later rules defer or suppress.
/// </summary>
public sealed class BestTimeRule(Database database) : ILaunchRule
{
    public int Order => LaunchRuleOrder.BestTime;

    public const string Column = "best_time_activity";

    public ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct)
    {
        if (campaign.Schedule.Kind != ScheduleKind.Intelligent) return ValueTask.FromResult<LaunchRuleSql?>(null);
        var cells = database.Dialect.JoinText("CAST(bt.hour_of_week AS TEXT) || ':' || CAST(bt.sessions + bt.opens AS TEXT)");
        var column = $"(SELECT {cells} FROM activity_hours bt " +
                     $"WHERE bt.installation_id = i.id OR bt.installation_id IN (SELECT bj.id FROM installations bj WHERE bj.app_user_id = i.app_user_id)) AS {Column}";
        var ordinal = -1;
        return ValueTask.FromResult<LaunchRuleSql?>(new LaunchRuleSql(column, null, null,
            (DbDataReader row, AudienceRow recipient, ref RecipientDecision decision) =>
            {
                if (ordinal < 0) ordinal = row.GetOrdinal(Column);
                if (row.IsDBNull(ordinal)) return;
                var zone = TimeZones.Find(recipient.TimeZone) ?? TimeZoneInfo.Utc;
                if (BestHours.Pick(BestHours.Parse(row.GetString(ordinal)), zone, nowUtc) is not { } best) return;
                var due = BestHours.NextHourOfWeek(best, zone, nowUtc);
                decision.DueAtMs = new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                decision.Reason = $"best time {BestHours.Describe(best)} {zone.Id}";
            }));
    }
}
