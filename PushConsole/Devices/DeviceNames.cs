namespace PushConsole.Devices;

/// <summary>Whether pushes reach an installation. Audiences take <c>subscribed</c> (and <c>background_only</c> for data pushes).</summary>
public enum PushState { Subscribed, BackgroundOnly, Unsubscribed, Invalid, Uninstalled }

/// <summary>The changelog kinds, exactly as DESIGN.md lists them.</summary>
public enum ChangeKind
{
    Registered, TokenRefreshed, UserAssigned, UserChanged, LoggedOut, PermissionChanged,
    TokenTakenByOtherInstallation, Invalidated, Unregistered, Erased,
}

/// <summary>Who caused a change (the <c>source</c> column of the changelog).</summary>
public static class ChangeSources
{
    public const string ClientApi = "client_api";
    public const string ServerApi = "server_api";
    public const string Console = "console";
    public const string Fcm = "fcm";
    public const string Apns = "apns";
    public const string WebPush = "webpush";
    public const string RetentionJob = "retention_job";
    public const string System = "system";

    public static bool IsProvider(string? source) => source is Fcm or Apns or WebPush;

    public static string Describe(string? source) => source switch
    {
        ClientApi => "client API",
        ServerApi => "server API",
        Console => "console",
        Fcm => "FCM",
        Apns => "APNs",
        WebPush => "Web Push",
        RetentionJob => "retention job",
        System => "system",
        null => "",
        _ => source,
    };
}

/// <summary>The snake_case strings stored in the database and used on the wire ("background_only"); platforms are <see cref="PlatformNames"/>.</summary>
public static class DeviceNames
{
    public static string Of(PushState value) => value switch
    {
        PushState.Subscribed => "subscribed", PushState.BackgroundOnly => "background_only", PushState.Unsubscribed => "unsubscribed",
        PushState.Invalid => "invalid", PushState.Uninstalled => "uninstalled",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static string Of(ChangeKind value) => value switch
    {
        ChangeKind.Registered => "registered", ChangeKind.TokenRefreshed => "token_refreshed", ChangeKind.UserAssigned => "user_assigned",
        ChangeKind.UserChanged => "user_changed", ChangeKind.LoggedOut => "logged_out", ChangeKind.PermissionChanged => "permission_changed",
        ChangeKind.TokenTakenByOtherInstallation => "token_taken_by_other_installation", ChangeKind.Invalidated => "invalidated",
        ChangeKind.Unregistered => "unregistered", ChangeKind.Erased => "erased",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static PushState ParseState(string value) =>
        Enum.GetValues<PushState>().First(s => Of(s) == value);

    public static ChangeKind ParseKind(string value) =>
        Enum.GetValues<ChangeKind>().First(k => Of(k) == value);

    /// <summary>The one name of each provider in tables, charts and texts: "FCM (Android)", "APNs (iOS)", "Web Push".</summary>
    public static string Provider(Platform platform) => platform switch
    {
        Platform.Android => "FCM (Android)", Platform.Ios => "APNs (iOS)", _ => "Web Push",
    };

    /// <summary>The same name from a stored platform ("android") or provider ("fcm", "Apns", "webpush") string.</summary>
    public static string Provider(string? platformOrProvider) => PlatformNames.ParsePlatform(platformOrProvider) is { } platform
        ? Provider(platform)
        : platformOrProvider?.Trim().ToLowerInvariant() switch
        {
            "fcm" => Provider(Platform.Android),
            "apns" => Provider(Platform.Ios),
            "webpush" or "web_push" => Provider(Platform.Web),
            _ => platformOrProvider ?? "",
        };
}
