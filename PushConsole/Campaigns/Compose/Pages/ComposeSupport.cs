using PushConsole.Sending;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Audience;
using PushConsole.Data;

namespace PushConsole.Campaigns.Compose.Pages;

/// <summary>What the compose page reads besides the form: the venue's zone, the app's tags, and a campaign copied into a new form.</summary>
public sealed class ComposeSupport(IDbContextFactory<AppDbContext> contexts, CampaignService campaigns, SegmentSuggestions suggestions)
{
    /// <summary>The agenda event's time zone of the app, when it has one (schedules default to it).</summary>
    public async Task<string?> VenueZoneAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<AgendaEvent>().Where(e => e.AppId == appId).Select(e => e.TimeZone).FirstOrDefaultAsync(ct);
    }

    public Task<IReadOnlyList<string>> TagsAsync(long appId, CancellationToken ct = default) => suggestions.TagsAsync(appId, ct);

    /// <summary>Any campaign as a new form: same audience, content and options, named "… (copy)", sent now unless its time is still ahead.</summary>
    public async Task<ComposeForm> DuplicateAsync(long campaignId, DateTime nowUtc, CancellationToken ct = default)
    {
        var campaign = await campaigns.GetAsync(campaignId, null, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = campaign.PlanId is { } planId ? await db.Set<Plan>().Where(p => p.Id == planId).Select(p => p.PlanKey).FirstOrDefaultAsync(ct) : null;
        var form = ComposeForm.FromCampaign(campaign, plan);
        form.EditingCampaignId = null;
        var name = $"{campaign.Name} (copy)";
        form.Name = name.Length > 200 ? name[..200] : name;
        if (campaign.Message.Winner is { } rule) form.DefaultVariant = rule.DefaultVariant;
        if (campaign.Schedule is AtSchedule { At: var at } && at <= nowUtc) form.Schedule = new ScheduleForm { Zone = form.Schedule.Zone };
        return form;
    }
}
