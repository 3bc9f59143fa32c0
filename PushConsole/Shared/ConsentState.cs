using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PushConsole.Shared;

/// <summary>What a person said about receiving pushes that are not transactional (stored as granted/denied/unknown).</summary>
public enum ConsentState { Unknown, Granted, Denied }

public static class ConsentNames
{
    public const string Unknown = "unknown";
    public const string Granted = "granted";
    public const string Denied = "denied";

    public static string Of(ConsentState state) => state switch
    {
        ConsentState.Granted => Granted,
        ConsentState.Denied => Denied,
        _ => Unknown,
    };

    public static ConsentState Parse(string? value) => value switch
    {
        Granted => ConsentState.Granted,
        Denied => ConsentState.Denied,
        _ => ConsentState.Unknown,
    };

    /// <summary>The client API's <c>"consent": true|false</c>.</summary>
    public static ConsentState FromBool(bool consent) => consent ? ConsentState.Granted : ConsentState.Denied;

    public static bool? ToBool(ConsentState state) => state switch
    {
        ConsentState.Granted => true,
        ConsentState.Denied => false,
        _ => null,
    };

    public static readonly ValueConverter<ConsentState, string> Converter = new(v => Of(v), v => Parse(v));
}
