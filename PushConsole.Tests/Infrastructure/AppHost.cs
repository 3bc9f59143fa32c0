using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PushConsole.Tests.Infrastructure;

public sealed class AppHostOptions
{
    /// <summary>Extra settings as host arguments, e.g. <c>--Providers:Fcm:BaseUrl=http://…</c>.</summary>
    public List<string> Args { get; } = [];
    /// <summary>Replaces services after the app registered its own (a fake clock, say).</summary>
    public Action<IServiceCollection>? Services { get; set; }
    /// <summary>Set to run on PostgreSQL instead of a fresh SQLite file.</summary>
    public string? PostgresConnectionString { get; set; }
    /// <summary>Reuse a data directory (restart scenarios); a fresh temp folder otherwise.</summary>
    public string? DataDirectory { get; set; }
}

/// <summary>The real app (Program.BuildWebApp) on Kestrel at a free loopback port, with its own data folder.</summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly bool _ownsDataDirectory;

    private AppHost(WebApplication app, string dataDirectory, bool ownsDataDirectory, CapturedLogs logs)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1") + "/");
    }

    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;
    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public CapturedLogs Logs { get; }
    public string DatabaseFile => Path.Combine(DataDirectory, "pushconsole.db");

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public HttpClient CreateClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public static async Task<AppHost> StartAsync(Action<AppHostOptions>? configure = null)
    {
        var options = new AppHostOptions();
        configure?.Invoke(options);
        var owns = options.DataDirectory is null;
        var dataDirectory = options.DataDirectory ?? TempFolder.Create("pushconsole-test");
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Data:Directory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:PushConsole=Information",
            // the start's readiness poll below asks Quartz before it runs; that expected "unhealthy" is not a problem to report
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=Critical",
            .. options.PostgresConnectionString is null ? Array.Empty<string>() : ["--Database:Provider=Postgres", $"--Database:ConnectionString={options.PostgresConnectionString}"],
            .. options.Args,
        ];
        var logs = new CapturedLogs();
        var app = Program.BuildWebApp(args, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            options.Services?.Invoke(services);
        });
        await app.StartAsync();
        // Quartz starts its scheduler after the application has started, in the background: a test that reads
        // /health or schedules at once must find it running, as a readiness probe would wait for it
        var health = app.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await health.CheckHealthAsync(c => c.Name.Contains("quartz", StringComparison.OrdinalIgnoreCase))).Status
               != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        return new AppHost(app, dataDirectory, owns, logs);
    }

    private readonly ConcurrentQueue<Func<Task>> _beforeStop = new();

    /// <summary>Runs before the host stops, e.g. closing a browser page whose circuit would otherwise retry forever.</summary>
    public void OnDispose(Func<Task> action) => _beforeStop.Enqueue(action);

    /// <summary>
    /// Where the host writes, as it stops, what its pages showed and what it logged at warning or worse: a failed test's
    /// output in the .trx, printed at the end of a CI log by scripts/failed-tests.sh.
    /// </summary>
    public Xunit.Abstractions.ITestOutputHelper? Output { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Output is { } output)
        {
            try { output.WriteLine(Logs.Problems(40)); }
            catch (InvalidOperationException) { } // the test already ended
        }
        while (_beforeStop.TryDequeue(out var action))
        {
            try { await action(); }
            catch (Exception) { } // a page already closed by its test
        }
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDataDirectory) TempFolder.Delete(DataDirectory);
    }
}

/// <summary>Everything the app logged, so tests can check that no secret is ever written to a log.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string All => string.Join("\n", _lines);

    /// <summary>The last lines logged at warning or worse, each cut to a few lines, then the last lines of any level.</summary>
    public string Problems(int count)
    {
        var problems = _lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)
                                         || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        var shown = problems.Skip(Math.Max(0, problems.Count - count)).Select(l => string.Join("\n    ", l.Split('\n').Take(8)));
        var last = _lines.TakeLast(20).Select(l => l.Split('\n')[0]);
        return $"== host {problems.Count} warning(s) or error(s), the last {Math.Min(count, problems.Count)}:\n{string.Join("\n", shown)}\n" +
               $"== its last 20 log lines:\n{string.Join("\n", last)}";
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

public static class TempFolder
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
