namespace PushConsole.Sending.Providers;

/// <summary>What a provider's answer means for the delivery. Deciding what to do about it is the dispatcher's job.</summary>
public enum ProviderOutcome
{
    /// <summary>Accepted by the provider (not yet delivered): <see cref="ProviderResult.MessageId"/> is its id.</summary>
    Sent,
    /// <summary>The token or subscription is gone for good: mark the installation invalid (mind <see cref="ProviderResult.TokenInvalidSince"/>).</summary>
    DeadToken,
    /// <summary>Try the same push again later (<see cref="ProviderResult.RetryAfter"/> when the provider said; <see cref="ProviderResult.SlowDownLane"/> when the whole lane must slow down).</summary>
    RetryLater,
    /// <summary>The app's credentials or configuration are wrong (bad key, wrong project, topic not allowed): pause, never a dead token.</summary>
    CredentialProblem,
    /// <summary>The provider refused this payload or its options; fix the content, sending again as is will fail again.</summary>
    PayloadRejected,
    /// <summary>Too large for the provider (checked before sending, or the provider said 413).</summary>
    PayloadTooLarge,
    /// <summary>Any other refusal; not worth retrying. <see cref="ProviderResult.Reason"/> says why.</summary>
    Failed,
}

/// <summary>The provider's own answer, trimmed, for the delivery record, the changelog and the "test push" view.</summary>
public sealed record ProviderAnswer(int? StatusCode, string? Body, string? Headers = null, string? HttpVersion = null)
{
    public const int MaxBody = 1000;

    /// <summary>Nothing was sent (validation before sending, or the connection failed).</summary>
    public static readonly ProviderAnswer None = new(null, null);

    public static ProviderAnswer From(int status, string? body, string? headers, Version? version) =>
        new(status, Trim(body), headers, version switch
        {
            null => null,
            // the two versions every answer has, without formatting a string per answer
            { Major: 2, Minor: 0 } => "HTTP/2",
            { Major: 1, Minor: 1 } => "HTTP/1.1",
            _ => $"HTTP/{(version.Minor == 0 ? version.Major.ToString() : version.ToString())}",
        });

    public static string? Trim(string? text) =>
        string.IsNullOrEmpty(text) ? null : text.Length <= MaxBody ? text : text[..MaxBody] + "…";

    public override string ToString() =>
        StatusCode is null ? "(no answer)" : string.Join(' ', new[] { HttpVersion, StatusCode.ToString(), Headers, Body }.Where(p => !string.IsNullOrEmpty(p)));
}

/// <summary>One send's result, the same shape for FCM, APNs and Web Push.</summary>
public sealed record ProviderResult
{
    public required PushProvider Provider { get; init; }
    public required ProviderOutcome Outcome { get; init; }
    /// <summary>The provider's short reason: FCM errorCode/status (UNREGISTERED), APNs reason (Unregistered), Web Push status text; or ours (timeout, PayloadTooLarge).</summary>
    public string? Reason { get; init; }
    /// <summary>One sentence a person can read.</summary>
    public string? Detail { get; init; }
    /// <summary>FCM message name, APNs apns-unique-id (sandbox) or apns-id, Web Push Location.</summary>
    public string? MessageId { get; init; }
    /// <summary>APNs 410: when Apple last knew the token invalid. A token registered after that is good again.</summary>
    public DateTimeOffset? TokenInvalidSince { get; init; }
    /// <summary>How long the provider asked us to wait (Retry-After), at least a minute for FCM quota errors.</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>The provider wants the whole lane (this app × provider, or this push service for Web Push) to slow down, not just this push.</summary>
    public bool SlowDownLane { get; init; }
    public ProviderAnswer Answer { get; init; } = ProviderAnswer.None;

    public bool IsSent => Outcome == ProviderOutcome.Sent;

    public override string ToString() =>
        $"{Provider} {Outcome}{(Reason is null ? "" : $" ({Reason})")}{(RetryAfter is { } r ? $" retry after {r.TotalSeconds:0}s" : "")}{(SlowDownLane ? " slow down lane" : "")}: {Answer}";
}
