using Dapper;
using PushConsole.Data;
using PushConsole.Sending.Providers;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Compose;

/// <summary>Recipients of an audience right now, by platform.</summary>
public sealed record AudienceCount(IReadOnlyDictionary<Platform, long> ByPlatform)
{
    public static AudienceCount None { get; } = new(new Dictionary<Platform, long>());

    public long Total => ByPlatform.Values.Sum();

    public long this[Platform platform] => ByPlatform.GetValueOrDefault(platform);
}

/// <summary>The compose page's live count: one grouped query over the same WHERE the launch streams.</summary>
public sealed class AudienceCounter(Database database, AudienceQuery audiences)
{
    public async Task<AudienceCount> CountAsync(long appId, AudienceSpec audience, PushType type, CancellationToken ct = default,
        DeviceChoice devices = DeviceChoice.All)
    {
        var parameters = new DynamicParameters();
        var where = await audiences.WhereAsync(appId, audience, type, parameters, ct, devices);
        await using var connection = await database.OpenAsync(ct);
        // the compose page cancels a count the user's next change replaced: stop it rather than let it finish
        using var interrupt = Database.InterruptOnCancel(connection, ct);
        IEnumerable<(string Platform, long Count)> rows;
        try
        {
            rows = await connection.QueryAsync<(string Platform, long Count)>(new CommandDefinition(
                $"SELECT i.platform, COUNT(*) FROM {AudienceSql.From} WHERE {where} GROUP BY i.platform", parameters, cancellationToken: ct));
        }
        catch (Exception e) when (Database.WasInterrupted(e, ct)) { throw new OperationCanceledException(ct); }
        return new AudienceCount(rows.Where(r => PlatformNames.ParsePlatform(r.Platform) is not null)
            .ToDictionary(r => PlatformNames.ParsePlatform(r.Platform)!.Value, r => r.Count));
    }
}
