using PushConsole.Data;
using Quartz;

namespace PushConsole.Scheduling;

/// <summary>
/// Quartz with its persistent store in the app's own database (schema provisioned at start), so scheduled
/// campaigns and reminders survive restarts; clustered on PostgreSQL so several instances share triggers.
/// Features add their jobs with <c>services.AddQuartz(q =&gt; q.AddJob&lt;T&gt;(...))</c>.
/// </summary>
public static class SchedulingRegistration
{
    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataDirectory = builder.Configuration.GetSection(DataOptions.Section).Get<DataOptions>()?.FullPath ?? new DataOptions().FullPath;
        builder.Services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (options.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(options.ConnectionString!);
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(Database.SqliteConnectionString(options.ConnectionString, dataDirectory));
                }
                store.ProvisionSchema();
            });
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHealthChecks().AddQuartz();
        return builder;
    }
}
