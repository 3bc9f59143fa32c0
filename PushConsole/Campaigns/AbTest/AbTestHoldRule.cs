using System.Data.Common;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Campaigns.AbTest;

/// <summary>
/// The launch side of an A/B test with a winner rule: a stable <see cref="WinnerRule.TestPercent"/> of the audience gets
/// the variants now, the rest is written <see cref="DeliveryStatus.AwaitingWinner"/> until the winner is picked (then
/// released in one statement). Once a winner is known, a resumed launch writes the rest with it directly.
/// </summary>
public sealed class AbTestHoldRule(WinnerScheduler scheduler) : ILaunchRule
{
    public int Order => LaunchRuleOrder.AbTestHold;

    public async ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct)
    {
        if (campaign.Message.Winner is not { } rule || campaign.Message.Variants.Count(v => !v.IsControl) < 2) return null;
        if (rule.ChosenVariant is { } chosen)
            return new LaunchRuleSql(null, null, null, (DbDataReader _, AudienceRow _, ref RecipientDecision decision) => decision.Variant = chosen);
        if (rule.Mode == WinnerMode.Automatic)
            await scheduler.ScheduleAsync(campaign.Id, (campaign.LaunchedAt ?? nowUtc).AddMinutes(rule.WaitMinutes), replace: false, ct);
        var campaignId = campaign.Id;
        var percent = rule.TestPercent;
        return new LaunchRuleSql(null, null, null, (DbDataReader _, AudienceRow recipient, ref RecipientDecision decision) =>
        {
            if (!InTest(campaignId, recipient.InstallationId, percent)) decision.Status = DeliveryStatus.AwaitingWinner;
        });
    }

    /// <summary>
    /// Whether an installation is in the test share; a hash independent of the variant's (another seed), so the test
    /// share holds every variant in its weight, and the same installation is always in or out.
    /// </summary>
    public static bool InTest(long campaignId, long installationId, int testPercent) => RecipientPlanner.Bucket(~campaignId, installationId) < testPercent;
}
