using Microsoft.AspNetCore.Identity;
using PushConsole.Audit;

namespace PushConsole.Accounts;

public enum SignInOutcome { Succeeded, Failed, Throttled }

/// <summary>The result of a sign-in attempt; <see cref="Message"/> is the same for unknown and existing accounts.</summary>
public sealed record SignInAnswer(SignInOutcome Outcome, TimeSpan? RetryAfter = null)
{
    public const string WrongCredentials = "Wrong email or password.";

    public string? Message => Outcome switch
    {
        SignInOutcome.Failed => WrongCredentials,
        SignInOutcome.Throttled => $"Too many failed sign-ins from this address. Wait {Math.Ceiling(RetryAfter!.Value.TotalSeconds):0} seconds and try again.",
        _ => null,
    };
}

/// <summary>
/// Console sign-in (the login page calls it): throttled per address and account × address (<see cref="SignInThrottle"/>),
/// never Identity's account lockout (anyone could lock an admin out), and the same answer and about the same time whether the
/// account exists or not.
/// </summary>
public sealed class ConsoleSignIn(SignInManager<ConsoleUser> signIn, UserManager<ConsoleUser> users, SignInThrottle throttle, AuditLog audit, TimeProvider clock)
{
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<ConsoleUser>().HashPassword(new ConsoleUser(), Guid.NewGuid().ToString()));

    public async Task<SignInAnswer> SignInAsync(string email, string password, string? address)
    {
        email = email.Trim();
        if (throttle.WaitFor(email, address) is { } wait)
        {
            await audit.RecordAsync(new Actor(email, address), "user.sign_in_failed", email, "throttled");
            return new SignInAnswer(SignInOutcome.Throttled, wait);
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // hash anyway, so an unknown account answers as slowly as a wrong password
            users.PasswordHasher.VerifyHashedPassword(new ConsoleUser(), DummyHash.Value, password);
            return await FailedAsync(email, address);
        }
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (!check.Succeeded) return await FailedAsync(email, address);

        throttle.Succeeded(email, address);
        await signIn.SignInAsync(user, isPersistent: false);
        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        await users.UpdateAsync(user);
        await audit.RecordAsync(new Actor(email, address), "user.sign_in", email);
        return new SignInAnswer(SignInOutcome.Succeeded);
    }

    private async Task<SignInAnswer> FailedAsync(string email, string? address)
    {
        throttle.Failed(email, address);
        await audit.RecordAsync(new Actor(email, address), "user.sign_in_failed", email, "wrong email or password");
        return new SignInAnswer(SignInOutcome.Failed);
    }
}
