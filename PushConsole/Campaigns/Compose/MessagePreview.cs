using System.Text.Json;
using PushConsole.Sending.Dispatch;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.Apns;
using PushConsole.Sending.Providers.Fcm;
using PushConsole.Sending.Providers.WebPush;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Compose;

/// <summary>How one variant in one language arrives on one platform, and the payload the provider would get.</summary>
public sealed record PlatformPreview(
    Platform Platform, PushContent Content, int PayloadBytes, int? MaxBytes, string Payload)
{
    public bool TooLarge => MaxBytes is { } max && PayloadBytes > max;
}

/// <summary>
/// Renders a draft exactly as the dispatcher will (the same <see cref="Renderer"/> and payload builders), with the
/// largest ids it could carry, so the preview's sizes are the worst case the providers will see.
/// </summary>
public static class MessagePreview
{
    /// <summary>Ids in a payload are decimal text: the largest ones give the largest payload.</summary>
    private const long LargeCampaignId = 9_999_999_999;
    private const long LargeDeliveryId = DeliveryIds.MaxApnsDeliveryId;
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Renderer RendererFor(long appId, CampaignMessage message, DeliveryOptions options) => new(new Campaign
    {
        Id = LargeCampaignId, AppId = appId, Name = "preview", Audience = AudienceSpec.Everyone, Message = message, Options = options,
        Schedule = CampaignSchedule.Immediately,
    });

    public static PlatformPreview Render(Renderer renderer, string variant, string language, Platform platform)
    {
        var content = renderer.Content(variant, language, platform);
        var options = renderer.Campaign.Options;
        PushMessage Message(PushTarget target) => new(LargeDeliveryId, target, content)
        {
            Type = options.PushType, Priority = options.Priority, TimeToLive = TimeSpan.FromSeconds(options.TtlSeconds), CollapseId = options.CollapseId,
        };
        switch (platform)
        {
            case Platform.Ios:
            {
                var payload = ApnsPayload.Write(Message(PushTarget.Apns(new string('0', 64), ApnsEnvironment.Production)));
                return new PlatformPreview(platform, content, payload.Length, ApnsPayload.MaxBytes, Indent(payload));
            }
            case Platform.Android:
            {
                var message = Message(PushTarget.Fcm("<the device's FCM token>"));
                return new PlatformPreview(platform, content, FcmPayload.PayloadBytes(message), FcmPayload.MaxPayloadBytes, Indent(FcmPayload.Write(message)));
            }
            default:
            {
                var payload = WebPushPayload.Write(Message(PushTarget.WebPush(new WebPushSubscription("https://push.example/", "", ""))));
                // push services take at least 4,096 bytes of encrypted data; encryption adds 103 bytes (RFC 8291 record with one padding byte)
                return new PlatformPreview(platform, content, payload.Length, 4096 - 103, Indent(payload));
            }
        }
    }

    private static string Indent(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Pretty);
    }

    public static string Describe(int bytes) => bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes";
}
