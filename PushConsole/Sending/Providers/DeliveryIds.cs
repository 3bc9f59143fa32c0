using System.Globalization;

namespace PushConsole.Sending.Providers;

/// <summary>APNs wants a UUID per request; ours is the delivery id in the last 48 bits, so either converts to the other.</summary>
public static class DeliveryIds
{
    public const long MaxApnsDeliveryId = 0xFFFF_FFFF_FFFF;
    private const string Prefix = "00000000-0000-4000-8000-";

    public static string ToApnsId(long deliveryId) =>
        deliveryId is < 0 or > MaxApnsDeliveryId
            ? throw new ArgumentOutOfRangeException(nameof(deliveryId), "APNs ids hold delivery ids from 0 to 2^48-1.")
            : Prefix + deliveryId.ToString("x12", CultureInfo.InvariantCulture);

    public static long? FromApnsId(string? apnsId) =>
        apnsId is { Length: 36 } && apnsId.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
        && long.TryParse(apnsId.AsSpan(Prefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
            ? id : null;
}
