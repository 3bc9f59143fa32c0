using PushConsole.Sending;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.Apns;
using PushConsole.Sending.Providers.Fcm;
using PushConsole.Sending.Providers.WebPush;

namespace PushConsole.Tests.Sending.Providers;

/// <summary>The spliced payloads (rendered once per content) are byte for byte what a full render of each push writes.</summary>
public sealed class PayloadTemplatesTests
{
    private static readonly PushContent[] Contents =
    [
        new() { Title = "Keynote moved", Body = "The keynote starts at 10:30 in Hall B.", Data = new Dictionary<string, string> { ["sessionId"] = "s-42" } },
        new()
        {
            Title = "Café « ouvert » <b>&</b>", Body = "Ünïcödé ✓ \"quoted\" \\ back", ImageUrl = "https://example.com/a.png", Link = "app://session/42",
            Sound = "default", Badge = 3, ThreadId = "program", Category = "SESSION", ChannelId = "news", Icon = "ic_stat",
            Data = new Dictionary<string, string> { ["a"] = "1", ["deliveryId"] = "spoofed", ["link"] = "ignored" },
            Actions = [new PushAction { Id = "open", Title = "Open", Url = "https://example.com/open" }, new PushAction { Id = "later", Title = "Later" }],
        },
        // the sentinel's digits in the content: the template is not used, the full render is
        new() { Title = "7318926405518273946", Body = "\u0001push-token\u0001" },
        new() { Data = new Dictionary<string, string> { ["only"] = "data" } },
    ];

    private static IEnumerable<PushMessage> Messages(Func<int, PushTarget> target)
    {
        var options = new (PushType Type, PushPriority Priority, TimeSpan? Ttl, string? Collapse)[]
        {
            (PushType.Alert, PushPriority.High, null, null), (PushType.Background, PushPriority.Normal, TimeSpan.FromHours(1), "score"),
            (PushType.Alert, PushPriority.Normal, TimeSpan.Zero, "keynote"),
        };
        long[] ids = [0, 7, 123_456_789_012, DeliveryIds.MaxApnsDeliveryId, long.MaxValue, -1];
        var n = 0;
        foreach (var content in Contents)
            foreach (var (type, priority, ttl, collapse) in options)
                foreach (var id in ids)
                    yield return new PushMessage(id, target(n++), content) { Type = type, Priority = priority, TimeToLive = ttl, CollapseId = collapse };
    }

    [Fact]
    public void Fcm_payloads_splice_the_token_and_delivery_id_exactly()
    {
        string[] tokens = ["fcm-token:APA91b_x-1", "a", "with/slash+plus=", "ünï", "x\"y"];
        foreach (var message in Messages(i => PushTarget.Fcm(tokens[i % tokens.Length] + i)))
            Assert.Equal(FcmPayload.Render(message), FcmPayload.Write(message));
    }

    [Fact]
    public void Apns_payloads_splice_the_delivery_id_exactly()
    {
        foreach (var message in Messages(_ => PushTarget.Apns(new string('a', 64), ApnsEnvironment.Production)))
            Assert.Equal(ApnsPayload.Render(message), ApnsPayload.Write(message));
    }

    [Fact]
    public void Web_push_payloads_splice_the_delivery_id_exactly()
    {
        var subscription = new WebPushSubscription("https://push.example.net/p/1", "p256dh", "auth");
        foreach (var message in Messages(_ => PushTarget.WebPush(subscription)))
            Assert.Equal(WebPushPayload.Render(message), WebPushPayload.Write(message));
    }
}
