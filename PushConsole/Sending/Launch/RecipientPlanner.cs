
namespace PushConsole.Sending.Launch;

/// <summary>What the launch knows of one recipient when it plans its delivery.</summary>
public readonly record struct Recipient(long InstallationId, string? Language, string? TimeZone);

/// <summary>Variant, language and due time of one delivery.</summary>
public readonly record struct DeliveryPlan(string Variant, bool IsControl, string Language, DateTime DueUtc);

/// <summary>
/// Per-recipient decisions of a launch, deterministic so a resumed launch (or a re-run) decides the same:
/// variant by a hash of campaign + installation, language by what the content offers, due time by schedule.
/// </summary>
public sealed class RecipientPlanner(Campaign campaign, DateTime nowUtc)
{
    private readonly CampaignVariant[] _variants = [.. campaign.Message.Variants];
    private readonly int[] _cumulative = Cumulative(campaign.Message.Variants);
    private readonly HashSet<string> _languages = campaign.Message.Variants.Where(v => !v.IsControl)
        .SelectMany(v => v.Content.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public DeliveryPlan Plan(in Recipient recipient)
    {
        var variant = VariantFor(recipient.InstallationId);
        return new DeliveryPlan(variant.Key, variant.IsControl, LanguageFor(recipient.Language), DueFor(recipient));
    }

    /// <summary>Bucket 0–99 from a stable hash of (campaign, installation): the same installation always gets the same variant.</summary>
    public static int Bucket(long campaignId, long installationId)
    {
        // SplitMix64 finaliser: stable across processes and versions, unlike string.GetHashCode
        var z = unchecked((ulong)campaignId * 0x9E3779B97F4A7C15UL ^ (ulong)installationId);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % 100);
    }

    public CampaignVariant VariantFor(long installationId)
    {
        if (_variants.Length == 1) return _variants[0];
        var bucket = Bucket(campaign.Id, installationId);
        for (var i = 0; i < _variants.Length; i++)
            if (bucket < _cumulative[i]) return _variants[i];
        return _variants[^1];
    }

    /// <summary>The recipient's language when the content has it (exactly, or its base: fr-CA → fr), else the default.</summary>
    public string LanguageFor(string? language)
    {
        if (!string.IsNullOrEmpty(language))
        {
            if (_languages.Contains(language)) return _languages.First(l => string.Equals(l, language, StringComparison.OrdinalIgnoreCase));
            var dash = language.IndexOf('-');
            if (dash > 0 && _languages.Contains(language[..dash])) return language[..dash].ToLowerInvariant();
        }
        return campaign.Message.DefaultLanguage;
    }

    /// <summary>The due time by schedule; a best-time schedule plans its backup here and the best-time launch rule moves those with history.</summary>
    public DateTime DueFor(in Recipient recipient) => campaign.Schedule switch
    {
        AtSchedule at => Later(at.At, nowUtc),
        // already past in this zone: send now rather than skip the recipient
        LocalTimeSchedule local => Later(TimeZones.ToUtc(local.LocalTime, Zone(recipient)), nowUtc),
        BestTimeSchedule { BackupLocalTime: { } backup } => Later(TimeZones.ToUtc(backup, Zone(recipient)), nowUtc),
        _ => nowUtc,
    };

    private static TimeZoneInfo Zone(in Recipient recipient) => TimeZones.Find(recipient.TimeZone) ?? TimeZoneInfo.Utc;

    private static DateTime Later(DateTime a, DateTime b) => a > b ? DateTime.SpecifyKind(a, DateTimeKind.Utc) : b;

    private static int[] Cumulative(IReadOnlyList<CampaignVariant> variants)
    {
        var result = new int[variants.Count];
        var sum = 0;
        for (var i = 0; i < variants.Count; i++) result[i] = sum += variants.Count == 1 ? 100 : variants[i].Weight;
        return result;
    }
}
