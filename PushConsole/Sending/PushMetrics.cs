using System.Diagnostics.Metrics;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending;

/// <summary>
/// The dispatcher's own figures (docs/OPERATIONS.md lists each one). Static so the hot path adds to a counter in one line;
/// exported by OpenTelemetry at <c>/metrics</c> (Prometheus) and over OTLP when <c>Otlp:Endpoint</c> is set.
/// </summary>
public static class PushMetrics
{
    public const string MeterName = "PushConsole";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> DeliveriesCounter = Meter.CreateCounter<long>("pushconsole.deliveries", "{delivery}",
        "Outcomes of delivery attempts, by provider and outcome (sent, invalid_token, failed, expired, cancelled, held, retry, interrupted).");
    private static readonly Histogram<double> ProviderDuration = Meter.CreateHistogram("pushconsole.provider.duration", "s",
        "Time from handing a push to the provider client to its answer, by provider and result.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    private static readonly Counter<long> RetriesCounter = Meter.CreateCounter<long>("pushconsole.retries", "{delivery}",
        "Provider answers that put a delivery back to wait for another attempt, by provider.");
    private static readonly Counter<long> ThrottledCounter = Meter.CreateCounter<long>("pushconsole.provider.throttled", "{response}",
        "HTTP 429 answers from a provider, by provider.");
    private static readonly Counter<long> LanePausesCounter = Meter.CreateCounter<long>("pushconsole.lane.pauses", "{pause}",
        "Times a provider told a whole lane (app × provider × environment) to slow down, by provider.");
    private static readonly Histogram<double> LaunchDuration = Meter.CreateHistogram("pushconsole.launch.duration", "s",
        "Time to write a campaign's audience into the outbox, by result (done, cancelled, failed).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });

    /// <summary>Live sources of the outbox gauge (one per running host; several only in tests).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, Func<IEnumerable<Measurement<long>>>> OutboxSources = new();

    static PushMetrics() =>
        Meter.CreateObservableGauge("pushconsole.outbox.deliveries", () => OutboxSources.Values.SelectMany(s => s()), "{delivery}",
            "Deliveries in the outbox by state: due (pending and due now), scheduled (pending, due later), leased (being sent), held (paused campaign or credentials).");

    private static readonly Dictionary<ProviderOutcome, string> OutcomeNames =
        Enum.GetValues<ProviderOutcome>().ToDictionary(o => o, o => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString()));

    public static string Name(PushProvider provider) => provider switch
    {
        PushProvider.Fcm => "fcm",
        PushProvider.Apns => "apns",
        _ => "webpush",
    };

    /// <summary>One delivery attempt ended with this status (pending means "retry" unless the shutdown interrupted it).</summary>
    public static void Delivery(PushProvider provider, DeliveryOutcome outcome)
    {
        var name = outcome.Status switch
        {
            DeliveryStatus.Sent => "sent",
            DeliveryStatus.InvalidToken => "invalid_token",
            DeliveryStatus.Failed => "failed",
            DeliveryStatus.Expired => "expired",
            DeliveryStatus.Cancelled => "cancelled",
            DeliveryStatus.Held => "held",
            DeliveryStatus.Pending when outcome.AttemptsAdjust < 0 => "interrupted",
            DeliveryStatus.Pending => "retry",
            _ => outcome.Status.ToString().ToLowerInvariant(),
        };
        DeliveriesCounter.Add(1, new("provider", Name(provider)), new("outcome", name));
    }

    /// <summary>A provider answered (or failed to): latency, 429s, retries and lane pauses in one call.</summary>
    public static void ProviderAnswered(PushProvider provider, ProviderResult result, TimeSpan elapsed, bool retry, bool pausedLane)
    {
        var tag = new KeyValuePair<string, object?>("provider", Name(provider));
        ProviderDuration.Record(elapsed.TotalSeconds, tag, new("result", OutcomeNames.GetValueOrDefault(result.Outcome, "other")));
        if (result.Answer.StatusCode == 429) ThrottledCounter.Add(1, tag);
        if (retry) RetriesCounter.Add(1, tag);
        if (pausedLane) LanePausesCounter.Add(1, tag);
    }

    public static void Launched(TimeSpan elapsed, string result) => LaunchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));


    /// <summary>Adds a source of outbox counts until the returned handle is disposed.</summary>
    public static IDisposable ObserveOutbox(Func<IEnumerable<Measurement<long>>> source)
    {
        var key = new object();
        OutboxSources[key] = source;
        return new Unregister(key);
    }

    private sealed class Unregister(object key) : IDisposable
    {
        public void Dispose() => OutboxSources.TryRemove(key, out _);
    }

}
