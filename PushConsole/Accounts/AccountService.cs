using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;

namespace PushConsole.Accounts;

public sealed record ConsoleUserRow(string Id, string Email, string Role, DateTime CreatedAt, DateTime? LastSignInAt, bool LockedOut);

/// <summary>Console users and their roles: first-run setup, the `admin create` verb and the Users &amp; roles page.</summary>
public sealed class AccountService(UserManager<ConsoleUser> users, FirstRunState firstRun, AuditLog audit, TimeProvider clock)
{
    private static readonly SemaphoreSlim FirstAdminGate = new(1, 1);

    public Task<bool> AnyUserAsync(CancellationToken ct = default) => users.Users.AnyAsync(ct);

    /// <summary>Creates the first admin, who is also the actor (no one is signed in yet); refused once any user exists (so /setup cannot be replayed).</summary>
    public async Task<ConsoleUser> CreateFirstAdminAsync(string? email, string? password, string? remoteAddress, CancellationToken ct = default)
    {
        var actor = new Actor(email?.Trim() ?? "?", remoteAddress);
        await FirstAdminGate.WaitAsync(ct);
        try
        {
            if (await AnyUserAsync(ct))
                throw new ConflictException("email", "Setup is already done: an administrator exists. Sign in instead.");
            var user = await CreateAsync(email, password, Roles.Admin, actor, ct);
            firstRun.MarkUsersExist();
            return user;
        }
        finally { FirstAdminGate.Release(); }
    }

    public async Task<ConsoleUser> CreateAsync(string? email, string? password, string? role, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        email = email?.Trim();
        role = string.IsNullOrWhiteSpace(role) ? Roles.Admin : role.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || !email.Contains('@') || email.Length > 256)
            errors.Add("email", "Enter an email address, e.g. organizer@example.com.");
        else if (await users.FindByEmailAsync(email) is not null)
            errors.Add("email", $"A console user with the email {email} already exists.");
        if (!Roles.All.Contains(role))
            errors.Add("role", $"Choose one of: {string.Join(", ", Roles.All)}.");
        if (string.IsNullOrEmpty(password))
            errors.Add("password", "Enter a password.");
        else
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, null!, password);
                foreach (var error in result.Errors) errors.Add("password", error.Description);
            }
        errors.ThrowIfAny();

        var user = new ConsoleUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded) throw new BadInputException("email", string.Join(" ", created.Errors.Select(e => e.Description)));
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            throw new BadInputException("role", string.Join(" ", added.Errors.Select(e => e.Description)));
        }
        firstRun.MarkUsersExist();
        await audit.RecordAsync(actor, "user.created", email, $"role {role}", ct);
        return user;
    }

    public async Task<IReadOnlyList<ConsoleUserRow>> ListAsync(CancellationToken ct = default)
    {
        var all = await users.Users.OrderBy(u => u.Email).ToListAsync(ct);
        var rows = new List<ConsoleUserRow>(all.Count);
        var now = clock.GetUtcNow();
        foreach (var user in all)
        {
            var roles = await users.GetRolesAsync(user);
            rows.Add(new ConsoleUserRow(user.Id, user.Email ?? "", roles.FirstOrDefault() ?? "(none)", user.CreatedAt, user.LastSignInAt,
                user.LockoutEnd is { } end && end > now));
        }
        return rows;
    }

    public async Task SetRoleAsync(string userId, string role, Actor actor, CancellationToken ct = default)
    {
        if (!Roles.All.Contains(role)) throw new BadInputException("role", $"Choose one of: {string.Join(", ", Roles.All)}.");
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("No such console user.");
        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Admin) && role != Roles.Admin && await CountAdminsAsync() <= 1)
            throw new BadInputException("role", "This is the last administrator; make someone else admin first.");
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        // the user's open sessions pick up the new role at their next validation
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(actor, "user.role_changed", user.Email, $"{string.Join(",", current)} → {role}", ct);
    }

    public async Task DeleteAsync(string userId, Actor actor, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("No such console user.");
        if (string.Equals(user.Email, actor.Name, StringComparison.OrdinalIgnoreCase))
            throw new BadInputException("user", "You cannot delete yourself.");
        if ((await users.GetRolesAsync(user)).Contains(Roles.Admin) && await CountAdminsAsync() <= 1)
            throw new BadInputException("user", "This is the last administrator.");
        await users.DeleteAsync(user);
        await audit.RecordAsync(actor, "user.deleted", user.Email, null, ct);
    }

    private async Task<int> CountAdminsAsync() => (await users.GetUsersInRoleAsync(Roles.Admin)).Count;
}

/// <summary>Whether a console user exists yet; once true it stays true, so the check costs nothing after setup.</summary>
public sealed class FirstRunState(IServiceScopeFactory scopes)
{
    private volatile bool _usersExist;

    public void MarkUsersExist() => _usersExist = true;

    public async Task<bool> UsersExistAsync(CancellationToken ct = default)
    {
        if (_usersExist) return true;
        await using var scope = scopes.CreateAsyncScope();
        var exists = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().Users.AnyAsync(ct);
        if (exists) _usersExist = true;
        return exists;
    }
}
