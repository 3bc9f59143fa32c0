using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Audience;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Automations;

/// <summary>
/// Automations: create, change, pause, delete, and fire for given users. Everything is validated (shape, limits, tokens, the push
/// as a campaign would take it, segments of this app) before anything is written: bad input stores nothing.
/// </summary>
public sealed class AutomationService(
    IDbContextFactory<AppDbContext> contexts, Database database, SegmentService segments, CampaignDraftValidator drafts, AuditLog audit,
    AutomationIndex index, AutomationStarts starts, AutomationSignal signal, TimeProvider clock)
{
    public async Task<IReadOnlyList<Automation>> ListAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Automation>().AsNoTracking().Where(a => a.AppId == appId).OrderBy(a => a.Name).ThenBy(a => a.Id).ToListAsync(ct);
    }

    public async Task<Automation> GetAsync(long appId, long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Automation>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.AppId == appId, ct)
               ?? throw new NotFoundException($"There is no automation {id}.");
    }

    public async Task<Automation> CreateAsync(long appId, JsonElement body, Actor actor, CancellationToken ct = default) =>
        await SaveAsync(appId, null, body, actor, ct);

    public async Task<Automation> UpdateAsync(long appId, long id, JsonElement body, Actor actor, CancellationToken ct = default) =>
        await SaveAsync(appId, id, body, actor, ct);

    /// <summary>Checks a body without storing it (the console's validation as you type); the errors it would answer.</summary>
    public async Task<FieldErrors> CheckAsync(long appId, JsonElement body, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        await ValidateAsync(appId, body, errors, ct);
        return errors;
    }

    private async Task<AutomationInput> ValidateAsync(long appId, JsonElement body, FieldErrors errors, CancellationToken ct)
    {
        var language = await ServerPushes.DefaultLanguageAsync(contexts, appId, ct);
        var input = AutomationParser.Parse(body, language, errors);
        if (input.Definition is not { } d) return input;
        if (d.Trigger.Kind == TriggerKind.SegmentEntry && !await segments.ExistsAsync(appId, d.Trigger.SegmentId, ct))
            errors.Add("trigger.segment_entry.segment", $"There is no segment {d.Trigger.SegmentId} in this app; GET /v4/segments lists them.");
        if (d.Audience is not null) await RulesAsync(appId, d.Audience, "audience", errors, ct);
        foreach (var step in AutomationDefinition.Flatten(d.Steps))
        {
            var at = PathOf(step.Path);
            if (step is BranchStep b) await RulesAsync(appId, b.If, $"{at}.branch.if", errors, ct);
            if (step is PushStep p)
            {
                // the push as the campaign it becomes: TTL ranges, categories, plans… named by the step's own paths
                var found = new FieldErrors();
                await drafts.CheckAsync(Draft(appId, 0, p, p.Parsed, ["x"]), found, ct);
                foreach (var (field, messages) in found.ToDictionary())
                {
                    var path = field == "options.category" ? $"{at}.push.category" : AutomationParser.Rename(PushErrors.PathOf(field, p.Parsed), $"{at}.push");
                    if (field is "audience" or "name") continue;
                    foreach (var m in messages) errors.Add(path, m);
                }
            }
        }
        return input;
    }

    /// <summary>Segment rules as the audience builder takes them, including "member of segment" of this app and its cycles.</summary>
    private async Task RulesAsync(long appId, SegmentRules rules, string path, FieldErrors errors, CancellationToken ct)
    {
        try { await segments.WhereAsync(appId, rules, new DynamicParameters(), ct); }
        catch (BadInputException e)
        {
            foreach (var (field, messages) in e.Errors)
                foreach (var m in messages) errors.Add(field.StartsWith("rules", StringComparison.Ordinal) ? path + field["rules".Length..] : $"{path}.{field}", m);
        }
    }

    /// <summary><c>2.then.0</c> → <c>steps[2].then[0]</c> (how errors name a step).</summary>
    public static string PathOf(string stepPath)
    {
        var parts = stepPath.Split('.');
        var result = $"steps[{parts[0]}]";
        for (var i = 1; i + 1 < parts.Length; i += 2) result += $".{parts[i]}[{parts[i + 1]}]";
        return result;
    }

    public static CampaignDraft Draft(long appId, long automationId, PushStep step, ParsedPush push, IReadOnlyList<string> userIds) => new()
    {
        AppId = appId,
        Name = "automation push",
        Audience = new AudienceSpec { UserIds = userIds, Platforms = push.Audience.Platforms },
        Message = push.Message,
        Options = push.Options with { Category = step.Category },
        ThrottlePerMinute = push.ThrottlePerMinute,
        PlanKey = push.PlanKey,
        Origin = CampaignOrigin.Automation,
        OriginRef = OriginRef(automationId, step.Path),
    };

    public static string OriginRef(long automationId, string path) => $"automation:{automationId}:step:{path}";

    private async Task<Automation> SaveAsync(long appId, long? id, JsonElement body, Actor actor, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var input = await ValidateAsync(appId, body, errors, ct);
        errors.ThrowIfAny();
        var definition = input.Definition!;
        if (input.DefinitionJson.Length > AutomationConfiguration.MaxDefinition) throw new BadInputException("body", "The automation is too large to store.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var automation = id is null ? null : await db.Set<Automation>().FirstOrDefaultAsync(a => a.Id == id && a.AppId == appId, ct)
                                              ?? throw new NotFoundException($"There is no automation {id}.");
        if (automation is null)
        {
            automation = new Automation { AppId = appId, Name = input.Name!, Definition = input.DefinitionJson, TriggerKind = definition.Trigger.KindName, CreatedAt = now };
            db.Add(automation);
        }
        automation.Name = input.Name!;
        automation.Enabled = input.Enabled ?? true;
        var triggerChanged = automation.Definition != input.DefinitionJson || automation.Version == 0;
        automation.Definition = input.DefinitionJson;
        automation.TriggerKind = definition.Trigger.KindName;
        if (triggerChanged) automation.NextCheckAt = FirstCheck(definition, now);
        automation.UpdatedAt = now;
        automation.Version++;
        audit.Add(db, actor, id is null ? "automation.created" : "automation.updated", automation.Name, $"app {appId}, {automation.TriggerKind} trigger");
        await db.SaveChangesAsync(ct);
        index.Invalidate(appId);
        signal.Wake();
        return automation;
    }

    private static DateTime? FirstCheck(AutomationDefinition d, DateTime now) => d.Trigger.Kind switch
    {
        TriggerKind.Schedule => AutomationSchedule.Next(d.Trigger.Cron!, d.Trigger.TimeZone, now),
        TriggerKind.SegmentEntry => now,
        _ => null,
    };

    public async Task<Automation> SetEnabledAsync(long appId, long id, bool enabled, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var automation = await db.Set<Automation>().FirstOrDefaultAsync(a => a.Id == id && a.AppId == appId, ct) ?? throw new NotFoundException($"There is no automation {id}.");
        automation.Enabled = enabled;
        automation.Version++;
        automation.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, enabled ? "automation.resumed" : "automation.paused", automation.Name, $"app {appId}");
        await db.SaveChangesAsync(ct);
        index.Invalidate(appId);
        signal.Wake();
        return automation;
    }

    public async Task DeleteAsync(long appId, long id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var automation = await db.Set<Automation>().FirstOrDefaultAsync(a => a.Id == id && a.AppId == appId, ct) ?? throw new NotFoundException($"There is no automation {id}.");
        db.Remove(automation);
        audit.Add(db, actor, "automation.deleted", automation.Name, $"app {appId}; its runs end");
        await db.SaveChangesAsync(ct);
        index.Invalidate(appId);
    }

    /// <summary><c>POST /v4/automations/{id}/run</c>: starts a run for each known user (re-entry rules apply); unknown ids are a 400.</summary>
    public async Task<int> RunForAsync(long appId, long id, IReadOnlyList<string>? userIds, CancellationToken ct = default)
    {
        var automation = await GetAsync(appId, id, ct);
        if (userIds is not { Count: > 0 } || userIds.Count > 10_000) throw new BadInputException("user_ids", "Name 1 to 10,000 users: {\"user_ids\": [\"ada\"]}.");
        await using var connection = await database.OpenAsync(ct);
        var found = new List<(long Id, string ExternalId)>();
        // 500 names per query: SQLite's binding of an expanded list slows down with its length
        foreach (var ids in userIds.Distinct().Chunk(500))
            found.AddRange(await connection.QueryAsync<(long Id, string ExternalId)>(
                $"SELECT id, external_id FROM app_users WHERE app_id = @app AND {database.InList("external_id", "@ids")}", new { app = appId, ids }));
        var missing = userIds.Except(found.Select(f => f.ExternalId)).ToList();
        if (missing.Count > 0) throw new BadInputException("user_ids", $"No such user: {string.Join(", ", missing.Take(10))}.");
        var key = "api:" + clock.GetUtcNow().UtcDateTime.Ticks.ToString(CultureInfo.InvariantCulture);
        var started = await starts.StartAsync(automation, AutomationParser.Read(automation.Definition, "en"), found, key, null, ct);
        signal.Wake();
        return started;
    }

    /// <summary>The API's view: id, name, enabled, status, the definition as stored, times.</summary>
    public static JsonObject View(Automation a)
    {
        var view = new JsonObject
        {
            ["id"] = a.Id.ToString(CultureInfo.InvariantCulture), ["name"] = a.Name, ["enabled"] = a.Enabled, ["status"] = a.Enabled ? "active" : "paused",
        };
        foreach (var (key, value) in JsonNode.Parse(a.Definition)!.AsObject()) view[key] = value?.DeepClone();
        view["created_at"] = a.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        view["updated_at"] = a.UpdatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return view;
    }
}
