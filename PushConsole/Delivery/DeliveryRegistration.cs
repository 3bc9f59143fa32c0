using PushConsole.Delivery.Providers;

namespace PushConsole.Delivery;

public static class DeliveryRegistration
{
    /// <summary>Provider clients and the test push; the dispatcher (outbox, worker) joins here.</summary>
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.AddProviders();
        builder.Services.AddSingleton<TestPushService>();
        return builder;
    }
}
