using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PushConsole.Api;
using PushConsole.Data;

namespace PushConsole.Operations;

/// <summary>What a backup holds: the database and the key rings it took.</summary>
public sealed record BackupSummary(string File, long DatabaseBytes, int Keys);

/// <summary>
/// <c>backup</c> and <c>restore</c> of a SQLite install: one zip with a consistent online copy of the database (SQLite's
/// backup API, safe while the app serves) and the Data Protection key ring that decrypts its credentials. On PostgreSQL
/// the key ring is in the database: pg_dump is the backup there (README, "Running it for real").
/// </summary>
public sealed class Backup(Database database, IOptions<DataOptions> data, TimeProvider clock)
{
    public const string DatabaseEntry = "pushconsole.db";
    public const string KeysFolder = "keys";
    private const string ManifestEntry = "backup.json";

    private string KeysDirectory => Path.Combine(data.Value.FullPath, KeysFolder);

    private string DatabaseFile => new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;

    public async Task<BackupSummary> BackupAsync(string file, CancellationToken ct)
    {
        RefusePostgres("backup");
        var target = Path.GetFullPath(file);
        if (Directory.Exists(target)) throw BadInput("to", $"{target} is a folder; give the backup file's name, e.g. {Path.Combine(target, "pushconsole-backup.zip")}.");
        if (!File.Exists(DatabaseFile)) throw BadInput("Data:Directory", $"There is no database at {DatabaseFile}: point --Data:Directory at the install to back up.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var snapshot = target + ".db.partial";
        var partial = target + ".partial";
        try
        {
            // the backup API copies a consistent snapshot page by page while other connections keep writing
            await using (var source = new SqliteConnection(database.ConnectionString))
            await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ToString()))
            {
                await source.OpenAsync(ct);
                await copy.OpenAsync(ct);
                source.BackupDatabase(copy);
                await using var journal = copy.CreateCommand();
                journal.CommandText = "PRAGMA journal_mode=DELETE;"; // one self-contained file
                await journal.ExecuteNonQueryAsync(ct);
            }
            var bytes = new FileInfo(snapshot).Length;
            var keys = 0;
            await using (var zip = await ZipFile.OpenAsync(partial, ZipArchiveMode.Create, ct))
            {
                await zip.CreateEntryFromFileAsync(snapshot, DatabaseEntry, CompressionLevel.Optimal, ct);
                // keys after the database: a key made meanwhile is harmless, one the copied data needs is always there
                if (Directory.Exists(KeysDirectory))
                    foreach (var key in Directory.GetFiles(KeysDirectory, "*.xml"))
                    {
                        await zip.CreateEntryFromFileAsync(key, $"{KeysFolder}/{Path.GetFileName(key)}", CompressionLevel.Optimal, ct);
                        keys++;
                    }
                var manifest = zip.CreateEntry(ManifestEntry);
                await using var stream = await manifest.OpenAsync(ct);
                await JsonSerializer.SerializeAsync(stream, new { createdAt = clock.GetUtcNow(), database = DatabaseEntry, keys }, JsonSerializerOptions.Web, ct);
            }
            File.Move(partial, target, overwrite: true);
            return new BackupSummary(target, bytes, keys);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(snapshot);
            File.Delete(partial);
        }
    }

    /// <summary>Unpacks a backup into an empty data folder (no database, no keys there yet) and checks the database.</summary>
    public async Task<BackupSummary> RestoreAsync(string file, CancellationToken ct)
    {
        RefusePostgres("restore");
        var source = Path.GetFullPath(file);
        if (!File.Exists(source)) throw BadInput("from", $"{source} does not exist.");
        if (File.Exists(DatabaseFile) || (Directory.Exists(KeysDirectory) && Directory.EnumerateFiles(KeysDirectory).Any()))
            throw BadInput("Data:Directory", $"{data.Value.FullPath} already holds a database or keys; restore into an empty folder (--Data:Directory=/new/folder).");
        await using var zip = await OpenBackupAsync(source, ct);
        var entry = zip.GetEntry(DatabaseEntry) ?? throw BadInput("from", $"{source} holds no {DatabaseEntry}: it is not a PushConsole backup.");
        Directory.CreateDirectory(Path.GetDirectoryName(DatabaseFile)!);
        var partial = DatabaseFile + ".partial";
        await entry.ExtractToFileAsync(partial, overwrite: true, ct);
        var keys = 0;
        try
        {
            await CheckAsync(partial, ct);
            foreach (var key in zip.Entries.Where(e => e.FullName.StartsWith(KeysFolder + "/", StringComparison.Ordinal) && e.Name.EndsWith(".xml", StringComparison.Ordinal)))
            {
                Directory.CreateDirectory(KeysDirectory);
                await key.ExtractToFileAsync(Path.Combine(KeysDirectory, key.Name), overwrite: false, ct);
                keys++;
            }
            File.Move(partial, DatabaseFile);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(partial);
        }
        return new BackupSummary(DatabaseFile, new FileInfo(DatabaseFile).Length, keys);
    }

    private static async Task<ZipArchive> OpenBackupAsync(string source, CancellationToken ct)
    {
        try { return await ZipFile.OpenAsync(source, ZipArchiveMode.Read, ct); }
        catch (InvalidDataException) { throw BadInput("from", $"{source} is not a zip made by `backup`."); }
    }

    private static async Task CheckAsync(string file, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = Convert.ToString(await command.ExecuteScalarAsync(ct));
        if (result != "ok") throw BadInput("from", $"The database in the backup is damaged (integrity check: {result}).");
    }

    private void RefusePostgres(string verb)
    {
        if (database.IsPostgres)
            throw BadInput("Database:Provider", $"`{verb}` is for SQLite installs; on PostgreSQL use pg_dump / pg_restore (the key ring is in the database), and keep the key-ring certificate.");
    }

    private static BadInputException BadInput(string field, string message) => new(field, message);
}
