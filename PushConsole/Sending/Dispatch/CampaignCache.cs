using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending.Dispatch;

/// <summary>A campaign ready to render, with its app's default APNs host.</summary>
public sealed record SendingCampaign(Renderer Renderer, ApnsEnvironment ApnsDefault);

/// <summary>Campaigns the worker is sending, loaded once each (content cannot change once a campaign has started).</summary>
public sealed class CampaignCache(IDbContextFactory<AppDbContext> contexts)
{
    private readonly ConcurrentDictionary<long, SendingCampaign> _campaigns = new();

    public async Task<SendingCampaign?> GetAsync(long campaignId, CancellationToken ct)
    {
        if (_campaigns.TryGetValue(campaignId, out var cached)) return cached;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = await db.Set<Campaign>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null) return null;
        var apns = await db.Set<App>().AsNoTracking().Where(a => a.Id == campaign.AppId).Select(a => (ApnsEnvironment?)a.Apns!.Environment).FirstOrDefaultAsync(ct);
        var sending = new SendingCampaign(new Renderer(campaign), apns ?? ApnsEnvironment.Production);
        if (_campaigns.Count > 1000) _campaigns.Clear();
        return _campaigns.GetOrAdd(campaignId, sending);
    }

    public void Forget(long campaignId) => _campaigns.TryRemove(campaignId, out _);
}
