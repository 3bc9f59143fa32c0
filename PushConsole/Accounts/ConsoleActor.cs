using Microsoft.AspNetCore.Components.Authorization;
using PushConsole.Audit;

namespace PushConsole.Accounts;

/// <summary>The signed-in console user as the <see cref="Actor"/> that audit entries and services name; one per circuit.</summary>
public sealed class ConsoleActor(AuthenticationStateProvider authentication)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return new Actor(state.User.Identity?.Name ?? "?");
    }
}
