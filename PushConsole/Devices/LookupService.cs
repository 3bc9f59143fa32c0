using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using PushConsole.Accounts;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Devices;

/// <summary>
/// The support lookup: by user id, email, installation id or token (exact, or a prefix of 8+ characters).
/// Ids are found with indexed SQL, then the few matching rows are loaded with their changelog.
/// </summary>
public sealed class LookupService(IDbContextFactory<AppDbContext> contexts, Database database, AuditLog audit, IAuthorizationService authorization)
{
    public const int MinPrefix = 8;
    public const int MaxInstallations = 20;
    public const int MaxChanges = 200;

    public async Task<LookupResult> SearchAsync(string? text, long? appId = null, CancellationToken ct = default)
    {
        var q = text?.Trim() ?? "";
        if (q.Length == 0) return new LookupResult([], "Type a user id, an email, an installation id or a token.");
        if (q.Length > InstallationConfiguration.MaxToken) return new LookupResult([], "That is longer than any id or token.");
        var apps = appId is null ? "" : " AND app_id = @appId";
        await using var connection = await database.OpenAsync(ct);
        async Task<List<long>> IdsAsync(string sql, object args) =>
            (await connection.QueryAsync<long>(new CommandDefinition(sql, args, cancellationToken: ct))).ToList();

        var users = await IdsAsync($"SELECT id FROM app_users WHERE external_id = @q{apps}", new { q, appId });
        var matchedBy = users.Count > 0 ? "user id" : "";
        if (users.Count == 0 && q.Contains('@'))
        {
            users = await IdsAsync($"SELECT id FROM app_users WHERE normalized_email = @q{apps}", new { q = q.ToLowerInvariant(), appId });
            matchedBy = "email";
        }
        var byId = await IdsAsync($"SELECT id FROM installations WHERE external_id = @q{apps}", new { q, appId });
        var byToken = await IdsAsync($"SELECT id FROM installations WHERE (token = @q OR token = @lower){apps}", new { q, lower = q.ToLowerInvariant(), appId });
        var prefix = false;
        if (byToken.Count == 0 && q.Length >= MinPrefix && users.Count == 0 && byId.Count == 0)
        {
            prefix = true;
            var parameters = new DynamicParameters(new { appId });
            database.Dialect.AddStartsWith(parameters, "prefix", q);
            byToken = await IdsAsync($"SELECT id FROM installations WHERE {database.Dialect.StartsWith("token", "prefix")}{apps} ORDER BY token LIMIT {MaxInstallations + 1}", parameters);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var groups = new List<LookupGroup>();
        foreach (var userKey in users.Take(MaxInstallations))
            groups.Add(await UserGroupAsync(db, userKey, matchedBy, ct));
        var shown = groups.SelectMany(g => g.Installations).Select(i => i.Key).ToHashSet();
        foreach (var (ids, how) in new[] { (byId, "installation id"), (byToken, prefix ? "token prefix" : "token") })
            foreach (var key in ids.Where(k => !shown.Contains(k)).Take(MaxInstallations))
            {
                var installation = await InstallationAsync(db, key, null, ct);
                if (installation is null) continue;
                shown.Add(key);
                var owner = await db.Set<Installation>().Where(i => i.Id == key).Select(i => i.AppUserId).FirstAsync(ct);
                groups.Add(new LookupGroup(how, owner is null ? null : await UserAsync(db, owner.Value, ct), [installation]));
            }

        string? message = null;
        if (groups.Count == 0)
            message = q.Length < MinPrefix
                ? $"Nothing matches \"{q}\". A token prefix needs at least {MinPrefix} characters."
                : $"Nothing matches \"{q}\".";
        else if (prefix && byToken.Count > MaxInstallations)
            message = $"More than {MaxInstallations} tokens start with \"{q}\"; the first {MaxInstallations} are shown. Type more characters.";
        return new LookupResult(groups, message);
    }

    /// <summary>A user and every installation that is theirs now or was theirs once (found through the changelog).</summary>
    public async Task<LookupGroup> UserGroupAsync(AppDbContext db, long userKey, string matchedBy, CancellationToken ct, bool currentOnly = false)
    {
        var user = await UserAsync(db, userKey, ct);
        var current = await db.Set<Installation>().Where(i => i.AppUserId == userKey).OrderBy(i => i.Id).Select(i => i.Id).Take(MaxInstallations).ToListAsync(ct);
        var former = currentOnly ? [] : await db.Set<TokenChange>()
            .Where(c => c.NewUser == user.UserId && c.AppId == user.AppId).Select(c => c.InstallationId).Distinct().OrderBy(id => id).Take(MaxInstallations).ToListAsync(ct);
        var installations = new List<LookupInstallation>();
        foreach (var key in current.Concat(former.Except(current)).Take(MaxInstallations))
            if (await InstallationAsync(db, key, user.UserId, ct) is { } installation) installations.Add(installation);
        return new LookupGroup(matchedBy, user, installations);
    }

    public async Task<LookupUser> UserAsync(AppDbContext db, long userKey, CancellationToken ct)
    {
        var u = await db.Set<AppUser>().AsNoTracking().AsSplitQuery().Include(x => x.Attributes).Include(x => x.Tags).Include(x => x.Categories)
            .FirstAsync(x => x.Id == userKey, ct);
        var appName = await db.Set<App>().Where(a => a.Id == u.AppId).Select(a => a.Name).FirstAsync(ct);
        return new LookupUser(u.Id, u.AppId, appName, u.ExternalId, u.Email, u.DisplayName, u.Language, u.TimeZone, u.LastActiveAt,
            u.Consent, u.ConsentAt, u.ConsentSource, u.CreatedAt,
            u.Attributes.OrderBy(a => a.Name).Select(a => KeyValuePair.Create(a.Name, a.TextValue)).ToList(),
            u.Tags.Select(t => t.Tag).Order().ToList(),
            u.Categories.OrderBy(c => c.Category).Select(c => KeyValuePair.Create(c.Category, c.Enabled)).ToList());
    }

    /// <summary>One installation with its newest changes; <paramref name="searchedUser"/> marks a device that moved on to someone else.</summary>
    public async Task<LookupInstallation?> InstallationAsync(AppDbContext db, long key, string? searchedUser, CancellationToken ct, bool reveal = false)
    {
        var row = await db.Set<Installation>().AsNoTracking().Where(i => i.Id == key)
            .Select(i => new { i, User = i.AppUser == null ? null : i.AppUser.ExternalId, Tags = i.Tags.Select(t => t.Tag).ToList() })
            .FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var i = row.i;
        var appName = await db.Set<App>().Where(a => a.Id == i.AppId).Select(a => a.Name).FirstAsync(ct);
        var changes = await db.Set<TokenChange>().AsNoTracking().Where(c => c.InstallationId == key)
            .OrderByDescending(c => c.Id).Take(MaxChanges + 1).ToListAsync(ct);
        string Show(string? token) => reveal ? token ?? "(none)" : ChangeSentences.Mask(token);
        return new LookupInstallation(i.Id, i.AppId, appName, i.ExternalId, i.Platform, i.State, Show(i.Token), i.Token is not null,
            i.ApnsEnvironment is { } environment ? PlatformNames.Of(environment) : null, row.User, i.AppVersion, i.OsVersion, i.DeviceModel, i.Language, i.TimeZone,
            i.CreatedAt, i.LastSeenAt, i.TokenRegisteredAt, row.Tags.Order().ToList(),
            changes.Take(MaxChanges).Select(c => new LookupChange(c.Id, c.At, c.Kind, ChangeSentences.Describe(c), c.OldUser, c.NewUser,
                Show(c.OldToken), Show(c.NewToken), c.Source, c.ProviderReason, c.RawAnswer, c.Details)).ToList(),
            changes.Count > MaxChanges,
            searchedUser is not null && row.User != searchedUser ? searchedUser : null);
    }

    /// <summary>The full current token, for admin and support only; every reveal is in the audit log.</summary>
    public async Task<string> RevealTokenAsync(ClaimsPrincipal user, long installationKey, string? remoteAddress, CancellationToken ct = default)
    {
        if (!(await authorization.AuthorizeAsync(user, Policies.RevealToken)).Succeeded)
            throw new UnauthorizedAccessException("Only admin and support may reveal a token.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Set<Installation>().AsNoTracking().Where(i => i.Id == installationKey)
            .Select(i => new { i.ExternalId, i.Token, i.Platform, i.AppId, User = i.AppUser == null ? null : i.AppUser.ExternalId })
            .FirstOrDefaultAsync(ct) ?? throw new Api.NotFoundException("That installation no longer exists.");
        var appName = await db.Set<App>().Where(a => a.Id == row.AppId).Select(a => a.Name).FirstAsync(ct);
        audit.Add(db, Actor.Of(user, remoteAddress), "token.revealed", $"{appName} / installation {row.ExternalId}",
            $"{PlatformNames.Describe(row.Platform)} token {ChangeSentences.Mask(row.Token)}; {ChangeSentences.User(row.User)}");
        await db.SaveChangesAsync(ct);
        return row.Token ?? "(this installation has no token)";
    }

    public async Task<IReadOnlyList<(long Id, string Name)>> AppsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Set<App>().OrderBy(a => a.Name).Select(a => new { a.Id, a.Name }).ToListAsync(ct)).Select(a => (a.Id, a.Name)).ToList();
    }
}
