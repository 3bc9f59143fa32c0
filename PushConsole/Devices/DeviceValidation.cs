using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using PushConsole.Api;
using PushConsole.Apps;

namespace PushConsole.Devices;

/// <summary>
/// Whether PushConsole may connect to a Web Push endpoint (no private, loopback or metadata addresses unless configured):
/// the sending side knows the policy and implements it; registration asks before storing a subscription.
/// </summary>
public interface IWebPushEndpointCheck
{
    /// <summary>Why the endpoint is refused ("must …", "points at …"), or null.</summary>
    string? Refusal(string endpoint);
}

/// <summary>A registration that passed every check: what <see cref="DeviceRegistry"/> stores.</summary>
public sealed record ValidRegistration(
    string InstallationId, Platform Platform, string Token, ApnsEnvironment? ApnsEnvironment, string? WebPushP256dh, string? WebPushAuth,
    bool UserIdGiven, string? UserId, bool? NotificationsEnabled,
    string? Language, string? TimeZone, string? AppVersion, string? OsVersion, string? DeviceModel, IReadOnlyList<string>? Tags);

/// <summary>Checks of what devices and back-ends send; each failure names the field it is about.</summary>
public static class DeviceValidation
{
    public const int MaxTags = 100;
    private static readonly ConcurrentDictionary<string, bool> TimeZones = new(StringComparer.Ordinal);

    public static ValidRegistration Registration(string? installationId, InstallationRequest? body, IWebPushEndpointCheck endpoints)
    {
        var errors = new FieldErrors();
        var id = ExternalId(errors, "installationId", installationId, InstallationConfiguration.MaxExternalId);
        if (body is null)
        {
            errors.Add("body", "Send a JSON object with at least platform and pushToken (or webPush).");
            errors.ThrowIfAny();
        }
        var platform = PlatformNames.ParsePlatform(body!.Platform);
        if (platform is null)
            errors.Add("platform", body.Platform is null ? "platform is required: android, ios or web." : $"Unknown platform \"{Clip(body.Platform)}\": use android, ios or web.");

        string? token = null, p256dh = null, auth = null;
        ApnsEnvironment? apnsEnvironment = null;
        switch (platform)
        {
            case Platform.Android:
                token = FcmToken(errors, body.PushToken);
                break;
            case Platform.Ios:
                token = ApnsToken(errors, body.PushToken);
                apnsEnvironment = PlatformNames.ParseApnsEnvironment(body.ApnsEnvironment);
                if (body.ApnsEnvironment is not null && apnsEnvironment is null)
                    errors.Add("apnsEnvironment", "apnsEnvironment is production or sandbox (or absent for the app's environment).");
                break;
            case Platform.Web:
                (token, p256dh, auth) = WebPush(errors, body.WebPush, endpoints);
                break;
        }

        string? userId = null;
        if (body.UserIdGiven && body.UserId is not null)
            userId = ExternalId(errors, "userId", body.UserId, AppUserConfiguration.MaxExternalId);
        var language = Language(errors, "language", body.Language);
        var timeZone = TimeZone(errors, "timeZone", body.TimeZone);
        var appVersion = Text(errors, "appVersion", body.AppVersion, 50);
        var osVersion = Text(errors, "osVersion", body.OsVersion, 50);
        var deviceModel = Text(errors, "deviceModel", body.DeviceModel, 100);
        var tags = Tags(errors, "tags", body.Tags);
        errors.ThrowIfAny();
        return new ValidRegistration(id!, platform!.Value, token!, apnsEnvironment, p256dh, auth, body.UserIdGiven, userId,
            body.NotificationsEnabled, language, timeZone, appVersion, osVersion, deviceModel, tags);
    }

    /// <summary>An id the outside world chose (installationId, userId): 1–max characters, no control characters or surrounding spaces.</summary>
    public static string? ExternalId(FieldErrors errors, string field, string? value, int max)
    {
        if (string.IsNullOrEmpty(value)) { errors.Add(field, $"{field} is required."); return null; }
        if (value.Length > max) { errors.Add(field, $"{field} is {value.Length} characters long; at most {max} are allowed."); return null; }
        if (value.Any(char.IsControl) || value.Trim().Length != value.Length)
        { errors.Add(field, $"{field} must not contain control characters or start or end with spaces."); return null; }
        return value;
    }

    public static string ExternalId(string field, string? value, int max)
    {
        var errors = new FieldErrors();
        var id = ExternalId(errors, field, value, max);
        errors.ThrowIfAny();
        return id!;
    }

    private static string? FcmToken(FieldErrors errors, string? token)
    {
        if (string.IsNullOrEmpty(token)) { errors.Add("pushToken", "pushToken (the FCM registration token) is required for android."); return null; }
        if (token.Length is < 16 or > InstallationConfiguration.MaxToken)
        { errors.Add("pushToken", $"An FCM token is 16 to {InstallationConfiguration.MaxToken} characters; this one has {token.Length}."); return null; }
        if (token.Any(c => c is <= ' ' or > '~')) { errors.Add("pushToken", "An FCM token has no spaces or non-ASCII characters."); return null; }
        return token;
    }

