using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Devices;
using PushConsole.Sending.Launch;

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

public sealed class DashboardService(
    Database database, IDbContextFactory<AppDbContext> contexts, CampaignQueries campaigns, HealthCheckService health, TimeProvider clock)
{
    public const int RecentCount = 8;

    public async Task<DashboardView> GetAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var apps = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM apps", cancellationToken: ct));
        // one grouped pass over installations: reachable by platform, and those the providers invalidated
        var states = await connection.QueryAsync<(string Platform, string State, long Count)>(new CommandDefinition(
            "SELECT platform, state, COUNT(*) FROM installations GROUP BY platform, state", cancellationToken: ct));
        var reachable = states.Where(s => s.State == DeviceNames.Of(PushState.Subscribed) && PlatformNames.ParsePlatform(s.Platform) is not null)
            .GroupBy(s => PlatformNames.ParsePlatform(s.Platform)!.Value).ToDictionary(g => g.Key, g => g.Sum(s => s.Count));
        var invalid = states.Where(s => s.State == DeviceNames.Of(PushState.Invalid)).Sum(s => s.Count);

        var weekAgo = clock.GetUtcNow().UtcDateTime.AddDays(-7);
        var (campaignsThisWeek, sentThisWeek, openedThisWeek) = await WeekAsync(weekAgo, ct);
        var active = (await campaigns.ActiveAsync(200, ct))
            .OrderBy(c => c.Status switch { CampaignStatus.Sending => 0, CampaignStatus.Paused => 1, _ => 2 }).ThenBy(c => c.LaunchAt).Take(RecentCount).ToList();
        var recent = await campaigns.ListAsync(null, RecentCount, ct);
        var report = await health.CheckHealthAsync(r => r.Name == "dispatcher", ct);
        var dispatcher = report.Entries.Values.FirstOrDefault();
        return new DashboardView(apps, reachable, invalid, campaignsThisWeek, sentThisWeek, openedThisWeek, active, recent, report.Status, dispatcher.Description ?? "");
    }

    /// <summary>Campaigns created since then (tests left out), and their sends and opens: over every campaign, not the latest few.</summary>
    private async Task<(int Campaigns, long Sent, long Opened)> WeekAsync(DateTime since, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var week = db.Set<Campaign>().Where(c => c.CreatedAt >= since && c.Origin != CampaignOrigin.Test);
        var count = await week.CountAsync(ct);
        // from the week's campaigns into their deliveries by campaign id: never a scan of older campaigns' rows
        var totals = await (from c in week join d in db.Set<Sending.Delivery>() on c.Id equals d.CampaignId select d).GroupBy(_ => 1)
            .Select(g => new { Sent = g.LongCount(d => d.Status == DeliveryStatus.Sent), Opened = g.LongCount(d => d.OpenedAtMs != null) })
            .FirstOrDefaultAsync(ct);
        return (count, totals?.Sent ?? 0, totals?.Opened ?? 0);
    }
}
