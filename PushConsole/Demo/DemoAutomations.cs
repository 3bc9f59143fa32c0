using System.Text.Json;
using PushConsole.Audit;
using PushConsole.Automations;

namespace PushConsole.Demo;

/// <summary>The demo's running automations: the welcome on arrival and the networking push, from the console's recipes.</summary>
public static class DemoAutomations
{
    public static async Task SeedAsync(IServiceProvider services, long appId, CancellationToken ct)
    {
        var automations = services.GetRequiredService<AutomationService>();
        foreach (var key in new[] { "welcome", "networking" })
        {
            using var doc = JsonDocument.Parse(AutomationRecipes.Find(key)!.Json);
            await automations.CreateAsync(appId, doc.RootElement, Actor.Cli, ct);
        }
    }
}