    private static string? ApnsToken(FieldErrors errors, string? token)
    {
        if (string.IsNullOrEmpty(token)) { errors.Add("pushToken", "pushToken (the APNs device token in hex) is required for ios."); return null; }
        if (token.Length is < 64 or > 200 || token.Length % 2 != 0 || !token.All(char.IsAsciiHexDigit))
        { errors.Add("pushToken", "An APNs device token is an even number (64 to 200) of hex characters, e.g. the 64 hex digits of a 32-byte token."); return null; }
        return token.ToLowerInvariant();
    }

    private static (string?, string?, string?) WebPush(FieldErrors errors, WebPushSubscription? subscription, IWebPushEndpointCheck endpoints)
    {
        if (subscription is null) { errors.Add("webPush", "webPush (the browser's PushSubscription: endpoint and keys) is required for web."); return default; }
        string? endpoint = null;
        if (string.IsNullOrEmpty(subscription.Endpoint)) errors.Add("webPush.endpoint", "webPush.endpoint is required.");
        else if (subscription.Endpoint.Length > InstallationConfiguration.MaxToken)
            errors.Add("webPush.endpoint", $"webPush.endpoint is longer than {InstallationConfiguration.MaxToken} characters.");
        else if (endpoints.Refusal(subscription.Endpoint) is { } refusal)
            errors.Add("webPush.endpoint", "webPush.endpoint " + refusal);
        else endpoint = subscription.Endpoint;

        string? p256dh = null, auth = null;
        if (subscription.Keys is null) errors.Add("webPush.keys", "webPush.keys (p256dh and auth) is required.");
        else
        {
            var key = Base64Url(subscription.Keys.P256dh);
            if (key is null || key.Length != 65 || key[0] != 0x04 || !IsP256Point(key))
                errors.Add("webPush.keys.p256dh", "webPush.keys.p256dh must be the base64url of a 65-byte uncompressed P-256 public key (as getKey('p256dh') gives).");
            else p256dh = Base64UrlEncode(key);
            var secret = Base64Url(subscription.Keys.Auth);
            if (secret is null || secret.Length != 16)
                errors.Add("webPush.keys.auth", "webPush.keys.auth must be the base64url of 16 bytes (as getKey('auth') gives).");
            else auth = Base64UrlEncode(secret);
        }
        return (endpoint, p256dh, auth);
    }


    private static bool IsP256Point(byte[] point)
    {
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33], Y = point[33..] },
            });
            return true;
        }
        catch (CryptographicException) { return false; }
    }

    /// <summary>base64url (padded or not; standard base64 accepted too), or null when it is not.</summary>
    public static byte[]? Base64Url(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200) return null;
        var s = value.Replace('-', '+').Replace('_', '/').TrimEnd('=');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try { return Convert.FromBase64String(s); }
        catch (FormatException) { return null; }
    }

    public static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Language(FieldErrors errors, string field, string? value)
    {
        if (value is null) return null;
        if (!Languages.IsValidTag(value)) { errors.Add(field, $"\"{Clip(value)}\" is not a language tag; use one such as en, fr or pt-BR."); return null; }
        return value;
    }

    public static string? TimeZone(FieldErrors errors, string field, string? value)
    {
        if (value is null) return null;
        if (!IsIanaTimeZone(value)) { errors.Add(field, $"\"{Clip(value)}\" is not an IANA time zone; use one such as Europe/Paris or America/New_York."); return null; }
        return value;
    }

    public static bool IsIanaTimeZone(string id) =>
        id.Length is > 0 and <= 64 && TimeZones.GetOrAdd(id, static z => TimeZoneInfo.TryFindSystemTimeZoneById(z, out var zone) && zone.HasIanaId && zone.Id == z);

    public static string? Text(FieldErrors errors, string field, string? value, int max)
    {
        if (value is null) return null;
        if (value.Length > max) { errors.Add(field, $"{field} is {value.Length} characters long; at most {max} are allowed."); return null; }
        if (value.Any(char.IsControl)) { errors.Add(field, $"{field} must not contain control characters."); return null; }
        return value.Trim();
    }

    public static IReadOnlyList<string>? Tags(FieldErrors errors, string field, IReadOnlyList<string?>? tags)
    {
        if (tags is null) return null;
        if (tags.Count > MaxTags) { errors.Add(field, $"At most {MaxTags} tags are allowed; got {tags.Count}."); return null; }
        var result = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i]?.Trim();
            if (string.IsNullOrEmpty(tag) || tag.Length > InstallationTagConfiguration.MaxTag || tag.Any(char.IsControl))
                errors.Add($"{field}[{i}]", $"A tag is 1 to {InstallationTagConfiguration.MaxTag} characters without control characters.");
            else if (!result.Contains(tag, StringComparer.Ordinal)) result.Add(tag);
        }
        return result;
    }

    public static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
