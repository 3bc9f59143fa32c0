using System.Data.Common;

namespace PushConsole.Data;

/// <summary>Raw SQL objects a feature needs beyond the EF model (triggers), created idempotently after the migrations at start.</summary>
public interface ISchemaObjects
{
    Task EnsureAsync(DbConnection connection, SqlDialect dialect, CancellationToken ct);
}
