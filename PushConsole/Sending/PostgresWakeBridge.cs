using Npgsql;
using PushConsole.Data;

namespace PushConsole.Sending;

/// <summary>
/// On PostgreSQL, a launch in one instance wakes the send workers of all instances at once:
/// <c>NOTIFY pushconsole_dispatch</c> on wake, <c>LISTEN</c> here. (SQLite runs one instance; nothing to bridge.)
/// </summary>
public sealed class PostgresWakeBridge(Database database, DispatchSignal signal, ILogger<PostgresWakeBridge> logger) : BackgroundService
{
    private const string Channel = "pushconsole_dispatch";
    private int _notifying;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres) return;
        signal.Woken += Notify;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await using var connection = await database.DataSource!.OpenConnectionAsync(stoppingToken);
                    connection.Notification += (_, _) => signal.Wake(broadcast: false);
                    await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                        await listen.ExecuteNonQueryAsync(stoppingToken);
                    while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or System.IO.IOException)
                {
                    logger.LogWarning(e, "Lost the dispatch LISTEN connection; reconnecting (workers still poll meanwhile)");
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally { signal.Woken -= Notify; }
    }

    private void Notify()
    {
        // coalesce bursts of wakes (a launch wakes after every batch) into one NOTIFY in flight
        if (Interlocked.Exchange(ref _notifying, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var connection = await database.DataSource!.OpenConnectionAsync();
                await using var command = new NpgsqlCommand($"NOTIFY {Channel}", connection);
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException) { logger.LogDebug(e, "NOTIFY failed; peers will poll"); }
            finally { Interlocked.Exchange(ref _notifying, 0); }
        });
    }
}
