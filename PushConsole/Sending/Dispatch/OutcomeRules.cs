using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Dispatch;

/// <summary>What the worker does about one provider answer (DESIGN.md, dispatch path step 3).</summary>
public sealed record Decision(DeliveryOutcome Outcome, bool InvalidateToken = false, TimeSpan? PauseLaneFor = null, string? PauseCampaignBecause = null)
{
    /// <summary>APNs 410: since when Apple knows the token is dead (a token registered later is good).</summary>
    public DateTimeOffset? TokenInvalidSince { get; init; }
    /// <summary>The token the push went to, so a dead-token answer about an older token is ignored.</summary>
    public string? Token { get; init; }
}

public static class OutcomeRules
{
    public static Decision Decide(ClaimedDelivery row, ProviderResult result, RetryPolicy retry, DispatchOptions options, long nowMs)
    {
        var answer = result.Answer.ToString();
        switch (result.Outcome)
        {
            case ProviderOutcome.Sent:
                return new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.Sent, null, result.MessageId, null, nowMs, row.DueAtMs));
            case ProviderOutcome.DeadToken:
                return new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.InvalidToken, result.Reason, null, answer, null, row.DueAtMs), InvalidateToken: true)
                {
                    TokenInvalidSince = result.TokenInvalidSince,
                };
            case ProviderOutcome.RetryLater:
            {
                TimeSpan? pause = result.SlowDownLane ? result.RetryAfter ?? options.DefaultLanePause : null;
                if (row.Attempts >= retry.MaxAttempts)
                    return new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.Failed, $"gave up after {row.Attempts} attempts: {result.Reason}", null, answer, null, row.DueAtMs), PauseLaneFor: pause);
                var due = nowMs + (long)retry.Delay(row.Attempts, result.RetryAfter).TotalMilliseconds;
                if (pause is { } p) due = Math.Max(due, nowMs + (long)p.TotalMilliseconds);
                return due > row.ExpiresAtMs
                    ? new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.Expired, $"time to live ran out while retrying ({result.Reason})", null, answer, null, row.DueAtMs), PauseLaneFor: pause)
                    : new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.Pending, $"retrying: {result.Reason}", null, answer, null, due), PauseLaneFor: pause);
            }
            case ProviderOutcome.CredentialProblem:
                // the push itself was fine: hold it (uncounted) until someone fixes the credentials and resumes
                return new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.Held, $"credentials: {result.Reason}", null, answer, null, row.DueAtMs, AttemptsAdjust: -1),
                    PauseCampaignBecause: $"{Name(result.Provider)} refused the app's credentials ({result.Reason}): {result.Detail} Fix them on the app's page, then resume.");
            default:
                return new Decision(new DeliveryOutcome(row.Id, row.CampaignId, DeliveryStatus.Failed, result.Reason ?? result.Outcome.ToString(), null, answer, null, row.DueAtMs));
        }
    }

    public static string Name(PushProvider provider) => provider switch
    {
        PushProvider.Fcm => "FCM",
        PushProvider.Apns => "APNs",
        _ => "Web Push",
    };
}
