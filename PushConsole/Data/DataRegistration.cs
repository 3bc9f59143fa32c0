using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace PushConsole.Data;

public static class DataRegistration
{
    public const string MigrationsHistoryTable = "ef_migrations_history";

    public static void SqliteOptions(SqliteDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable(MigrationsHistoryTable).CommandTimeout(120);

    public static void PostgresOptions(NpgsqlDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable(MigrationsHistoryTable).CommandTimeout(120);

    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Database>();

        var dataDirectory = builder.Configuration.GetSection(DataOptions.Section).Get<DataOptions>()?.FullPath ?? new DataOptions().FullPath;
        Directory.CreateDirectory(dataDirectory);
        var provider = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;

        if (provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextFactory<PostgresAppDbContext>((sp, o) =>
                o.UseNpgsql(sp.GetRequiredService<Database>().DataSource!, PostgresOptions));
            services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<PostgresAppDbContext>>();
        }
        else
        {
            services.AddDbContextFactory<SqliteAppDbContext>((sp, o) =>
                o.UseSqlite(sp.GetRequiredService<Database>().ConnectionString, SqliteOptions).AddInterceptors(new SqlitePragmaInterceptor()));
            services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<SqliteAppDbContext>>();
        }
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());

        // first hosted service (before Data Protection's key ring loader): everything after it finds the schema in place
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());

        var dataProtection = services.AddDataProtection().SetApplicationName("PushConsole");
        if (provider == DatabaseProvider.Postgres)
            dataProtection.PersistKeysToDbContext<AppDbContext>();
        else
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        // read now, not through IOptions: Data Protection takes the certificate itself, and a bad one must stop the start
        if ((builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new()).LoadCertificate() is { } certificate)
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);

        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
        return builder;
    }
}

/// <summary>Hands out the provider-specific context as the shared <see cref="AppDbContext"/> type.</summary>
public sealed class AppDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
    where TContext : AppDbContext
{
    public AppDbContext CreateDbContext() => inner.CreateDbContext();
}
