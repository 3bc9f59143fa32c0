using System.Data.Common;
using PushConsole.Sending;

namespace PushConsole.Sending.Launch;

/// <summary>
/// A part of the launch with its own say over each recipient: consent and frequency caps suppress, quiet hours
/// and best-time move the due time. Register one with <c>services.AddSingleton&lt;ILaunchRule, T&gt;()</c>; rules run
/// in their <see cref="Order"/> (see <see cref="LaunchRuleOrder"/>), after the planner has chosen variant, language and due time.
/// </summary>
public interface ILaunchRule
{
    /// <summary>Where the rule runs in the launch; one of <see cref="LaunchRuleOrder"/>, unique among the rules.</summary>
    int Order { get; }

    /// <summary>What the rule adds to this campaign's audience query, or null when it has nothing to do for it.</summary>
    ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct);
}

/// <summary>
/// The sequence of launch rules, in one place. Rules that set the due time outright come first; rules that only defer
/// (never earlier) or suppress come after, so nothing later undoes a hold.
/// </summary>
public static class LaunchRuleOrder
{
    /// <summary>Best time sets each recipient's due time outright.</summary>
    public const int BestTime = 100;
    /// <summary>Agenda quiet time defers past running sessions the recipient attends.</summary>
    public const int AgendaQuietTime = 200;
    /// <summary>An A/B test with a winner rule holds the rest of the audience.</summary>
    public const int AbTestHold = 300;
    public const int Consent = 400;
    public const int FrequencyCap = 500;
    /// <summary>Quiet hours defer last: whatever due time the rules before chose, the night is respected.</summary>
    public const int QuietHours = 600;
}

/// <summary>The registered launch rules in their declared order; two rules claiming one place is a start-up error.</summary>
public sealed class LaunchRules(IEnumerable<ILaunchRule> rules)
{
    public IReadOnlyList<ILaunchRule> InOrder { get; } = Sort(rules);

    private static List<ILaunchRule> Sort(IEnumerable<ILaunchRule> rules)
    {
        var sorted = rules.OrderBy(r => r.Order).ToList();
        for (var i = 1; i < sorted.Count; i++)
            if (sorted[i].Order == sorted[i - 1].Order)
                throw new InvalidOperationException($"Launch rules {sorted[i - 1].GetType().Name} and {sorted[i].GetType().Name} both claim order {sorted[i].Order}.");
        return sorted;
    }
}

/// <summary>
/// Extra SELECT columns (comma-first is not needed; give <c>expr AS alias</c> items joined by commas, aliases unique to
/// the rule), extra joins over <c>i</c> (installations) and <c>u</c> (app_users), their parameters, and the per-row decision
/// that may read those columns from the reader by alias.
/// </summary>
public sealed record LaunchRuleSql(string? Columns, string? Joins, object? Parameters, RecipientRule Apply);

/// <summary>Decides for one recipient; the current row of the audience query is readable by column alias.</summary>
public delegate void RecipientRule(DbDataReader row, AudienceRow recipient, ref RecipientDecision decision);

/// <summary>What the launch writes for one recipient; rules may change it.</summary>
public struct RecipientDecision
{
    public DeliveryStatus Status;
    /// <summary>Suppression reason (no_consent, category_opted_out, frequency_cap, …) or a note on a deferral.</summary>
    public string? Reason;
    public long DueAtMs;
    /// <summary>The variant the planner chose (an A/B rule may change it, e.g. to hold the rest until a winner).</summary>
    public string Variant;

    public readonly bool Suppressed => Status == DeliveryStatus.Suppressed;

    public void Suppress(string reason)
    {
        Status = DeliveryStatus.Suppressed;
        Reason = reason;
    }

    /// <summary>Holds the delivery until later (never earlier than planned), noting why.</summary>
    public void DeferUntil(long dueAtMs, string reason)
    {
        if (dueAtMs <= DueAtMs) return;
        DueAtMs = dueAtMs;
        Reason = reason;
    }
}
