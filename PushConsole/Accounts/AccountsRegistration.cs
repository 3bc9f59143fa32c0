using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Accounts;

public static class AccountsRegistration
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIdentity<ConsoleUser, IdentityRole>(o =>
            {
                // length beats character-class rules (NIST SP 800-63B)
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = true;
                // no lockout on failures (anyone could lock an admin out): SignInThrottle slows guessing instead
                o.Lockout.AllowedForNewUsers = false;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "pushconsole.auth";
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Organizer, p => p.RequireRole(Roles.Admin, Roles.Organizer))
            .AddPolicy(Policies.Lookup, p => p.RequireRole(Roles.Admin, Roles.Organizer, Roles.Support))
            .AddPolicy(Policies.RevealToken, p => p.RequireRole(Roles.Admin, Roles.Support))
            .AddPolicy(Policies.Console, p => p.RequireRole(Roles.Admin, Roles.Organizer, Roles.Support));

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddScoped<AccountService>();
        services.AddScoped<ConsoleSignIn>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<FirstRunState>();
        services.AddSingleton<RoleSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<RoleSeeder>());
        return builder;
    }

    /// <summary>While no console user exists, the start page and the sign-in page lead to /setup.</summary>
    public static WebApplication UseFirstRunSetup(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (HttpMethods.IsGet(context.Request.Method) && (path == "/" || path.StartsWithSegments("/account/login"))
                && !await context.RequestServices.GetRequiredService<FirstRunState>().UsersExistAsync(context.RequestAborted))
            {
                context.Response.Redirect("/setup");
                return;
            }
            await next();
        });
        return app;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapPost("/account/logout", async (SignInManager<ConsoleUser> signIn, AuditLog audit, ClaimsPrincipal user, HttpContext http, [FromForm] string? returnUrl) =>
        {
            if (user.Identity?.IsAuthenticated == true)
                await audit.RecordAsync(Actor.Of(user, http.Connection.RemoteIpAddress?.ToString()), "user.sign_out", user.Identity.Name);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
        return app;
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/v4") || path.StartsWithSegments("/console-api"))
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(new ProblemDetails
            {
                Status = status,
                Title = status == 401 ? "Sign-in required." : "Not allowed.",
                Detail = status == 401 ? "Sign in to the console first." : "Your role does not allow this.",
            }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
