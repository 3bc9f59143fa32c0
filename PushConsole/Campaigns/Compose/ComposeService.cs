using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Campaigns.TestDevices;
using PushConsole.Data;
using PushConsole.Sending.Providers;
using PushConsole.Devices;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Compose;

/// <summary>An app as compose offers it, with which providers it can reach.</summary>
public sealed record ComposeApp(long Id, string Name, string DefaultLanguage, bool HasFcm, bool HasApns);

/// <summary>What "check before send" found: the draft, the recipients by platform, and every problem by field.</summary>
public sealed record ComposeCheck(CampaignDraft? Draft, AudienceCount Count, IReadOnlyDictionary<string, string[]> Errors, ValidDraft? Valid = null)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>A test sent to my test devices: one campaign per variant.</summary>
public sealed record TestSend(IReadOnlyList<long> CampaignIds, long Devices);

/// <summary>A saved segment as the audience picker lists it.</summary>
public sealed record SegmentChoice(long Id, string Name);

/// <summary>
/// The compose page's logic: choices (apps, plans, categories), the live count, the checks before send (everything
/// <see cref="CampaignValidation"/> checks plus payload sizes, credentials per targeted platform and an empty audience),
/// previews, send (create or update a scheduled campaign) and "send test to my devices".
/// </summary>
public sealed class ComposeService(
    IDbContextFactory<AppDbContext> contexts, AudienceCounter counter, CampaignDraftValidator validator, CampaignService campaigns, SegmentService segments, TestDeviceService testDevices, Consent.ConsentCatalog consent, TimeProvider clock)
{

    public async Task<IReadOnlyList<ComposeApp>> AppsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<App>().AsNoTracking().OrderBy(a => a.Name)
            .Select(a => new ComposeApp(a.Id, a.Name, a.DefaultLanguage, a.Fcm != null, a.Apns != null)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<Plan>> PlansAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Plan>().AsNoTracking().Where(p => p.AppId == appId).OrderBy(p => p.PlanKey).ToListAsync(ct);
    }

    /// <summary>The app's saved segments, for the audience picker.</summary>
    public async Task<IReadOnlyList<SegmentChoice>> SegmentsAsync(long appId, CancellationToken ct = default) =>
        [.. (await segments.ListAsync(appId, ct)).Select(s => new SegmentChoice(s.Id, s.Name)).OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase)];

    /// <summary>The app of a segment, or null when there is no such segment.</summary>
    public async Task<long?> AppOfSegmentAsync(long segmentId, CancellationToken ct = default)
    {
        try { return await segments.AppOfAsync(segmentId, ct); }
        catch (NotFoundException) { return null; }
    }

    /// <summary>The app's consent categories: the only ones a campaign may name (each decides consent, opt-outs and caps).</summary>
    public async Task<IReadOnlyList<string>> CategoriesAsync(long appId, CancellationToken ct = default) =>
        [.. (await consent.GetAsync(appId, ct)).Categories.Select(c => c.Key).Order(StringComparer.Ordinal)];

    public Task<AudienceCount> CountAsync(ComposeForm form, string consoleUser, CancellationToken ct = default) => Counter(form, consoleUser)(ct);

    /// <summary>The count of the audience as the form is now (read at once, so the page may go on editing it), run when called.</summary>
    public Func<CancellationToken, Task<AudienceCount>> Counter(ComposeForm form, string consoleUser)
    {
        if (form.AppId is not { } appId || form.Audience.NoPlatform) return _ => Task.FromResult(AudienceCount.None);
        var spec = form.Audience.ToSpec(consoleUser);
        if (!spec.HasFilter) return _ => Task.FromResult(AudienceCount.None);
        var type = form.PushType;
        return async ct =>
        {
            try { return await counter.CountAsync(appId, spec, type, ct); }
            // a segment deleted while the form was open counts nobody; the checks say why
            catch (NotFoundException) when (spec.SegmentId is not null) { return AudienceCount.None; }
        };
    }

    /// <summary>Every problem at once, each under the field it belongs to; nothing is stored.</summary>
    public async Task<ComposeCheck> CheckAsync(ComposeForm form, string consoleUser, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var apps = await AppsAsync(ct);
        var app = apps.FirstOrDefault(a => a.Id == form.AppId);
        if (app is null)
        {
            errors.Add("appId", "Choose the app to send from.");
            return new ComposeCheck(null, AudienceCount.None, errors.ToDictionary());
        }
        var draft = form.ToDraft(app.Id, consoleUser);
        form.Schedule.Check(errors);
        // the same check the server API and agenda pushes get; compose adds what only the form knows (platforms, counts, sizes, empty times)
        var valid = await validator.CheckAsync(draft, errors, ct);

        var count = AudienceCount.None;
        if (form.Audience.Kind == AudienceKind.Segment && form.Audience.SegmentId is null)
            errors.Add("audience", "Choose a saved segment, or build one on the Segments page.");
        // a segment deleted meanwhile counts nobody; the validator has named it
        else if (errors.Has("audience.segment")) count = AudienceCount.None;
        else if (form.Audience.NoPlatform)
            errors.Add("audience.platforms", "Tick at least one platform.");
        else if (draft.Audience.HasFilter)
        {
            count = await counter.CountAsync(app.Id, draft.Audience, draft.Options.PushType, ct, draft.Options.Devices);
            if (count.Total == 0)
                errors.Add("audience", form.Audience.Kind == AudienceKind.TestDevices
                    ? "You have no test device of this app that can receive pushes; add some from the audience lookup page (\"Add to my test devices\")."
                    : "Nobody matches this audience: no device of the app with these filters can receive this push.");
            if (count[Platform.Android] > 0 && !app.HasFcm)
                errors.Add("audience.platforms", $"{count[Platform.Android]:N0} Android devices are in the audience, but the app has no FCM service account: upload one on the app's page, or leave Android out.");
            if (count[Platform.Ios] > 0 && !app.HasApns)
                errors.Add("audience.platforms", $"{count[Platform.Ios]:N0} iOS devices are in the audience, but the app has no APNs key: upload one on the app's page, or leave iOS out.");
        }
        if (!HasMessageErrors(errors)) CheckPayloads(form, draft, errors);
        return new ComposeCheck(draft, count, errors.ToDictionary(), errors.Any ? null : valid);
    }

    /// <summary>Provider size limits, measured with the providers' own payload builders for every variant and language.</summary>
    private static void CheckPayloads(ComposeForm form, CampaignDraft draft, FieldErrors errors)
    {
        var renderer = MessagePreview.RendererFor(draft.AppId, draft.Message, draft.Options);
        for (var i = 0; i < draft.Message.Variants.Count; i++)
        {
            var variant = draft.Message.Variants[i];
            if (variant.IsControl) continue;
            foreach (var language in variant.Content.Keys)
            {
                var field = $"message.variants[{i}].content.{language}.body";
                if (errors.Has(field)) continue; // PushChecks (through CampaignValidation) measured it already
                if (form.Audience.Ios)
                {
                    var ios = MessagePreview.Render(renderer, variant.Key, language, Platform.Ios);
                    if (ios.TooLarge)
                        errors.Add(field, $"On iOS this push is {MessagePreview.Describe(ios.PayloadBytes)}; APNs allows {MessagePreview.Describe(ios.MaxBytes!.Value)}. Shorten the text, link or data pairs.");
                }
                if (form.Audience.Android)
                {
                    var android = MessagePreview.Render(renderer, variant.Key, language, Platform.Android);
                    if (android.TooLarge)
                        errors.Add(field, $"On Android this push is {MessagePreview.Describe(android.PayloadBytes)}; FCM allows {MessagePreview.Describe(android.MaxBytes!.Value)}. Shorten the text, link or data pairs.");
                }
                if (form.Audience.Web)
                {
                    var web = MessagePreview.Render(renderer, variant.Key, language, Platform.Web);
                    if (web.TooLarge)
                        errors.Add(field, $"In browsers this push is {MessagePreview.Describe(web.PayloadBytes)}; Web Push carries at most {MessagePreview.Describe(web.MaxBytes!.Value)}. Shorten the text, link or data pairs.");
                }
            }
        }
    }

    // a message the renderer cannot make sense of yet (no variants, bad weights) is not measured
    private static bool HasMessageErrors(FieldErrors errors) => errors.Has("message.variants") || errors.Has("message.defaultLanguage");

    /// <summary>Creates the campaign (or saves a scheduled one being edited) after the same checks the page shows.</summary>
    public async Task<Campaign> SendAsync(ComposeForm form, Actor actor, CancellationToken ct = default)
    {
        var check = await CheckAsync(form, actor.Name, ct);
        if (!check.Ok) throw new BadInputException(check.Errors);
        return form.EditingCampaignId is { } id
            ? await campaigns.UpdateAsync(id, check.Valid!, actor, ct)
            : await campaigns.CreateAsync(check.Valid!, actor, ct);
    }

    /// <summary>
    /// The message, as it stands, to my test devices now: one small campaign per variant (so every variant is seen),
    /// marked as a test. The form's own audience and schedule are not used.
    /// </summary>
    public async Task<TestSend> SendTestAsync(ComposeForm form, Actor actor, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (form.AppId is not { } appId)
        {
            errors.Add("appId", "Choose the app to send from.");
            errors.ThrowIfAny();
        }
        var mine = (await testDevices.ListAsync(actor.Name, form.AppId, ct)).Count;
        var audience = new AudienceSpec { TestDevicesOf = actor.Name };
        var count = await counter.CountAsync(form.AppId!.Value, audience, form.PushType, ct);
        if (count.Total == 0)
            errors.Add("testDevices", mine == 0
                ? "You have no test device in this app: find your phone on the audience lookup page and choose \"Add to my test devices\"."
                : "None of your test devices in this app can receive pushes right now (unsubscribed or without a token).");
        var draft = form.ToDraft(form.AppId!.Value, actor.Name, CampaignOrigin.Test);
        var message = draft.Message;
        CampaignValidation.Validate("test", audience, message with { Winner = null }, draft.Options, CampaignSchedule.Immediately, null, clock.GetUtcNow().UtcDateTime, errors);
        errors.ThrowIfAny();
        var ids = new List<long>();
        foreach (var variant in message.Variants.Where(v => !v.IsControl))
        {
            var single = message with { Variants = [variant with { Weight = 100 }], Winner = null };
            var name = $"Test: {ComposeForm.Blank(form.Name) ?? "untitled"}{(message.Variants.Count > 1 ? $" (variant {variant.Key})" : "")}";
            var campaign = await campaigns.CreateAsync(draft with
            {
                Name = name.Length > 200 ? name[..200] : name, Audience = audience, Message = single, Schedule = CampaignSchedule.Immediately,
                ThrottlePerMinute = null, PlanKey = null, OriginRef = $"test by {actor.Name}",
            }, actor, ct);
            ids.Add(campaign.Id);
        }
        return new TestSend(ids, count.Total);
    }

    /// <summary>A scheduled campaign back in the form; refused once it has started.</summary>
    public async Task<ComposeForm> LoadForEditAsync(long campaignId, CancellationToken ct = default)
    {
        var campaign = await campaigns.GetAsync(campaignId, null, ct);
        if (campaign.Status is not (CampaignStatus.Scheduled or CampaignStatus.Draft))
            throw new ConflictException("status", $"The campaign is {campaign.Status.ToString().ToLowerInvariant()}; only scheduled campaigns can be edited.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = campaign.PlanId is { } planId ? await db.Set<Plan>().Where(p => p.Id == planId).Select(p => p.PlanKey).FirstOrDefaultAsync(ct) : null;
        return ComposeForm.FromCampaign(campaign, plan);
    }
}
