using PushConsole.Accounts;
using PushConsole.Agenda;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Attendee;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Automations;
using PushConsole.Campaigns;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Campaigns.Compose;
using PushConsole.Campaigns.Interactive;
using PushConsole.Cli;
using PushConsole.Components;
using PushConsole.Consent;
using PushConsole.Dashboard;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Devices;
using PushConsole.EventData;
using PushConsole.Geofences;
using PushConsole.Game;
using PushConsole.Operations;
using PushConsole.Scheduling;

PushConsole.Sending.Providers.ProviderBuffers.DeepenSharedPool(args);
PushConsole.Shared.NativeHeap.LimitArenas(args);
return await CommandLine.RunAsync(args);

public partial class Program
{
    /// <summary>
    /// The whole product, one line per feature. Settings come from the repository's appsettings.json,
    /// then environment variables, then <paramref name="args"/> (e.g. <c>--Data:Directory=/tmp/x</c>).
    /// Tests swap services (a fake clock, say) through <paramref name="overrideServices"/>.
    /// </summary>
    public static WebApplication BuildWebApp(string[] args, Action<IServiceCollection>? overrideServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = RepositorySettings.ReadOnce(args),
            // the same name under `dotnet run`, the CLI verbs and a test host, so static web assets resolve alike
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        builder.AddRepositorySettings();

        builder.AddProblemHandling();
        builder.AddWebSecurity();
        builder.AddData();
        builder.AddScheduling();
        builder.AddAudit();
        builder.AddAccounts();
        builder.AddApps();
        builder.AddDevices();
        builder.AddAudience();
        builder.AddCampaigns();
        builder.AddServerApi();
        builder.AddAgenda();
        builder.AddEventData();
        builder.AddGame();
        builder.AddCompose();
        builder.AddInteractive();
        builder.AddSending();
        builder.AddConsent();
        builder.AddDashboard();
        builder.AddConsole();
        builder.AddOperations();
        builder.AddAutomations();
        builder.AddGeofences();
        overrideServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseWebSecurity();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseFirstRunSetup();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapOperations();
        app.MapAccounts();
        app.MapAppEndpoints();
        app.MapAttendee();
        app.MapDevices();
        app.MapAudience();
        app.MapCampaigns();
        app.MapServerApi();
        app.MapConsent();
        app.MapAgenda();
        app.MapEventData();
        app.MapInteractive();
        app.MapAutomations();
        app.MapGeofences();
        app.MapGame();
        app.MapConsole();
        return app;
    }
}
