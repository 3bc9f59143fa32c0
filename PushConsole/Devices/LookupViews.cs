
namespace PushConsole.Devices;

/// <summary>One search on the lookup page: groups of a user (when known) and installations, each with its changelog.</summary>
public sealed record LookupResult(IReadOnlyList<LookupGroup> Groups, string? Message);

/// <summary>A user and their devices, or one device found by installation id or token (with its current user).</summary>
public sealed record LookupGroup(string MatchedBy, LookupUser? User, IReadOnlyList<LookupInstallation> Installations);

public sealed record LookupUser(
    long Key, long AppId, string AppName, string UserId, string? Email, string? DisplayName, string? Language, string? TimeZone,
    DateTime? LastActiveAt, ConsentState Consent, DateTime? ConsentAt, string? ConsentSource, DateTime CreatedAt,
    IReadOnlyList<KeyValuePair<string, string>> Attributes, IReadOnlyList<string> Tags, IReadOnlyList<KeyValuePair<string, bool>> Categories);

public sealed record LookupInstallation(
    long Key, long AppId, string AppName, string InstallationId, Platform Platform, PushState State,
    string MaskedToken, bool HasToken, string? ApnsEnvironment, string? UserId,
    string? AppVersion, string? OsVersion, string? DeviceModel, string? Language, string? TimeZone,
    DateTime CreatedAt, DateTime LastSeenAt, DateTime? TokenRegisteredAt, IReadOnlyList<string> Tags,
    IReadOnlyList<LookupChange> Changes, bool MoreChanges,
    /// <summary>Set when the device was found through a user it no longer belongs to.</summary>
    string? FormerlyOf);

public sealed record LookupChange(
    long Id, DateTime At, ChangeKind Kind, string Sentence, string? OldUser, string? NewUser, string OldToken, string NewToken,
    string Source, string? ProviderReason, string? RawAnswer, string? Details);
