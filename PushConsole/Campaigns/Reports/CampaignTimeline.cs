using PushConsole.Sending;
using PushConsole.Sending.Providers;

namespace PushConsole.Campaigns.Reports;

/// <summary>
/// A campaign's deliveries and opens per time bucket since it launched: read from SQL, then moved along by the
/// worker's batch deltas between reads so the charts follow each batch.
/// </summary>
public sealed class CampaignTimeline(long startMs, long bucketMs)
{
    public static readonly DeliveryStatus[] Outcomes = [DeliveryStatus.Sent, DeliveryStatus.Failed, DeliveryStatus.InvalidToken, DeliveryStatus.Expired];
    private static readonly long[] Buckets = [1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];

    public long StartMs => startMs;
    public long BucketMs => bucketMs;
    /// <summary>Bucket → deliveries that reached each outcome (index into <see cref="Outcomes"/>).</summary>
    public SortedDictionary<long, long[]> Deliveries { get; } = [];
    /// <summary>Bucket → sent per provider (index = (int)PushProvider).</summary>
    public SortedDictionary<long, long[]> SentByProvider { get; } = [];
    /// <summary>Bucket → opens and receipts reported by apps.</summary>
    public SortedDictionary<long, (long Received, long Opened)> Reports { get; } = [];

    /// <summary>A bucket that keeps about a hundred points over the campaign's span so far.</summary>
    public static long BucketFor(long spanMs) => Buckets.FirstOrDefault(b => spanMs / b <= 120, Buckets[^1]);

    public long BucketOf(long atMs) => Math.Max(0, (atMs - startMs) / bucketMs);

    public void AddDeliveries(long bucket, DeliveryStatus status, PushProvider provider, long count)
    {
        var index = Array.IndexOf(Outcomes, status);
        if (index < 0) return;
        Row(Deliveries, bucket, Outcomes.Length)[index] += count;
        if (status == DeliveryStatus.Sent) Row(SentByProvider, bucket, 3)[(int)provider] += count;
    }

    public void AddReports(long bucket, long received, long opened)
    {
        var (r, o) = Reports.GetValueOrDefault(bucket);
        Reports[bucket] = (r + received, o + opened);
    }

    /// <summary>One written batch of the worker: its new statuses land in the bucket of its time.</summary>
    public void Apply(ProgressDelta delta)
    {
        var bucket = BucketOf(new DateTimeOffset(delta.At).ToUnixTimeMilliseconds());
        foreach (var (status, count) in delta.NewStatuses)
            if (status != DeliveryStatus.Sent) AddDeliveries(bucket, status, default, count);
        foreach (var (provider, count) in delta.SentByProvider) AddDeliveries(bucket, DeliveryStatus.Sent, provider, count);
    }

    /// <summary>Points [time ms, value] for ApexCharts datetime axes, every bucket from the first to <paramref name="lastBucket"/>.</summary>
    public IEnumerable<long[]> Points<T>(SortedDictionary<long, T> source, Func<T, long> value, long lastBucket, bool cumulative = false)
    {
        long total = 0;
        for (long b = 0; b <= lastBucket; b++)
        {
            var v = source.TryGetValue(b, out var row) ? value(row) : 0;
            total = cumulative ? total + v : v;
            yield return [startMs + b * bucketMs, total];
        }
    }

    private static long[] Row(SortedDictionary<long, long[]> rows, long bucket, int width)
    {
        if (!rows.TryGetValue(bucket, out var row)) rows[bucket] = row = new long[width];
        return row;
    }
}
