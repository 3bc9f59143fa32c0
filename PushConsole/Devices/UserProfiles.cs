using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Devices;

/// <summary>Body of <c>PUT /v4/users/{userId}</c>: absent or null fields stay as they are, "" clears a text field.</summary>
public sealed class UserProfileRequest : IUserProfileFields
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Language { get; set; }
    public string? TimeZone { get; set; }
    /// <summary>Merged by name: a string, number or boolean sets the attribute, null removes it.</summary>
    public Dictionary<string, JsonElement>? Attributes { get; set; }
    /// <summary>Replaces the user's tags when present.</summary>
    public List<string?>? Tags { get; set; }
}

public sealed record UserExport(
    string UserId, string? Email, string? DisplayName, string? Language, string? TimeZone, DateTime? LastActiveAt, DateTime CreatedAt,
    string Consent, DateTime? ConsentAt, string? ConsentSource, IReadOnlyDictionary<string, bool> Categories,
    IReadOnlyDictionary<string, object> Attributes, IReadOnlyList<string> Tags, bool TokensRevealed, IReadOnlyList<InstallationExport> Installations);

public sealed record InstallationExport(
    string InstallationId, string Platform, string State, string? Token, string? ApnsEnvironment, string? Language, string? TimeZone,
    string? AppVersion, string? OsVersion, string? DeviceModel, IReadOnlyList<string> Tags,
    DateTime CreatedAt, DateTime LastSeenAt, DateTime? TokenRegisteredAt, IReadOnlyList<ChangeExport> Changelog);

public sealed record ChangeExport(
    DateTime At, string Kind, string Description, string? OldUserId, string? NewUserId, string? OldToken, string? NewToken,
    string Source, string? ProviderReason, string? RawAnswer, string? Details);

/// <summary>The server API's view of a user: the profile back-ends set (<c>PUT</c>) and the export (<c>GET</c>).</summary>
public sealed class UserProfiles(IDbContextFactory<AppDbContext> contexts, LookupService lookup, AuditLog audit, TimeProvider clock)
{
    public async Task<UserExport> ExportAsync(long appId, string? userId, bool revealTokens, Actor actor, CancellationToken ct = default)
    {
        var id = DeviceValidation.ExternalId("userId", userId, AppUserConfiguration.MaxExternalId);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.Set<AppUser>().Where(u => u.ExternalId == id && u.AppId == appId).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct)
                  ?? throw new NotFoundException($"There is no user \"{id}\" in this app.");
        var u = await db.Set<AppUser>().AsNoTracking().AsSplitQuery().Include(x => x.Attributes).Include(x => x.Tags).Include(x => x.Categories).FirstAsync(x => x.Id == key, ct);
        var installations = new List<InstallationExport>();
        foreach (var installationKey in await db.Set<Installation>().Where(i => i.AppUserId == key).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(ct))
        {
            var i = (await lookup.InstallationAsync(db, installationKey, null, ct, revealTokens))!;
            installations.Add(new InstallationExport(i.InstallationId, PlatformNames.Of(i.Platform), DeviceNames.Of(i.State), i.HasToken ? i.MaskedToken : null,
                i.ApnsEnvironment, i.Language, i.TimeZone, i.AppVersion, i.OsVersion, i.DeviceModel, i.Tags, i.CreatedAt, i.LastSeenAt, i.TokenRegisteredAt,
                i.Changes.Select(c => new ChangeExport(c.At, DeviceNames.Of(c.Kind), c.Sentence, c.OldUser, c.NewUser, NullIfNone(c.OldToken), NullIfNone(c.NewToken),
                    c.Source, c.ProviderReason, c.RawAnswer, c.Details)).ToList()));
        }
        if (revealTokens && installations.Count > 0)
        {
            audit.Add(db, actor, "token.revealed", $"user {id}", $"GET /v4/users/{{userId}}?reveal_tokens=true: {installations.Count} installation(s)");
            await db.SaveChangesAsync(ct);
        }
        return new UserExport(u.ExternalId, u.Email, u.DisplayName, u.Language, u.TimeZone, u.LastActiveAt, u.CreatedAt,
            ConsentNames.Of(u.Consent), u.ConsentAt, u.ConsentSource, u.Categories.OrderBy(c => c.Category).ToDictionary(c => c.Category, c => c.Enabled),
            u.Attributes.OrderBy(a => a.Name).ToDictionary(a => a.Name, a => a.NumberValue is { } n ? (object)n : a.TextValue),
            u.Tags.Select(t => t.Tag).Order().ToList(), revealTokens, installations);
    }

    /// <summary>Creates or updates a user's profile; validates everything first, so bad input changes nothing.</summary>
    public async Task<UserExport> UpdateAsync(long appId, string? userId, UserProfileRequest? body, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (body is null) { DeviceValidation.ExternalId(errors, "userId", userId, AppUserConfiguration.MaxExternalId); errors.Add("body", "Send a JSON object with the fields to set."); errors.ThrowIfAny(); }
        var valid = UserProfileInput.Validate(errors, userId, body!);
        errors.ThrowIfAny();

        var (id, email, displayName, language, timeZone, attributes, tags) = valid!;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var user = await db.Set<AppUser>().Include(u => u.Attributes).Include(u => u.Tags).AsSplitQuery()
                .FirstOrDefaultAsync(u => u.ExternalId == id && u.AppId == appId, ct);
            if (user is null) db.Add(user = new AppUser { AppId = appId, ExternalId = id!, CreatedAt = now });
            if (email is not null) (user.Email, user.NormalizedEmail) = email == "" ? (null, null) : (email, email.ToLowerInvariant());
            if (displayName is not null) user.DisplayName = displayName == "" ? null : displayName;
            if (language is not null) user.Language = language == "" ? null : language;
            if (timeZone is not null) user.TimeZone = timeZone == "" ? null : timeZone;
            foreach (var (name, value) in attributes ?? new Dictionary<string, string?>())
            {
                var existing = user.Attributes.FirstOrDefault(a => a.Name == name);
                if (value is null) { if (existing is not null) user.Attributes.Remove(existing); }
                else if (existing is not null) (existing.TextValue, existing.NumberValue) = (value, ValidProfile.Number(value));
                else user.Attributes.Add(new UserAttribute { AppId = appId, Name = name, TextValue = value, NumberValue = ValidProfile.Number(value) });
            }
            if (tags is not null)
            {
                user.Tags.RemoveAll(t => !tags.Contains(t.Tag));
                foreach (var tag in tags.Where(t => user.Tags.All(x => x.Tag != t)))
                    user.Tags.Add(new UserTag { AppId = appId, Tag = tag });
            }
            user.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 3) { } // a registration created the same user at the same moment: read it again
        }
        return await ExportAsync(appId, id, false, actor, ct);
    }

    private static string? NullIfNone(string token) => token == "(none)" ? null : token;
}
