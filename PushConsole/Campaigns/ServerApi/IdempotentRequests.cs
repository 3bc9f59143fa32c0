using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Api;
using PushConsole.Data;

namespace PushConsole.Campaigns.ServerApi;

/// <summary>A server API call made with a <c>request_id</c>: claimed before the work, then holding the first answer for 24 h.</summary>
public sealed class ApiRequest
{
    public long Id { get; set; }
    public long AppId { get; set; }
    /// <summary>"push" or "schedule": the same id may be used once for each.</summary>
    public required string Endpoint { get; set; }
    public required string RequestId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The JSON answered the first time; null while that first call is still at work.</summary>
    public string? Answer { get; set; }
}

public sealed class ApiRequestConfiguration : IEntityTypeConfiguration<ApiRequest>
{
    public void Configure(EntityTypeBuilder<ApiRequest> builder)
    {
        builder.ToTable("api_requests");
        builder.Property(r => r.Endpoint).HasMaxLength(20);
        builder.Property(r => r.RequestId).HasMaxLength(PushParser.MaxRequestId);
        builder.HasIndex(r => new { r.AppId, r.Endpoint, r.RequestId }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);
        builder.HasOne<Apps.App>().WithMany().HasForeignKey(r => r.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The answer to a server API call, and whether it is the stored answer of an earlier call with the same request_id.</summary>
public sealed record ApiAnswer(string Json, bool Replayed);

/// <summary>
/// request_id idempotency: the first call claims the id with a unique row (INSERT … ON CONFLICT DO NOTHING, the same on
/// SQLite and PostgreSQL), does the work and stores its answer; a repeat within 24 h gets that answer and does nothing.
/// A repeat that arrives while the first is still at work waits for its answer. A claim left by a process that died
/// mid-way is taken over after a few minutes, unless what it made can be found (then that is the answer).
/// </summary>
public sealed class IdempotentRequests(Database database, TimeProvider clock, ILogger<IdempotentRequests> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(30);
    private DateTime _lastPurge;

    public async Task<ApiAnswer> RunAsync(long appId, string endpoint, string? requestId, Func<Task<string>> work,
        Func<CancellationToken, Task<string?>> findMade, CancellationToken ct)
    {
        if (requestId is null) return new ApiAnswer(await work(), false);
        var key = new { appId, endpoint, requestId };
        await using var connection = await database.OpenAsync(ct);
        await PurgeAsync(connection, ct);
        var waited = TimeSpan.Zero;
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM api_requests WHERE app_id = @appId AND endpoint = @endpoint AND request_id = @requestId AND created_at < @expired",
                new { appId, endpoint, requestId, expired = now - Window }, cancellationToken: ct));
            var claimed = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO api_requests (app_id, endpoint, request_id, created_at) VALUES (@appId, @endpoint, @requestId, @now)
                ON CONFLICT (app_id, endpoint, request_id) DO NOTHING
                """, new { appId, endpoint, requestId, now }, cancellationToken: ct));
            if (claimed == 1) return await OwnAsync(connection, key, work, ct);

            var existing = await connection.QuerySingleOrDefaultAsync<Existing>(new CommandDefinition(
                "SELECT answer AS Answer, CAST(CASE WHEN created_at < @abandoned THEN 1 ELSE 0 END AS BIGINT) AS Stale FROM api_requests " +
                "WHERE app_id = @appId AND endpoint = @endpoint AND request_id = @requestId",
                new { appId, endpoint, requestId, abandoned = now - Abandoned }, cancellationToken: ct));
            if (existing is null) continue; // the first call failed and let go of the id: claim it again
            if (existing.Answer is not null) return new ApiAnswer(existing.Answer, true);
            if (existing.Stale == 1)
            {
                if (await findMade(ct) is { } made)
                {
                    await StoreAsync(connection, key, made, ct);
                    return new ApiAnswer(made, true);
                }
                var takenOver = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE api_requests SET created_at = @now WHERE app_id = @appId AND endpoint = @endpoint AND request_id = @requestId " +
                    "AND answer IS NULL AND created_at < @abandoned", new { appId, endpoint, requestId, now, abandoned = now - Abandoned }, cancellationToken: ct));
                if (takenOver == 1)
                {
                    logger.LogWarning("Taking over request_id {RequestId} of app {App}: its first call never finished", requestId, appId);
                    return await OwnAsync(connection, key, work, ct);
                }
                continue;
            }
            if (waited >= WaitForFirst)
                throw new ConflictException("request_id", $"A call with request_id \"{requestId}\" is still being processed; repeat it in a moment to get its answer.");
            await Task.Delay(50, ct);
            waited += TimeSpan.FromMilliseconds(50);
        }
    }

    private static async Task<ApiAnswer> OwnAsync(System.Data.Common.DbConnection connection, object key, Func<Task<string>> work, CancellationToken ct)
    {
        string answer;
        try
        {
            answer = await work();
        }
        catch
        {
            // nothing was made (bad input, conflict…): the id is free for a corrected call
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM api_requests WHERE app_id = @appId AND endpoint = @endpoint AND request_id = @requestId AND answer IS NULL", key,
                cancellationToken: CancellationToken.None));
            throw;
        }
        await StoreAsync(connection, key, answer, CancellationToken.None);
        return new ApiAnswer(answer, false);
    }

    private static Task StoreAsync(System.Data.Common.DbConnection connection, object key, string answer, CancellationToken ct)
    {
        var parameters = new DynamicParameters(key);
        parameters.Add("answer", answer);
        return connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_requests SET answer = @answer WHERE app_id = @appId AND endpoint = @endpoint AND request_id = @requestId",
            parameters, cancellationToken: ct));
    }

    /// <summary>Ids older than the window are forgotten (at most once an hour, by whichever call comes along).</summary>
    private async Task PurgeAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - _lastPurge < TimeSpan.FromHours(1)) return;
        _lastPurge = now;
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM api_requests WHERE created_at < @expired AND answer IS NOT NULL",
            new { expired = now - Window }, cancellationToken: ct));
    }

    private sealed class Existing
    {
        public string? Answer { get; init; }
        public long Stale { get; init; }
    }
}
