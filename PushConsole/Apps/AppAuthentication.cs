using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace PushConsole.Apps;

public static class AppClaims
{
    public const string AppId = "pushconsole:app_id";
    public const string AppKey = "pushconsole:app_key";

    /// <summary>The authenticated app of a client or server API call.</summary>
    public static long GetAppId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirst(AppId)?.Value ?? throw new InvalidOperationException("The caller is not an app."));

    internal static ClaimsPrincipal Principal(AppKeyEntry app, string scheme) =>
        new(new ClaimsIdentity([new Claim(AppId, app.AppId.ToString()), new Claim(AppKey, app.AppKey), new Claim(ClaimTypes.Name, app.AppKey)], scheme));
}

/// <summary>Client API: apps on devices send <c>X-App-Key</c>.</summary>
public sealed class AppKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AppKeyCache apps)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AppKey";
    public const string Header = "X-App-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
            return AuthenticateResult.NoResult();
        var app = await apps.FindAsync(values.ToString().Trim(), Context.RequestAborted);
        return app is null
            ? AuthenticateResult.Fail("Unknown app key.")
            : AuthenticateResult.Success(new AuthenticationTicket(AppClaims.Principal(app, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiAuthProblems.WriteAsync(Context, 401, "App key required.",
            $"Send the app's key in the {Header} header (see the app's page in the console). Unknown or missing keys are refused.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiAuthProblems.WriteAsync(Context, 403, "Not allowed.", "This app key may not do that.");
}

/// <summary>Server API: back-ends send <c>Authorization: Basic base64(appKey:masterSecret)</c>.</summary>
public sealed class ServerApiAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AppKeyCache apps,
    [FromKeyedServices(ServerApiAuthenticationHandler.SchemeName)] Accounts.SignInThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ServerApi";
    private TimeSpan? _wait;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return AuthenticateResult.NoResult();
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)); }
        catch (FormatException) { return AuthenticateResult.Fail("Malformed Basic credentials."); }
        var colon = decoded.IndexOf(':');
        if (colon <= 0) return AuthenticateResult.Fail("Malformed Basic credentials.");
        // failures are counted per address and per app key × address, as console sign-ins are; a throttled try checks no secret
        var appKey = decoded[..colon];
        var address = Context.Connection.RemoteIpAddress?.ToString();
        if ((_wait = throttle.WaitFor(appKey, address)) is not null)
            return AuthenticateResult.Fail("Too many wrong credentials from this address.");
        var app = await apps.FindAsync(appKey, Context.RequestAborted);
        if (app is null || !AppSecrets.Verify(decoded[(colon + 1)..], app.MasterSecretHash))
        {
            throttle.Failed(appKey, address);
            return AuthenticateResult.Fail("Wrong appKey or masterSecret.");
        }
        throttle.Succeeded(appKey, address);
        return AuthenticateResult.Success(new AuthenticationTicket(AppClaims.Principal(app, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_wait is { } wait)
        {
            Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiAuthProblems.WriteAsync(Context, 429, "Too many wrong credentials.",
                $"Too many wrong appKey:masterSecret pairs came from this address; try again in {Math.Ceiling(wait.TotalSeconds)} s with the current master secret.");
        }
        Response.Headers.WWWAuthenticate = "Basic realm=\"PushConsole server API\", charset=\"UTF-8\"";
        return ApiAuthProblems.WriteAsync(Context, 401, "Wrong or missing credentials.",
            "Send Authorization: Basic base64(appKey:masterSecret). The master secret is shown once when the app is created or the secret rotated.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiAuthProblems.WriteAsync(Context, 403, "Not allowed.", "These credentials may not do that.");
}

internal static class ApiAuthProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Title = title, Detail = detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
