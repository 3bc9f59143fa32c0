using Microsoft.EntityFrameworkCore;
using PushConsole.Data;

namespace PushConsole.Tests.Data;

/// <summary>Each provider's migrations describe the model the app runs with, so a start migrates to what the code expects.</summary>
public sealed class MigrationsTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    private static AppDbContext DesignTimeContext(DatabaseProvider provider) => provider == DatabaseProvider.Postgres
        ? new PostgresDesignTimeFactory().CreateDbContext([])
        : new SqliteDesignTimeFactory().CreateDbContext([]);

    [Theory, MemberData(nameof(Providers))]
    public void The_migrations_describe_the_model(DatabaseProvider provider)
    {
        using var db = DesignTimeContext(provider);

        Assert.False(db.Database.HasPendingModelChanges(), $"the {provider} model changed without a migration: dotnet ef migrations add … --context {db.GetType().Name}");
    }
}
