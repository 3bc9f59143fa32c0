namespace PushConsole.Sending.Providers;

/// <summary>One app's client for one provider (and APNs environment). Thread-safe; send many pushes concurrently.</summary>
public interface IPushClient
{
    PushProvider Provider { get; }

    /// <summary>Sends one push. Never throws for a provider refusal or a network problem: the result says what happened.</summary>
    Task<ProviderResult> SendAsync(PushMessage message, CancellationToken ct = default);
}
