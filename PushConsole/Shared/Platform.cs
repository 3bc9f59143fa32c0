using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PushConsole.Shared;

/// <summary>What an installation runs on; stored and sent as <c>android</c>, <c>ios</c>, <c>web</c> (<see cref="PlatformNames"/>).</summary>
public enum Platform { Android, Ios, Web }

/// <summary>
/// Which APNs host an iOS token belongs to (development builds get sandbox tokens). Stored as <c>production</c> /
/// <c>sandbox</c> on installations and apps, and as its number in <c>deliveries.environment</c> (0 for every other provider).
/// </summary>
public enum ApnsEnvironment : short { Production = 0, Sandbox = 1 }

/// <summary>
/// The one place that spells platforms and APNs environments: database values, JSON values, form choices. Parsing the
/// stored spelling is an exact match (no allocation); a platform from other input is trimmed and lower-cased first.
/// </summary>
public static class PlatformNames
{
    public const string Android = "android";
    public const string Ios = "ios";
    public const string Web = "web";
    public const string Production = "production";
    public const string Sandbox = "sandbox";

    public static readonly IReadOnlyList<Platform> All = [Platform.Android, Platform.Ios, Platform.Web];

    public static string Of(Platform value) => value switch
    {
        Platform.Android => Android, Platform.Ios => Ios, Platform.Web => Web,
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static string Of(ApnsEnvironment value) => value switch
    {
        ApnsEnvironment.Production => Production, ApnsEnvironment.Sandbox => Sandbox,
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>null for anything that is not a platform.</summary>
    public static Platform? ParsePlatform(string? value) => value switch
    {
        null => null,
        Android => Platform.Android, Ios => Platform.Ios, Web => Platform.Web,
        _ => value.Trim().ToLowerInvariant() switch { Android => Platform.Android, Ios => Platform.Ios, Web => Platform.Web, _ => null },
    };

    /// <summary>null for anything that is not exactly <c>production</c> or <c>sandbox</c> (the API has always been that strict).</summary>
    public static ApnsEnvironment? ParseApnsEnvironment(string? value) => value switch
    {
        Production => ApnsEnvironment.Production, Sandbox => ApnsEnvironment.Sandbox, _ => null,
    };

    /// <summary>A stored platform; a value the database should not hold is an error, not a guess.</summary>
    public static Platform StoredPlatform(string value) =>
        ParsePlatform(value) ?? throw new InvalidOperationException($"'{value}' is not a stored platform.");

    public static ApnsEnvironment StoredApnsEnvironment(string value) =>
        ParseApnsEnvironment(value) ?? throw new InvalidOperationException($"'{value}' is not a stored APNs environment.");

    /// <summary>The platform's name in sentences and tables: Android, iOS, Web.</summary>
    public static string Describe(Platform value) => value switch
    {
        Platform.Android => "Android", Platform.Ios => "iOS", _ => "Web",
    };

    /// <summary>Describe for a stored or API spelling ("android"); anything else comes back as it is.</summary>
    public static string Describe(string? value) => ParsePlatform(value) is { } platform ? Describe(platform) : value ?? "";

    public static readonly ValueConverter<Platform, string> PlatformConverter = new(v => Of(v), v => StoredPlatform(v));

    public static readonly ValueConverter<ApnsEnvironment, string> ApnsEnvironmentConverter = new(v => Of(v), v => StoredApnsEnvironment(v));
}
