namespace PushConsole.Devices;

/// <summary>What support staff read: a changelog entry as a sentence, tokens masked.</summary>
public static class ChangeSentences
{
    /// <summary>Stands in for a user id scrubbed by erasure.</summary>
    public const string ErasedUser = "(erased)";

    public static string Describe(ChangeKind kind, string? oldUser, string? newUser, string? oldToken, string? newToken,
        string source, string? providerReason, string? details) => kind switch
    {
        ChangeKind.Registered when details?.StartsWith("registered again", StringComparison.Ordinal) == true =>
            $"registered again with token {Mask(newToken)}{For(newUser)}",
        ChangeKind.Registered => $"registered with token {Mask(newToken)}{For(newUser)}",
        ChangeKind.TokenRefreshed => $"token refreshed from {Mask(oldToken)} to {Mask(newToken)}",
        ChangeKind.UserAssigned => $"assigned to {User(newUser)} (login)",
        ChangeKind.UserChanged => $"moved from {User(oldUser)} to {User(newUser)}",
        ChangeKind.LoggedOut => $"{User(oldUser)} logged out; the device has no user now",
        ChangeKind.PermissionChanged => details ?? "notification permission changed",
        ChangeKind.TokenTakenByOtherInstallation => $"lost its token {Mask(oldToken)} to another installation",
        ChangeKind.Invalidated => $"invalidated by {ChangeSources.Describe(source)}: {providerReason ?? "no reason given"}",
        ChangeKind.Unregistered => "unregistered by the app (uninstalled, or push turned off in the app)",
        ChangeKind.Erased => "the user's data was erased on request",
        _ => DeviceNames.Of(kind),
    };

    public static string Describe(TokenChange c) =>
        Describe(c.Kind, c.OldUser, c.NewUser, c.OldToken, c.NewToken, c.Source, c.ProviderReason, c.Details);

    /// <summary>First 6 and last 4 characters; a Web Push endpoint keeps its push service's host.</summary>
    public static string Mask(string? token)
    {
        if (string.IsNullOrEmpty(token)) return "(none)";
        if (Uri.TryCreate(token, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            return $"{uri.Scheme}://{uri.Authority}/…{Tail(uri.AbsolutePath, 4)}";
        return token.Length <= 12 ? $"{token[..Math.Min(2, token.Length)]}…" : $"{token[..6]}…{token[^4..]}";
    }

    public static string User(string? userId) => userId switch
    {
        null => "no user",
        ErasedUser => "an erased user",
        _ => $"user {userId}",
    };

    private static string For(string? user) => user is null ? "" : $" for {User(user)}";

    private static string Tail(string value, int n) => value.Length <= n ? "" : value[^n..];
}
