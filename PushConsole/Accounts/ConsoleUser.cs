using Microsoft.AspNetCore.Identity;

namespace PushConsole.Accounts;

/// <summary>A person who signs in to the console (organizer, support, admin).</summary>
public sealed class ConsoleUser : IdentityUser
{
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Organizer = "organizer";
    public const string Support = "support";

    public static readonly IReadOnlyList<string> All = [Admin, Organizer, Support];

    public static string Describe(string role) => role switch
    {
        Admin => "Everything: apps, credentials, console users, audit log",
        Organizer => "Compose and send, campaigns, segments, agenda",
        Support => "Read-only lookup of attendees and devices, token changelog, delivery history, one test push",
        _ => role,
    };
}

/// <summary>Authorization policies; every page and endpoint names one.</summary>
public static class Policies
{
    /// <summary>Apps, credentials, console users, audit log.</summary>
    public const string Admin = "admin";
    /// <summary>Compose, campaigns, segments, agenda.</summary>
    public const string Organizer = "organizer";
    /// <summary>Audience lookup and delivery history (read-only).</summary>
    public const string Lookup = "lookup";
    /// <summary>Revealing a full token: admin and support only.</summary>
    public const string RevealToken = "reveal-token";
    /// <summary>Any signed-in console user with a role (dashboard).</summary>
    public const string Console = "console";
    /// <summary>Apps on devices: X-App-Key.</summary>
    public const string ClientApi = "client-api";
    /// <summary>Back-ends: Basic appKey:masterSecret.</summary>
    public const string ServerApi = "server-api";
}
