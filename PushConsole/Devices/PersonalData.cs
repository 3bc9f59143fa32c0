namespace PushConsole.Devices;

/// <summary>
/// A feature that keeps personal data about a user or their devices (profile, changelog, deliveries, events,
/// favourites, activity profile, test devices…). GDPR export gathers every implementation's part; erasure asks
/// every one to remove or anonymise its part. Register with <c>services.AddSingleton&lt;IPersonalData, T&gt;()</c>.
/// </summary>
public interface IPersonalData
{
    /// <summary>Section name in the export, e.g. "deliveries".</summary>
    string Section { get; }

    /// <summary>This feature's data about the user and their installations (row ids), as JSON-serialisable values.</summary>
    Task<object?> ExportAsync(PersonalDataSubject subject, CancellationToken ct);

    /// <summary>Removes (or anonymises, keeping only counts without identity) this feature's data about the user.</summary>
    Task EraseAsync(PersonalDataSubject subject, CancellationToken ct);

    /// <summary>Erasure runs parts in this order, lowest first; the profile (which deletes the user row) runs last.</summary>
    int EraseOrder => 0;
}

/// <summary>
/// Whose data: the app, the user's row id and external id, and the row ids of their installations (past and present);
/// <paramref name="Source"/> is who asked (a <see cref="ChangeSources"/> value), for changelog entries an erasure writes.
/// </summary>
public sealed record PersonalDataSubject(long AppId, long AppUserId, string UserId, IReadOnlyList<long> InstallationIds, string Source = ChangeSources.System);
