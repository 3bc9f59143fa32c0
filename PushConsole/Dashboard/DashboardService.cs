using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Dashboard;

/// <summary>The dashboard at a glance: reachable devices, the last week's sends and opens, what is sending now, the dispatcher.</summary>
public sealed record DashboardView(
    int Apps,
    IReadOnlyDictionary<Platform, long> Reachable,
    long Invalid,
    int CampaignsThisWeek,
    long SentThisWeek,
    long OpenedThisWeek,
    IReadOnlyList<CampaignListItem> Active,
    IReadOnlyList<CampaignListItem> Recent,
    HealthStatus Dispatcher,
    string DispatcherMessage)
{
    public double? OpenRate => SentThisWeek == 0 ? null : (double)OpenedThisWeek / SentThisWeek;
}

public sealed class DashboardService(Database database, CampaignQueries campaigns, HealthCheckService health, TimeProvider clock)
{
    public const int RecentCount = 8;

    public async Task<DashboardView> GetAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var apps = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM apps", cancellationToken: ct));
        // one grouped pass over installations: reachable by platform, and those the providers invalidated
        var states = await connection.QueryAsync<(string Platform, string State, long Count)>(new CommandDefinition(
            "SELECT platform, state, COUNT(*) FROM installations GROUP BY platform, state", cancellationToken: ct));
        var reachable = states.Where(s => s.State == DeviceNames.Of(PushState.Subscribed) && DeviceNames.ParsePlatform(s.Platform) is not null)
            .GroupBy(s => DeviceNames.ParsePlatform(s.Platform)!.Value).ToDictionary(g => g.Key, g => g.Sum(s => s.Count));
        var invalid = states.Where(s => s.State == DeviceNames.Of(PushState.Invalid)).Sum(s => s.Count);

        var weekAgo = clock.GetUtcNow().UtcDateTime.AddDays(-7);
        var listed = await campaigns.ListAsync(null, 200, ct);
        var week = listed.Where(c => c.CreatedAt >= weekAgo && c.Origin != CampaignOrigin.Test).ToList();
        var active = listed.Where(c => c.Status is CampaignStatus.Sending or CampaignStatus.Paused or CampaignStatus.Scheduled)
            .OrderBy(c => c.Status switch { CampaignStatus.Sending => 0, CampaignStatus.Paused => 1, _ => 2 }).ThenBy(c => c.LaunchAt).Take(RecentCount).ToList();
        var report = await health.CheckHealthAsync(r => r.Name == "dispatcher", ct);
        var dispatcher = report.Entries.Values.FirstOrDefault();
        return new DashboardView(apps, reachable, invalid, week.Count, week.Sum(c => c.Sent), week.Sum(c => c.Opened), active,
            listed.Take(RecentCount).ToList(), report.Status, dispatcher.Description ?? "");
    }
}
