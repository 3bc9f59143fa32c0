using System.Net;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Accounts;

namespace PushConsole.Tests.Security;

/// <summary>
/// Issue 15 item 7 (and the forwarded-headers part of 9): one answer for unknown and existing accounts, guessing slowed per
/// address and per account × address with a growing delay, and no way for a stranger to lock the owner out.
/// </summary>
public sealed class SignInTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
    private AppHost _host = default!;
    private string _admin = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync(o =>
        {
            o.Args.Add("--ReverseProxy:KnownProxies:0=127.0.0.1");
            o.Services = s => s.AddSingleton<TimeProvider>(_clock);
        });
        _admin = await _host.CreateUserAsync(Roles.Admin);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<List<(HttpStatusCode, string?)>> AttemptsAsync(string email, string address, int count)
    {
        using var browser = ConsoleForms.Browser(_host);
        var answers = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < count; i++)
        {
            var r = await ConsoleForms.LoginAsync(browser, email, "wrong password " + i, address);
            answers.Add((r.Status, r.Error));
        }
        return answers;
    }

    [Fact]
    public async Task Unknown_and_existing_accounts_get_the_same_answers()
    {
        var existing = await AttemptsAsync(_admin, "203.0.113.10", 8);
        var unknown = await AttemptsAsync("nobody@example.com", "203.0.113.11", 8);
        Assert.Equal(existing, unknown);
        Assert.All(existing.Take(SignInThrottle.FreePerAccount + 1), a => Assert.Equal((HttpStatusCode.OK, SignInAnswer.WrongCredentials), a));
        Assert.Equal(HttpStatusCode.TooManyRequests, existing[^1].Item1);
        Assert.DoesNotContain(existing, a => a.Item2!.Contains("locked", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Guessing_slows_down_more_and_more_but_the_owner_still_signs_in_from_elsewhere()
    {
        using var stranger = ConsoleForms.Browser(_host);
        for (var i = 0; i <= SignInThrottle.FreePerAccount; i++)
            Assert.Equal(HttpStatusCode.OK, (await ConsoleForms.LoginAsync(stranger, _admin, "guess " + i, "198.51.100.66")).Status);

        // throttled: even the right password is not looked at, and the wait grows
        var refused = await ConsoleForms.LoginAsync(stranger, _admin, TestAccounts.Password, "198.51.100.66");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("1", refused.Response.Headers.RetryAfter?.ToString());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await ConsoleForms.LoginAsync(stranger, _admin, "guess again", "198.51.100.66")).Status);
        var slower = await ConsoleForms.LoginAsync(stranger, _admin, "guess again", "198.51.100.66");
        Assert.Equal(HttpStatusCode.TooManyRequests, slower.Status);
        Assert.Equal("2", slower.Response.Headers.RetryAfter?.ToString());

        // the owner, from their own address behind the https proxy, is not locked out and gets a Secure cookie
        using var owner = ConsoleForms.Browser(_host);
        var signedIn = await ConsoleForms.LoginAsync(owner, _admin, TestAccounts.Password, "192.0.2.200", "https");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        var cookie = signedIn.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pushconsole.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task One_address_trying_many_accounts_is_slowed_too()
    {
        using var browser = ConsoleForms.Browser(_host);
        for (var i = 0; i < SignInThrottle.FreePerAddress; i++)
            Assert.Equal(HttpStatusCode.OK, (await ConsoleForms.LoginAsync(browser, $"user{i}@example.com", "x", "203.0.113.99")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ConsoleForms.LoginAsync(browser, "one-more@example.com", "x", "203.0.113.99")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ConsoleForms.LoginAsync(browser, "another@example.com", "x", "203.0.113.99")).Status);
        // another address is unaffected
        Assert.Equal(HttpStatusCode.OK, (await ConsoleForms.LoginAsync(browser, "another@example.com", "x", "203.0.113.100")).Status);
    }
}
