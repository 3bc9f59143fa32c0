using System.ComponentModel.DataAnnotations;

namespace PushConsole.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Where the app keeps its files (SQLite database, Data Protection key ring).</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    [Required] public string Directory { get; set; } = "./data";

    public string FullPath => Path.GetFullPath(Directory);
}

public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty means a SQLite file under <c>Data:Directory</c>.</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult("Database:ConnectionString is required when Database:Provider is Postgres.", [nameof(ConnectionString)]);
    }
}
