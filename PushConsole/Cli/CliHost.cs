using PushConsole.Accounts;
using PushConsole.Data;

namespace PushConsole.Cli;

/// <summary>The app's services without the web server: a verb migrates the schema, does its work and exits.</summary>
public sealed class CliHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AsyncServiceScope _scope;

    private CliHost(WebApplication app)
    {
        _app = app;
        _scope = app.Services.CreateAsyncScope();
    }

    public IServiceProvider Services => _scope.ServiceProvider;

    public static async Task<CliHost> StartAsync(IEnumerable<string> hostArgs, CancellationToken ct)
    {
        // quieter than serve, and on stderr: stdout carries only the verb's result (e.g. --json)
        var app = Program.BuildWebApp([.. hostArgs, "--Logging:LogLevel:Default=Error", "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        await app.Services.GetRequiredService<RoleSeeder>().StartAsync(ct);
        return new CliHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _app.DisposeAsync();
    }
}
