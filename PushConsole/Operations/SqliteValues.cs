using System.Globalization;
using NpgsqlTypes;

namespace PushConsole.Operations;

/// <summary>What <c>db copy</c> writes for a SQLite value into a PostgreSQL column of a given type.</summary>
public static class SqliteValues
{
    public static NpgsqlDbType TypeOf(string type, string table, string column) => type switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "smallint" => NpgsqlDbType.Smallint,
        "boolean" => NpgsqlDbType.Boolean,
        "double precision" => NpgsqlDbType.Double,
        "real" => NpgsqlDbType.Real,
        "numeric" => NpgsqlDbType.Numeric,
        "text" => NpgsqlDbType.Text,
        "character varying" or "character" => NpgsqlDbType.Varchar,
        "date" => NpgsqlDbType.Date,
        "timestamp with time zone" => NpgsqlDbType.TimestampTz,
        "timestamp without time zone" => NpgsqlDbType.Timestamp,
        "bytea" => NpgsqlDbType.Bytea,
        "uuid" => NpgsqlDbType.Uuid,
        "jsonb" => NpgsqlDbType.Jsonb,
        "json" => NpgsqlDbType.Json,
        _ => throw new InvalidOperationException($"{table}.{column}: no conversion from SQLite to PostgreSQL type {type}."),
    };

    /// <summary>SQLite hands back long, double, string or byte[]; PostgreSQL wants the column's own type.</summary>
    public static object Convert(object value, NpgsqlDbType type, string table, string column)
    {
        var invariant = CultureInfo.InvariantCulture;
        try
        {
            return type switch
            {
                NpgsqlDbType.Bigint => System.Convert.ToInt64(value, invariant),
                NpgsqlDbType.Integer => System.Convert.ToInt32(value, invariant),
                NpgsqlDbType.Smallint => System.Convert.ToInt16(value, invariant),
                NpgsqlDbType.Boolean => value switch
                {
                    long l => l != 0,
                    string s => s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("t", StringComparison.OrdinalIgnoreCase),
                    _ => System.Convert.ToBoolean(value, invariant),
                },
                NpgsqlDbType.Double => System.Convert.ToDouble(value, invariant),
                NpgsqlDbType.Real => System.Convert.ToSingle(value, invariant),
                NpgsqlDbType.Numeric => System.Convert.ToDecimal(value, invariant),
                NpgsqlDbType.Date => value is string d ? DateOnly.Parse(d[..Math.Min(d.Length, 10)], invariant) : DateOnly.FromDateTime(System.Convert.ToDateTime(value, invariant)),
                // EF Core on SQLite stores UTC times as text ("2026-12-04 13:58:38.1234567", offsets for DateTimeOffset)
                NpgsqlDbType.TimestampTz => DateTime.Parse((string)value, invariant, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                NpgsqlDbType.Timestamp => DateTime.SpecifyKind(DateTime.Parse((string)value, invariant), DateTimeKind.Unspecified),
                NpgsqlDbType.Bytea => value as byte[] ?? System.Text.Encoding.UTF8.GetBytes(System.Convert.ToString(value, invariant)!),
                NpgsqlDbType.Uuid => value is byte[] b ? new Guid(b) : Guid.Parse((string)value),
                _ => value as string ?? (value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : System.Convert.ToString(value, invariant)!),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidOperationException($"{table}.{column}: cannot convert {value} to {type} ({e.Message}).", e);
        }
    }
}
