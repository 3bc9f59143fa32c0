using Microsoft.EntityFrameworkCore;

namespace PushConsole.Data;

/// <summary>Creates or migrates the schema at start (and turns on WAL for SQLite), then the features' raw objects (<see cref="ISchemaObjects"/>), before anything else runs.</summary>
public sealed class DatabaseMigrator(
    IDbContextFactory<AppDbContext> contexts, Database database, IEnumerable<ISchemaObjects> objects, ILogger<DatabaseMigrator> logger) : IHostedService
{
    private int _done;

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!database.IsPostgres)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s) on {Provider}", pending.Count, database.Provider);
            await db.Database.MigrateAsync(ct);
        }
        await using var connection = await database.OpenAsync(ct);
        foreach (var o in objects) await o.EnsureAsync(connection, database.Dialect, ct);
    }

    public Task StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
