namespace PushConsole.Sending;

/// <summary>Exponential back-off with full jitter and a ceiling; the provider's Retry-After wins when it is longer.</summary>
public sealed class RetryPolicy(DispatchOptions options)
{
    public int MaxAttempts => options.MaxAttempts;

    public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(attempt - 1, 20);
        var ceiling = Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.RetryMaxDelay.TotalMilliseconds);
        // half fixed, half random: spreads retries without ever retrying at once
        var backoff = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        return retryAfter is { } after && after > backoff ? after : backoff;
    }
}
