using PushConsole.Api;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.AbTest;

/// <summary>Checks an A/B test's winner rule; field names are paths into the campaign model.</summary>
public static class AbTestValidation
{
    public const int MaxWaitMinutes = 7 * 24 * 60;

    public static void Validate(CampaignMessage message, CampaignSchedule schedule, FieldErrors errors)
    {
        if (message.Winner is not { } rule) return;
        var senders = message.Variants.Where(v => !v.IsControl).Select(v => v.Key).ToList();
        if (senders.Count < 2)
        {
            errors.Add("message.winner", "A winner rule needs at least two variants to compare; remove it or add a variant.");
            return;
        }
        if (rule.TestPercent is < 1 or > 90)
            errors.Add("message.winner.testPercent", "Send the test to between 1 % and 90 % of the audience; the rest gets the winner.");
        if (rule.WaitMinutes is < 1 or > MaxWaitMinutes)
            errors.Add("message.winner.waitMinutes", "Wait between 1 minute and 7 days before picking the winner.");
        if (!senders.Contains(rule.DefaultVariant, StringComparer.Ordinal))
            errors.Add("message.winner.defaultVariant", $"The default must be one of the variants ({string.Join(", ", senders)}); the rest gets it when no variant is significantly better.");
        if (rule.ChosenVariant is { } chosen && !senders.Contains(chosen, StringComparer.Ordinal))
            errors.Add("message.winner.chosenVariant", $"There is no variant \"{chosen}\".");
        if (rule.Mode == WinnerMode.Automatic && schedule.Kind is not (ScheduleKind.Now or ScheduleKind.At))
            errors.Add("message.winner.mode", "An automatic winner needs one send time (now or at a date): with local-time or best-time schedules the test " +
                                              "reaches recipients over a whole day. Pick the winner by hand instead.");
    }
}
