using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.ServerApi;

public sealed record ScheduleAnswer(
    [property: JsonPropertyName("schedule_id")] string ScheduleId,
    [property: JsonPropertyName("name")] string Name);

/// <summary>A schedule as <c>GET /v4/schedules/{id}</c> shows it: what was sent, and where its message stands.</summary>
public sealed record ScheduleView(
    [property: JsonPropertyName("schedule_id")] string ScheduleId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("trigger")] JsonNode? Trigger,
    [property: JsonPropertyName("push")] JsonNode? Push,
    [property: JsonPropertyName("msg_id")] string? MsgId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("launch_at")] DateTime? LaunchAt,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt);

public sealed record ScheduleList([property: JsonPropertyName("schedules")] IReadOnlyList<ScheduleView> Schedules,
    [property: JsonPropertyName("page")] int Page, [property: JsonPropertyName("page_size")] int PageSize);

/// <summary>
/// <c>/v4/schedules</c>: each schedule is a row naming one campaign made by <see cref="CampaignService"/>, which validates
/// it and gives it a persistent Quartz trigger (a disabled schedule keeps its campaign as a draft, untriggered). Changing or
/// deleting is possible until the trigger fires; after that the message is controlled through <c>/v4/messages/{id}</c>.
/// </summary>
public sealed class ServerSchedules(CampaignService campaigns, CampaignControl control, IdempotentRequests requests,
    IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public async Task<ApiAnswer> CreateAsync(long appId, JsonElement body, Actor actor, CancellationToken ct)
    {
        var language = await ServerPushes.DefaultLanguageAsync(contexts, appId, ct);
        var errors = new FieldErrors();
        var parsed = ScheduleParser.Parse(body, language, errors);
        errors.ThrowIfAny();
        var schedule = parsed!;
        return await requests.RunAsync(appId, "schedule", schedule.Push.RequestId, async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var row = new PushSchedule
            {
                // the campaign model checks the name; until then it only has to fit its column
                AppId = appId, Name = Fit((schedule.Name ?? "").Trim(), 200), Enabled = schedule.Enabled,
                TriggerJson = body.GetProperty("trigger").GetRawText(), PushJson = body.GetProperty("push").GetRawText(),
                RequestId = schedule.Push.RequestId, CreatedBy = actor.Name, CreatedAt = now, UpdatedAt = now,
            };
            await using var db = await contexts.CreateDbContextAsync(ct);
            db.Add(row);
            await db.SaveChangesAsync(ct);
            try
            {
                var campaign = await PushErrors.NamedAsync(schedule.Push, () => campaigns.CreateAsync(Draft(appId, row.Id, schedule), actor, ct));
                row.CampaignId = campaign.Id;
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch
            {
                // the campaign model refused it: nothing stays behind
                db.Remove(row);
                await db.SaveChangesAsync(CancellationToken.None);
                throw;
            }
            return Answer(row);
        }, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            var made = await db.Set<PushSchedule>().AsNoTracking()
                .FirstOrDefaultAsync(s => s.AppId == appId && s.RequestId == schedule.Push.RequestId && s.CampaignId != null, token);
            return made is null ? null : Answer(made);
        }, ct);
    }

    public async Task<ScheduleView> GetAsync(long appId, string scheduleId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await FindAsync(db, appId, scheduleId, ct);
        var campaign = row.CampaignId is { } id ? await db.Set<Campaign>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        return View(row, campaign);
    }

    public async Task<ScheduleList> ListAsync(long appId, int page, int pageSize, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (page < 1) errors.Add("page", "page starts at 1.");
        if (pageSize is < 1 or > 100) errors.Add("page_size", "page_size is between 1 and 100.");
        errors.ThrowIfAny();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (from s in db.Set<PushSchedule>().AsNoTracking()
                          where s.AppId == appId
                          orderby s.Id descending
                          join c in db.Set<Campaign>() on s.CampaignId equals c.Id into joined
                          from c in joined.DefaultIfEmpty()
                          select new { s, c }).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new ScheduleList(rows.Select(r => View(r.s, r.c)).ToList(), page, pageSize);
    }

    /// <summary>Replaces the parts given (name, enabled, trigger, push); the rest stays. Refused once the trigger has fired.</summary>
    public async Task<ScheduleView> UpdateAsync(long appId, string scheduleId, JsonElement body, Actor actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await FindAsync(db, appId, scheduleId, ct);
        var campaign = await db.Set<Campaign>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == row.CampaignId, ct);
        EnsureNotFired(row, campaign);
        if (campaign is null) throw new ConflictException("schedule_id", $"Schedule {row.Id} has no message (its creation did not finish); delete it and create it again.");
        if (body.ValueKind != JsonValueKind.Object) throw new BadInputException("body", "The body is a JSON object with the parts to change: name, enabled, trigger, push.");
        var merged = new JsonObject
        {
            ["name"] = row.Name, ["enabled"] = row.Enabled, ["trigger"] = JsonNode.Parse(row.TriggerJson), ["push"] = JsonNode.Parse(row.PushJson),
        };
        foreach (var property in body.EnumerateObject()) merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        using var document = JsonDocument.Parse(merged.ToJsonString());
        var errors = new FieldErrors();
        var parsed = ScheduleParser.Parse(document.RootElement, await ServerPushes.DefaultLanguageAsync(contexts, appId, ct), errors);
        errors.ThrowIfAny();
        var updated = await PushErrors.NamedAsync(parsed!.Push, () => campaigns.UpdateAsync(campaign.Id, Draft(appId, row.Id, parsed), actor, ct));
        row.Name = updated.Name;
        row.Enabled = parsed.Enabled;
        row.TriggerJson = document.RootElement.GetProperty("trigger").GetRawText();
        row.PushJson = document.RootElement.GetProperty("push").GetRawText();
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return View(row, updated);
    }

    /// <summary>Cancels the schedule's message and forgets the schedule; refused once the trigger has fired.</summary>
    public async Task DeleteAsync(long appId, string scheduleId, Actor actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await FindAsync(db, appId, scheduleId, ct);
        var campaign = row.CampaignId is { } id ? await db.Set<Campaign>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        EnsureNotFired(row, campaign);
        if (campaign is not null) await control.CancelAsync(campaign.Id, appId, actor, ct);
        db.Remove(row);
        await db.SaveChangesAsync(ct);
    }

    private static void EnsureNotFired(PushSchedule row, Campaign? campaign)
    {
        if (campaign is null || campaign.Status is CampaignStatus.Scheduled or CampaignStatus.Draft) return;
        var status = campaign.Status.ToString().ToLowerInvariant();
        throw new ConflictException("schedule_id", campaign.Status is CampaignStatus.Sending or CampaignStatus.Paused
            ? $"Schedule {row.Id} has fired: its message {campaign.Id} is {status}, so it can no longer be changed. Stop what is left with POST /v4/messages/{campaign.Id}/cancel."
            : $"Schedule {row.Id} has fired: its message {campaign.Id} is {status}.");
    }

    private static async Task<PushSchedule> FindAsync(AppDbContext db, long appId, string scheduleId, CancellationToken ct)
    {
        // another app's schedule is reported exactly like a missing one
        var row = long.TryParse(scheduleId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.Set<PushSchedule>().FirstOrDefaultAsync(s => s.Id == id && s.AppId == appId, ct)
            : null;
        return row ?? throw new NotFoundException($"There is no schedule {scheduleId}.");
    }

    private static CampaignDraft Draft(long appId, long scheduleId, ParsedSchedule schedule) => new()
    {
        AppId = appId,
        Name = schedule.Name,
        Audience = schedule.Push.Audience,
        Message = schedule.Push.Message,
        Options = schedule.Push.Options,
        Schedule = schedule.Schedule,
        ThrottlePerMinute = schedule.Push.ThrottlePerMinute,
        PlanKey = schedule.Push.PlanKey,
        Origin = CampaignOrigin.Schedule,
        OriginRef = $"schedule:{scheduleId}",
        Hold = !schedule.Enabled,
    };

    private static string Fit(string text, int length) => text.Length <= length ? text : text[..length];

    private static string Answer(PushSchedule row) =>
        JsonSerializer.Serialize(new ScheduleAnswer(row.Id.ToString(CultureInfo.InvariantCulture), row.Name));

    private static ScheduleView View(PushSchedule row, Campaign? campaign) => new(
        row.Id.ToString(CultureInfo.InvariantCulture), row.Name, row.Enabled, JsonNode.Parse(row.TriggerJson), JsonNode.Parse(row.PushJson),
        campaign?.Id.ToString(CultureInfo.InvariantCulture), campaign?.Status.ToString().ToLowerInvariant() ?? "draft",
        campaign?.Status == CampaignStatus.Draft ? null : campaign?.LaunchAt, row.CreatedAt, row.UpdatedAt);
}
