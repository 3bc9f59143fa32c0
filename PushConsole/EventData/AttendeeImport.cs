using CsvHelper;

namespace PushConsole.EventData;

/// <summary>How far an import is: bytes of the file read, lines read, and what was stored so far.</summary>
public sealed record ImportProgress(long BytesRead, long FileBytes, int Rows, int Created, int Updated, int Errors)
{
    public double Percent => FileBytes <= 0 ? 0 : Math.Min(100, 100.0 * BytesRead / FileBytes);
}

/// <summary>What an import did; <see cref="Errors"/> keeps the first <see cref="AttendeeImport.MaxErrorsKept"/>, <see cref="ErrorCount"/> counts all.</summary>
public sealed record ImportResult(int Rows, int Created, int Updated, int ErrorCount, IReadOnlyList<ImportRowError> Errors);

/// <summary>A preview: the first rows as profiles (with their lines) and the errors among the first rows checked.</summary>
public sealed record ImportPreview(IReadOnlyList<(long Line, UserBatchRow Row)> Rows, IReadOnlyList<ImportRowError> Errors, int Checked);

/// <summary>
/// The console's attendee import: a CSV file read in chunks of <see cref="ChunkRows"/> lines, each stored through
/// <see cref="UserBatchService"/> (the batch API's checks and SQL, one transaction a chunk), with progress after each chunk,
/// so 100,000 lines never sit in memory or on the page at once. Errors name the file's line.
/// </summary>
public sealed class AttendeeImport(UserBatchService batch)
{
    public const int ChunkRows = 2_000;
    public const int MaxErrorsKept = 1_000;

    /// <summary>The first <paramref name="shown"/> rows as profiles and the errors among all of <paramref name="head"/>'s rows; stores nothing.</summary>
    public static ImportPreview Preview(CsvHead head, IReadOnlyList<ColumnMapping> mapping, int shown = 10)
    {
        var rows = head.Rows.Select(l => AttendeeCsv.ToRow(l, mapping)).ToList();
        var checkedRows = UserBatchService.Validate(rows.Cast<UserBatchRow?>().ToList());
        var errors = head.Problems.Concat(checkedRows.Errors.Select(e => new ImportRowError(head.Rows[e.Index].Line, e.Field, e.Detail))).OrderBy(e => e.Line).ToList();
        return new ImportPreview(head.Rows.Take(shown).Select((l, i) => (l.Line, rows[i])).ToList(), errors, head.Rows.Count);
    }

    public async Task<ImportResult> ImportAsync(long appId, string path, IReadOnlyList<ColumnMapping> mapping, IProgress<ImportProgress>? progress,
        CancellationToken ct = default)
    {
        if (AttendeeCsv.MappingProblem(mapping) is { } problem) throw new Api.BadInputException("mapping", problem);
        var size = new FileInfo(path).Length;
        var problems = new List<ImportRowError>();
        var errors = new List<ImportRowError>();
        var (rows, created, updated, errorCount) = (0, 0, 0, 0);
        using var csv = CsvReader.FromFile(path, AttendeeCsv.Options(problems));
        _ = csv.Headers;
        var chunk = new List<CsvLine>(ChunkRows);
        var more = true;
        while (more)
        {
            chunk.Clear();
            while (chunk.Count < ChunkRows && (more = csv.Read()))
                if (AttendeeCsv.Line(csv) is { } line) chunk.Add(line);
            var result = await batch.ImportAsync(appId, chunk.Select(l => (UserBatchRow?)AttendeeCsv.ToRow(l, mapping)).ToList(), ct);
            rows += chunk.Count;
            created += result.Created;
            updated += result.Updated;
            var found = problems.Concat(result.Errors.Select(e => new ImportRowError(chunk[e.Index].Line, e.Field, e.Detail))).OrderBy(e => e.Line).ToList();
            problems.Clear();
            errorCount += found.Count;
            errors.AddRange(found.Take(MaxErrorsKept - errors.Count));
            progress?.Report(new ImportProgress(more ? csv.ByteOffset : size, size, rows, created, updated, errorCount));
        }
        return new ImportResult(rows, created, updated, errorCount, errors);
    }
}

/// <summary>Where an uploaded file waits while it is mapped and imported: a temporary file, removed with the page.</summary>
public static class ImportUpload
{
    /// <summary>Copies the browser's stream to a temporary file, reporting the bytes received; returns the file's path.</summary>
    public static async Task<string> SaveAsync(Stream source, long size, IProgress<ImportProgress>? progress, CancellationToken ct = default)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pushconsole-attendees-{Guid.NewGuid():N}.csv");
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            long received = 0;
            for (int read; (read = await source.ReadAsync(buffer, ct)) > 0;)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                received += read;
                progress?.Report(new ImportProgress(received, size, 0, 0, 0, 0));
            }
            return path;
        }
        catch
        {
            Delete(path);
            throw;
        }
    }

    public static void Delete(string? path)
    {
        if (path is null) return;
        try { File.Delete(path); }
        catch (IOException) { } // a temporary file left behind is the OS's to clean
    }
}
