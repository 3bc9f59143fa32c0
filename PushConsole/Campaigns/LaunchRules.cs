using System.Data.Common;
using PushConsole.Delivery;

namespace PushConsole.Campaigns;

/// <summary>
/// A part of the launch with its own say over each recipient: consent and frequency caps suppress, quiet hours
/// and best-time move the due time. Register one with <c>services.AddSingleton&lt;ILaunchRule, T&gt;()</c>; rules run
/// in registration order, after the planner has chosen variant, language and due time.
/// </summary>
public interface ILaunchRule
{
    /// <summary>What the rule adds to this campaign's audience query, or null when it has nothing to do for it.</summary>
    ValueTask<LaunchRuleSql?> PrepareAsync(Campaign campaign, DateTime nowUtc, CancellationToken ct);
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
