using Bunit;
using PushConsole.Accounts;
using PushConsole.Components.Layout;

namespace PushConsole.Tests.Components;

public sealed class NavMenuTests
{
    [Fact]
    public void Organizer_sees_the_organizer_areas_and_not_the_admin_ones()
    {
        using var ctx = ComponentContext.Create();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("organizer@example.com");
        auth.SetPolicies(Policies.Console, Policies.Organizer, Policies.Lookup);

        var nav = ctx.Render<NavMenu>();

        var links = nav.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Compose", links);
        Assert.Contains("Audience lookup", links);
        Assert.DoesNotContain("Apps", links);
        Assert.DoesNotContain("Audit log", links);
    }

    [Fact]
    public void Admin_sees_apps_users_and_audit()
    {
        using var ctx = ComponentContext.Create();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("admin@example.com");
        auth.SetPolicies(Policies.Console, Policies.Organizer, Policies.Lookup, Policies.Admin);

        var nav = ctx.Render<NavMenu>();

        var links = nav.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Apps", links);
        Assert.Contains("Users & roles", links);
        Assert.Contains("Audit log", links);
    }
}
