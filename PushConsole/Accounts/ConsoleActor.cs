using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using PushConsole.Audit;

namespace PushConsole.Accounts;

/// <summary>The signed-in console user as the <see cref="Actor"/> that audit entries and services name; one per circuit.</summary>
public sealed class ConsoleActor(AuthenticationStateProvider authentication)
{
    public async Task<Actor> GetAsync() => Actor.Of(await UserAsync());

    /// <summary>The signed-in user with their roles, for services that check a policy themselves (revealing a token).</summary>
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;
}
