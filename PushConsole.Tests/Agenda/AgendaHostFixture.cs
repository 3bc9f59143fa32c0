using PushConsole.Agenda;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Tests.Agenda;

/// <summary>One app host for a test class; each test makes its own app (and event), so tests do not see each other's data.</summary>
public sealed class AgendaHostFixture : IAsyncLifetime
{
    public AppHost Host { get; private set; } = default!;

    public async Task InitializeAsync() => Host = await AppHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>A new app with an event in Paris from 2030-06-11 to 2030-06-13 (far enough ahead for real-time tests).</summary>
    public async Task<(CreatedApp App, AgendaEvent Event)> NewEventAsync()
    {
        var app = await Host.Get<AppService>().CreateAsync(new NewApp($"Event app {Guid.NewGuid():N}"), Actor.System);
        var agendaEvent = await Host.Get<AgendaService>().SaveEventAsync(app.App.Id, new EventForm
        {
            Name = "DevDays 2030", TimeZone = "Europe/Paris", StartDate = new DateTime(2030, 6, 11), EndDate = new DateTime(2030, 6, 13),
        }, AgendaWorld.Organizer);
        return (app, agendaEvent);
    }
}
