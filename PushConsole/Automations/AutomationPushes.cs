using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Agenda;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Automations;

/// <summary>
/// A push step for a group of runs: renders the body's tokens per recipient (every language), reads each distinct rendering with
/// the <c>/v4/push</c> parser and sends it as a normal campaign (origin automation), so consent, categories, quiet hours and caps
/// apply as to any campaign. Recipients with the same rendering share one campaign.
/// </summary>
public sealed class AutomationPushes(IDbContextFactory<AppDbContext> contexts, CampaignService campaigns, TimeProvider clock, ILogger<AutomationPushes> logger)
{
    public static readonly Actor Agent = new("automation");

    public async Task<int> SendAsync(Automation automation, PushStep step, IReadOnlyList<RunState> runs, CancellationToken ct)
    {
        var values = await ValuesAsync(automation.AppId, step, runs, ct);
        var language = values.Count > 0 ? (await ServerPushes.DefaultLanguageAsync(contexts, automation.AppId, ct)) : "en";
        var sent = 0;
        foreach (var group in runs.Where(r => values.ContainsKey(r.Id)).GroupBy(r => AutomationTokens.RenderJson(step.Body, values[r.Id])))
        {
            using var wrapped = JsonDocument.Parse($"{{\"to\":\"all\",\"body\":{group.Key}}}");
            var errors = new FieldErrors();
            var push = PushParser.Parse(wrapped.RootElement, "", language, errors);
            if (push is null)
            {
                logger.LogWarning("Automation {Id}, step {Path}: the rendered push is not valid ({Errors}); not sent", automation.Id, step.Path,
                    string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
                continue;
            }
            foreach (var chunk in group.Select(r => r.UserExternalId).Distinct().Chunk(10_000))
            {
                var name = $"{automation.Name} · step {step.Path}";
                var draft = AutomationService.Draft(automation.AppId, automation.Id, step, push, chunk) with { Name = name.Length > 200 ? name[..199] + "…" : name };
                await campaigns.CreateAsync(draft, Agent, ct);
                sent++;
            }
        }
        return sent;
    }

    /// <summary>What each run's tokens read; a run left out (no suggestion for a push that needs one) gets no push.</summary>
    private async Task<Dictionary<long, TokenValues>> ValuesAsync(long appId, PushStep step, IReadOnlyList<RunState> runs, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var userIds = runs.Select(r => r.UserId).Distinct().ToList();
        var users = await db.Set<AppUser>().AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.ExternalId, u.DisplayName, u.Language, u.TimeZone }).ToDictionaryAsync(u => u.Id, ct);
        var attributes = (await db.Set<UserAttribute>().AsNoTracking().Where(a => userIds.Contains(a.AppUserId)).ToListAsync(ct))
            .GroupBy(a => a.AppUserId).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(a => a.Name, a => a.TextValue));
        var venue = await db.Set<AgendaEvent>().AsNoTracking().Where(e => e.AppId == appId).Select(e => e.TimeZone).FirstOrDefaultAsync(ct) ?? "UTC";
        var contextsByRun = runs.ToDictionary(r => r.Id, r => Context(r.Context));
        var sessionIds = contextsByRun.Values.Select(c => c.SessionId).OfType<string>().Distinct().ToList();
        var sessions = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.AppId == appId && sessionIds.Contains(s.ExternalId)).ToDictionaryAsync(s => s.ExternalId, ct);
        var suggestions = step.NeedsSuggestion ? await SuggestionsAsync(db, appId, userIds, ct) : [];
        var result = new Dictionary<long, TokenValues>();
        foreach (var run in runs)
        {
            var user = users.GetValueOrDefault(run.UserId);
            var zone = user?.TimeZone ?? venue;
            var context = contextsByRun[run.Id];
            var suggested = suggestions.GetValueOrDefault(run.UserId);
            if (step.NeedsSuggestion && suggested is null) continue;
            result[run.Id] = new TokenValues
            {
                DisplayName = user?.DisplayName, UserId = run.UserExternalId, Language = user?.Language,
                Attributes = attributes.GetValueOrDefault(run.UserId) ?? new Dictionary<string, string>(),
                EventName = context.Name, EventProperties = context.Properties, GeofenceId = context.GeofenceId,
                Session = context.SessionId is { } s && sessions.TryGetValue(s, out var session) ? SessionValues(session, zone) : null,
                SuggestedSession = suggested is null ? null : SessionValues(suggested, zone),
            };
        }
        return result;
    }

    public static Dictionary<string, string> SessionValues(AgendaSession s, string zone) => new()
    {
        ["title"] = s.Title, ["room"] = s.Room ?? "", ["track"] = s.Track ?? "", ["starts_at"] = Local(s.StartsAt, zone),
    };

    /// <summary>A start time as the recipient reads it, in their own zone: "Sun 29 Mar 10:00".</summary>
    public static string Local(DateTime utc, string zone)
    {
        var tz = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), tz).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Per user, the next session (not started, not cancelled, not yet favourited or attended) sharing a track or a speaker with a
    /// session they checked in to; none when nothing fits.
    /// </summary>
    private async Task<Dictionary<long, AgendaSession>> SuggestionsAsync(AppDbContext db, long appId, List<long> userIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var upcoming = await db.Set<AgendaSession>().AsNoTracking().Where(s => s.AppId == appId && !s.Cancelled && s.StartsAt > now).OrderBy(s => s.StartsAt).ToListAsync(ct);
        var attended = await (from c in db.Set<SessionCheckIn>() join s in db.Set<AgendaSession>() on c.SessionId equals s.Id
                              where userIds.Contains(c.AppUserId) select new { c.AppUserId, s.Id, s.Track, s.Speakers }).ToListAsync(ct);
        var favourites = await db.Set<SessionFavorite>().Where(f => userIds.Contains(f.AppUserId)).Select(f => new { f.AppUserId, f.SessionId }).ToListAsync(ct);
        var result = new Dictionary<long, AgendaSession>();
        foreach (var user in userIds)
        {
            var mine = attended.Where(a => a.AppUserId == user).ToList();
            var tracks = mine.Select(a => a.Track).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var speakers = mine.SelectMany(a => Speakers(a.Speakers)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var seen = mine.Select(a => a.Id).Concat(favourites.Where(f => f.AppUserId == user).Select(f => f.SessionId)).ToHashSet();
            if (upcoming.FirstOrDefault(s => !seen.Contains(s.Id) && (s.Track is not null && tracks.Contains(s.Track) || Speakers(s.Speakers).Any(speakers.Contains))) is { } pick)
                result[user] = pick;
        }
        return result;
    }

    private static IEnumerable<string> Speakers(string? text) =>
        (text ?? "").Split([',', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private sealed record RunContext(string? Name, string? SessionId, string? GeofenceId, IReadOnlyDictionary<string, string> Properties);

    private static RunContext Context(string? json)
    {
        if (json is null) return new RunContext(null, null, null, new Dictionary<string, string>());
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
            foreach (var x in p.EnumerateObject())
                if (EventMatch.PropertyText(x.Value) is { } text) properties[x.Name] = text;
        return new RunContext(Text("name"), Text("session_id"), Text("geofence_id"), properties);
    }
}
