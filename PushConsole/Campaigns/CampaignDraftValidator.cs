using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Consent;
using PushConsole.Data;

namespace PushConsole.Campaigns;

/// <summary>A draft the validator passed, with what its checks looked up; only <see cref="CampaignDraftValidator"/> makes one.</summary>
public sealed class ValidDraft
{
    internal ValidDraft(CampaignDraft draft, long? planId) => (Draft, PlanId) = (draft, planId);

    public CampaignDraft Draft { get; }
    /// <summary>The id of the plan the draft names (<see cref="CampaignDraft.PlanKey"/>), if any.</summary>
    public long? PlanId { get; }
}

/// <summary>
/// The one check of a campaign draft, run once per draft by every path that makes a campaign (compose, the server API,
/// agenda pushes): the draft's own rules (<see cref="CampaignValidation"/>) and what needs the database (plan, segment,
/// consent category). Keys are paths into the campaign model; compose places each on its form (<c>ComposeFields</c>).
/// </summary>
public sealed class CampaignDraftValidator(IDbContextFactory<AppDbContext> contexts, ConsentCatalog consent, TimeProvider clock)
{
    /// <summary>Adds every problem of the draft to <paramref name="errors"/>; the validated draft when it found none.</summary>
    public async Task<ValidDraft?> CheckAsync(CampaignDraft draft, FieldErrors errors, CancellationToken ct = default)
    {
        var before = errors.Count;
        CampaignValidation.Validate(draft.Name, draft.Audience, draft.Message, draft.Options, draft.Schedule, draft.ThrottlePerMinute,
            clock.GetUtcNow().UtcDateTime, errors);
        // further request-time checks of the push (rendered sizes, header-bound fields, caps) belong here, one call each

        await using var db = await contexts.CreateDbContextAsync(ct);
        long? planId = null;
        if (!string.IsNullOrWhiteSpace(draft.PlanKey))
        {
            planId = await db.Set<Plan>().Where(p => p.AppId == draft.AppId && p.PlanKey == draft.PlanKey).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
            if (planId is null) errors.Add("planId", $"There is no plan \"{draft.PlanKey}\"; create it first (POST /v4/push_plan).");
        }
        if (draft.Audience.SegmentId is { } segmentId && !await db.Set<Audience.Segment>().AnyAsync(s => s.Id == segmentId && s.AppId == draft.AppId, ct))
            errors.Add("audience.segment", $"There is no segment {segmentId} in this app; choose another, or list the app's segments with GET /v4/segments.");
        // only categories the app defines: a campaign's category decides consent, opt-outs, quiet hours and caps
        if (draft.Options.Category is { } category && Devices.Preferences.IsKey(category))
        {
            var catalogue = await consent.GetAsync(draft.AppId, ct);
            if (catalogue.Find(category) is null)
                errors.Add("options.category", $"There is no category \"{category}\" in this app; define it on the app's Consent & preferences page " +
                                               $"or choose one of: {string.Join(", ", catalogue.Categories.Select(c => c.Key))}.");
        }
        return errors.Count == before ? new ValidDraft(draft, planId) : null;
    }

    /// <summary>The validated draft, or a <see cref="BadInputException"/> naming every problem.</summary>
    public async Task<ValidDraft> ValidateAsync(CampaignDraft draft, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var valid = await CheckAsync(draft, errors, ct);
        errors.ThrowIfAny();
        return valid!;
    }
}
