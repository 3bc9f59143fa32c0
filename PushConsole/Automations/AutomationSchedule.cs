using Cronos;

namespace PushConsole.Automations;

/// <summary>Five-field cron (minute hour day-of-month month day-of-week) in an IANA zone, for recurring digests.</summary>
public static class AutomationSchedule
{
    public static CronExpression? TryParse(string cron) =>
        CronExpression.TryParse(cron, CronFormat.Standard, out var expression) ? expression : null;

    /// <summary>The first fire time strictly after <paramref name="afterUtc"/> (UTC), or null if the expression never fires again.</summary>
    public static DateTime? Next(string cron, string zone, DateTime afterUtc) =>
        TryParse(cron)?.GetNextOccurrence(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(zone));
}
