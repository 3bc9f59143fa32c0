using System.Text.Json;
using Dapper;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending.Launch;

namespace PushConsole.Audience;

public sealed record SegmentView(long Id, long AppId, string Name, SegmentRules Rules,
    DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt, string UpdatedBy);

/// <summary>
/// Saved segments: create, rename, change rules, duplicate, delete (refused while something uses the segment),
/// and the one way other features turn a segment into SQL (<see cref="ResolveWhereAsync"/>).
/// Everything is validated before anything is written.
/// </summary>
public sealed class SegmentService(
    IDbContextFactory<AppDbContext> contexts, Database database, AuditLog audit, TimeProvider clock, IEnumerable<ISegmentUsage> usages) : ISegmentFilter
{
    /// <summary>With the segments it uses, inlined, a segment has at most this many conditions.</summary>
    public const int MaxExpandedConditions = 500;

    public async Task<IReadOnlyList<SegmentView>> ListAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Set<Segment>().AsNoTracking().Where(s => s.AppId == appId).OrderBy(s => s.Name).ToListAsync(ct);
        return [.. rows.Select(View)];
    }

    public async Task<SegmentView> GetAsync(long appId, long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return View(await FindAsync(db, appId, id, ct));
    }

    public Task<SegmentView> CreateAsync(long appId, string? name, SegmentRules? rules, Actor actor, CancellationToken ct = default) =>
        SaveAsync(appId, null, name, rules ?? SegmentRules.Everyone(), actor, ct);

    /// <summary>Renames and/or replaces the rules; a null argument keeps what is stored.</summary>
    public Task<SegmentView> UpdateAsync(long appId, long id, string? name, SegmentRules? rules, Actor actor, CancellationToken ct = default) =>
        SaveAsync(appId, id, name, rules, actor, ct);

    /// <summary>Reads API input: <c>rules</c> as JSON, every problem with its path.</summary>
    public static SegmentRules? ReadRules(JsonElement? json, FieldErrors errors) =>
        json is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element ? RulesJson.Read(element, errors, "rules") : null;

    public async Task<SegmentView> DuplicateAsync(long appId, long id, Actor actor, CancellationToken ct = default)
    {
        var original = await GetAsync(appId, id, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var names = (await db.Set<Segment>().Where(s => s.AppId == appId).Select(s => s.NormalizedName).ToListAsync(ct)).ToHashSet();
        var name = $"{original.Name} (copy)";
        for (var n = 2; names.Contains(name.ToUpperInvariant()); n++) name = $"{original.Name} (copy {n})";
        if (name.Length > SegmentConfiguration.MaxName) name = name[^SegmentConfiguration.MaxName..];
        return await SaveAsync(appId, null, name, original.Rules, actor, ct);
    }

    public async Task DeleteAsync(long appId, long id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var segment = await FindAsync(db, appId, id, ct);
        var users = new List<string>();
        foreach (var usage in usages) users.AddRange(await usage.UsersOfAsync(appId, id, ct));
        if (users.Count > 0)
            throw new ConflictException("segment", $"\"{segment.Name}\" cannot be deleted: {string.Join(", ", users)} use{(users.Count == 1 ? "s" : "")} it. " +
                                                   "Change or cancel them first.");
        db.Remove(segment);
        audit.Add(db, actor, "segment.deleted", segment.Name, $"app {appId}, segment {id}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The WHERE fragment (over <see cref="SegmentSql.From"/>, aliases i and u) of a saved segment, with its parameters
    /// added to <paramref name="parameters"/>. The campaign launch ANDs it with its own eligibility:
    /// <c>WHERE {AudienceSql.Where(…)} AND ({fragment})</c>. Throws <see cref="NotFoundException"/> for an unknown segment.
    /// </summary>
    public async Task<string> ResolveWhereAsync(long appId, long segmentId, DynamicParameters parameters, CancellationToken ct = default)
    {
        var segment = await GetAsync(appId, segmentId, ct);
        return await WhereAsync(appId, segment.Rules, parameters, ct);
    }

    /// <summary>The WHERE fragment of unsaved rules (the builder's live count); validates them first.</summary>
    public async Task<string> WhereAsync(long appId, SegmentRules rules, DynamicParameters parameters, CancellationToken ct = default) =>
        SegmentSql.Where(rules, await ValidContextAsync(appId, rules, ct), parameters);

    /// <summary>Validates unsaved rules and loads what evaluating them needs (referenced segments, the app's versions).</summary>
    public async Task<SegmentContext> ValidContextAsync(long appId, SegmentRules rules, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        SegmentValidation.Validate(rules, errors);
        errors.ThrowIfAny();
        var context = await ContextAsync(appId, null, rules, errors, ct);
        errors.ThrowIfAny();
        return context!;
    }

    /// <summary>The app a segment belongs to (console links carry only the segment id).</summary>
    public async Task<long> AppOfAsync(long segmentId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Segment>().Where(s => s.Id == segmentId).Select(s => (long?)s.AppId).FirstOrDefaultAsync(ct)
               ?? throw new NotFoundException($"There is no segment {segmentId}.");
    }

    /// <summary>Checks a segment id of this app exists (for the campaign side validating <c>to.segment</c>).</summary>
    public async Task<bool> ExistsAsync(long appId, long segmentId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<Segment>().AnyAsync(s => s.AppId == appId && s.Id == segmentId, ct);
    }

    private async Task<SegmentView> SaveAsync(long appId, long? id, string? name, SegmentRules? rules, Actor actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var segment = id is null ? null : await FindAsync(db, appId, id.Value, ct);
        var errors = new FieldErrors();
        name = name?.Trim();
        if (name is not null || segment is null)
        {
            if (string.IsNullOrEmpty(name)) errors.Add("name", "Give the segment a name, e.g. \"Speakers in Europe\".");
            else if (name.Length > SegmentConfiguration.MaxName) errors.Add("name", $"Keep the name under {SegmentConfiguration.MaxName} characters.");
            else if (name.Any(char.IsControl)) errors.Add("name", "The name must not contain control characters.");
            else if (await db.Set<Segment>().AnyAsync(s => s.AppId == appId && s.Id != (id ?? 0) && s.NormalizedName == name.ToUpperInvariant(), ct))
                errors.Add("name", $"A segment named \"{name}\" already exists in this app; choose another name.");
        }
        if (rules is not null)
        {
            SegmentValidation.Validate(rules, errors);
            if (!errors.Any) await ContextAsync(appId, id, rules, errors, ct);
            if (!errors.Any) await AgendaReferencesAsync(db, appId, rules, errors, ct);
        }
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        var json = rules is null ? null : RulesJson.Write(rules);
        if (json is { Length: > SegmentConfiguration.MaxRules }) throw new BadInputException("rules", "The rules are too large to store.");
        if (segment is null)
        {
            segment = new Segment
            {
                AppId = appId, Name = name!, NormalizedName = name!.ToUpperInvariant(), Rules = json!, RulesVersion = SegmentRules.CurrentVersion,
                CreatedAt = now, CreatedBy = actor.Name, UpdatedAt = now, UpdatedBy = actor.Name,
            };
            db.Add(segment);
            audit.Add(db, actor, "segment.created", name, json);
        }
        else
        {
            var changes = new List<string>();
            if (name is not null && name != segment.Name) { changes.Add($"renamed {segment.Name} → {name}"); (segment.Name, segment.NormalizedName) = (name, name.ToUpperInvariant()); }
            if (json is not null && json != segment.Rules) { changes.Add($"rules {json}"); (segment.Rules, segment.RulesVersion) = (json, SegmentRules.CurrentVersion); }
            if (changes.Count == 0) return View(segment);
            (segment.UpdatedAt, segment.UpdatedBy) = (now, actor.Name);
            audit.Add(db, actor, "segment.updated", segment.Name, string.Join("; ", changes));
        }
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) when (name is not null)
        {
            throw new BadInputException("name", $"A segment named \"{name}\" already exists in this app; choose another name.");
        }
        return View(segment);
    }

    /// <summary>
    /// Loads what the translation needs: every segment the rules refer to (transitively; a missing one or a cycle back to
    /// <paramref name="selfId"/> is an error on the condition that leads there), and the app's versions when a rule compares them.
    /// </summary>
    internal async Task<SegmentContext?> ContextAsync(long appId, long? selfId, SegmentRules rules, FieldErrors errors, CancellationToken ct)
    {
        var stored = new Dictionary<long, (string Name, SegmentRules Rules)>();
        if (rules.ReferencedSegments().Count > 0)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            foreach (var s in await db.Set<Segment>().AsNoTracking().Where(s => s.AppId == appId).Select(s => new { s.Id, s.Name, s.Rules }).ToListAsync(ct))
                stored[s.Id] = (s.Name, RulesJson.Parse(s.Rules));
        }
        var segments = new Dictionary<long, SegmentRules>();
        foreach (var (condition, path) in rules.ConditionPaths().Where(c => c.Condition.Field == SegmentFields.Segment))
            foreach (var id in condition.Values.Select(long.Parse))
            {
                if (!stored.TryGetValue(id, out var target)) { errors.Add($"{path}.value", $"There is no segment {id} in this app."); continue; }
                if (id == selfId) errors.Add($"{path}.value", "A segment cannot include itself.");
                else if (Cycle(id, selfId, stored, [id]) is { } cycle)
                    errors.Add($"{path}.value", $"\"{target.Name}\" leads back to this segment ({string.Join(" → ", cycle.Select(c => stored[c].Name))} → this one); " +
                                                "a segment cannot include itself.");
                else Collect(id, stored, segments);
            }
        if (errors.Any) return null;
        var expanded = Expanded(rules, segments);
        if (expanded > MaxExpandedConditions)
        {
            errors.Add("rules.root", $"With the segments it includes, this segment has {expanded} conditions; at most {MaxExpandedConditions} are allowed.");
            return null;
        }
        var all = segments.Values.Append(rules).SelectMany(r => r.Conditions());
        var versions = all.Any(c => c.Field == SegmentFields.AppVersion && c.Operator is not ("exists" or "not_exists"))
            ? await AppVersionsAsync(appId, ct) : [];
        return new SegmentContext(appId, clock.GetUtcNow().UtcDateTime, database.Dialect, versions, segments);
    }

    /// <summary>
    /// Saved sessions and tracks must exist in the app's agenda (a typo would silently match nobody). Only checked on save:
    /// a session removed later leaves the rule matching nobody rather than breaking the campaigns that use the segment.
    /// </summary>
    private static async Task AgendaReferencesAsync(AppDbContext db, long appId, SegmentRules rules, FieldErrors errors, CancellationToken ct)
    {
        var agenda = rules.ConditionPaths().Where(c => c.Condition.Field is SegmentFields.FavoritedSession or SegmentFields.Track).ToList();
        if (agenda.Count == 0) return;
        var ids = agenda.Where(c => c.Condition.Field == SegmentFields.FavoritedSession).SelectMany(c => c.Condition.Values).Distinct().ToList();
        var tracks = agenda.Where(c => c.Condition.Field == SegmentFields.Track).SelectMany(c => c.Condition.Values).Distinct().ToList();
        var sessions = db.Set<AgendaSession>().Where(s => s.AppId == appId);
        var knownIds = ids.Count == 0 ? [] : (await sessions.Where(s => ids.Contains(s.ExternalId)).Select(s => s.ExternalId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var knownTracks = tracks.Count == 0 ? []
            : (await sessions.Where(s => s.Track != null && tracks.Contains(s.Track)).Select(s => s.Track!).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var (condition, path) in agenda)
            if (condition.Field == SegmentFields.FavoritedSession)
                foreach (var id in condition.Values.Where(v => !knownIds.Contains(v)).Distinct().Take(3))
                    errors.Add($"{path}.value", $"There is no session \"{id}\" in this app's agenda.");
            else if (!knownTracks.Contains(condition.Value!))
                errors.Add($"{path}.value", $"No session of this app's agenda has the track \"{condition.Value}\".");
    }

    private static List<long>? Cycle(long id, long? selfId, Dictionary<long, (string Name, SegmentRules Rules)> stored, List<long> trail)
    {
        if (id == selfId) return trail[..^1];
        foreach (var next in stored[id].Rules.ReferencedSegments().Where(stored.ContainsKey))
        {
            if (trail.Contains(next)) return [.. trail, next];
            if (Cycle(next, selfId, stored, [.. trail, next]) is { } found) return found;
        }
        return null;
    }

    private static void Collect(long id, Dictionary<long, (string Name, SegmentRules Rules)> stored, Dictionary<long, SegmentRules> into)
    {
        if (!into.TryAdd(id, stored[id].Rules)) return;
        foreach (var next in stored[id].Rules.ReferencedSegments().Where(stored.ContainsKey)) Collect(next, stored, into);
    }

    /// <summary>Conditions once every "member of" is inlined (the SQL grows with it); cycles were refused before.</summary>
    private static int Expanded(SegmentRules rules, Dictionary<long, SegmentRules> segments, int depth = 0) =>
        depth > 50 ? MaxExpandedConditions + 1 : rules.Conditions().Sum(c => c.Field != SegmentFields.Segment ? 1
            : c.Values.Select(long.Parse).Sum(id => segments.TryGetValue(id, out var r) ? Expanded(r, segments, depth + 1) : 1));

    /// <summary>The app's distinct versions, one index seek each (a loose index scan on installations (app_id, app_version)).</summary>
    private async Task<IReadOnlyList<string>> AppVersionsAsync(long appId, CancellationToken ct)
    {
        const string sql = """
            WITH RECURSIVE v(x) AS (
              SELECT MIN(app_version) FROM installations WHERE app_id = @appId
              UNION ALL
              SELECT (SELECT MIN(app_version) FROM installations WHERE app_id = @appId AND app_version > v.x) FROM v WHERE v.x IS NOT NULL)
            SELECT x FROM v WHERE x IS NOT NULL
            """;
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(sql, new { appId }, cancellationToken: ct))];
    }

    private static async Task<Segment> FindAsync(AppDbContext db, long appId, long id, CancellationToken ct) =>
        await db.Set<Segment>().FirstOrDefaultAsync(s => s.AppId == appId && s.Id == id, ct)
        ?? throw new NotFoundException($"There is no segment {id} in this app.");

    private static SegmentView View(Segment s) =>
        new(s.Id, s.AppId, s.Name, RulesJson.Parse(s.Rules), s.CreatedAt, s.CreatedBy, s.UpdatedAt, s.UpdatedBy);
}
