using PushConsole.Sending.Providers;

namespace PushConsole.Campaigns.Pages;

/// <summary>One name per provider in every table, filter and chart of the console (the charts' categories use the same words).</summary>
public static class ProviderNames
{
    public static string Of(PushProvider provider) => provider switch
    {
        PushProvider.Fcm => "FCM (Android)",
        PushProvider.Apns => "APNs (iOS)",
        PushProvider.WebPush => "Web Push",
        _ => provider.ToString(),
    };

    /// <summary>Keys of the statistics API ("fcm", "apns", "webpush") in the same words.</summary>
    public static string OfKey(string key) => key.ToLowerInvariant() switch
    {
        "fcm" => Of(PushProvider.Fcm),
        "apns" => Of(PushProvider.Apns),
        "webpush" or "web_push" or PlatformNames.Web => Of(PushProvider.WebPush),
        _ => key,
    };
}
