using System.Globalization;
using Dapper;
using PushConsole.Agenda;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;

namespace PushConsole.Tests.Audience;

public sealed class WorldUser
{
    public long Id { get; set; }
    public required string ExternalId { get; init; }
    public string? Language { get; init; }
    public string? TimeZone { get; init; }
    public bool? Consent { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastActiveAt { get; init; }
    public Dictionary<string, string> Attributes { get; } = [];
    public HashSet<string> Tags { get; } = [];
    public Dictionary<string, bool> Categories { get; } = [];
    /// <summary>External ids of the sessions the user favourited / checked in to.</summary>
    public HashSet<string> Favorites { get; } = [];
    public HashSet<string> CheckIns { get; } = [];
}

public sealed class WorldInstallation
{
    public long Id { get; set; }
    public long AppId { get; init; }
    public required string ExternalId { get; init; }
    public required string Platform { get; init; }
    public required string State { get; init; }
    public WorldUser? User { get; init; }
    public string? Language { get; init; }
    public string? TimeZone { get; init; }
    public string? AppVersion { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime LastSeenAt { get; init; }
    public HashSet<string> Tags { get; } = [];
    /// <summary>Times of notification_opened events (other event types are stored too, and must not count).</summary>
    public List<DateTime> Opens { get; } = [];
    /// <summary>geofence_entered reports (geofence id, when).</summary>
    public List<(string Geofence, DateTime At)> GeofenceEntries { get; } = [];
}

/// <summary>
/// Generated users and installations of an app (plus another app that must never match), written straight into the
/// tables, and kept in memory so <see cref="RuleOracle"/> can evaluate rules over the same data.
/// </summary>
public sealed class SegmentWorld
{
    public static readonly string[] Tags = ["vip", "track-ai", "track-cloud", "early-bird", "press"];
    public static readonly string[] LanguagePool = ["en", "fr", "de", "pl", "pt-BR"];
    public static readonly string[] ZonePool = ["Europe/Paris", "Europe/Warsaw", "America/New_York", "Asia/Kolkata", "Asia/Calcutta", "Etc/UTC", "Australia/Sydney"];
    public static readonly string?[] VersionPool = ["3.2.0", "3.10.1", "3.9", "4.0.0-beta", "3.2", "10.0", null];
    public static readonly string[] Roles = ["speaker", "sponsor", "attendee", "staff"];
    public static readonly string[] Companies = ["Acme", "Globex", "Initech", "acme labs", "Umbrella"];
    public static readonly string[] ScoreTexts = ["12", "3.5", "0", "-2", "n/a", "50"];
    public static readonly string[] CategoryPool = ["marketing", "reminders"];
    public static readonly string[] Platforms = ["android", "ios", "web"];
    public static readonly string[] Geofences = ["venue", "hall-b"];
    public static readonly string[] States = ["subscribed", "background_only", "unsubscribed", "invalid", "uninstalled"];
    /// <summary>The app's sessions: "ai" differs from "AI" only by case (tracks compare exactly); "unloved" is nobody's.</summary>
    public static readonly (string Id, string? Track)[] Sessions =
        [("ai-101", "AI"), ("ai-102", "AI"), ("ml-lab", "ai"), ("cloud-201", "Cloud"), ("cloud-202", "Cloud"), ("keynote", null), ("unloved", "Ops")];
    public static readonly string[] Tracks = [.. Sessions.Select(s => s.Track).OfType<string>().Distinct()];
    /// <summary>Only the other app has these (and favourites of them): they must match nothing here.</summary>
    public static readonly string[] OtherSessions = ["gone-session"];
    public static readonly string[] OtherTracks = ["Robotics"];
    public static string? TrackOf(string sessionId) => Sessions.FirstOrDefault(s => s.Id == sessionId).Track;

    public required long AppId { get; init; }
    public required long OtherAppId { get; init; }
    public required DateTime Now { get; init; }
    public List<WorldUser> Users { get; } = [];
    public List<WorldInstallation> Installations { get; } = [];

    public static async Task<SegmentWorld> CreateAsync(AppHost host, DateTime now, int seed, int users = 70, int installations = 180)
    {
        var apps = host.Get<AppService>();
        var world = new SegmentWorld
        {
            AppId = (await apps.CreateAsync(new NewApp($"Segments {seed}"), Actor.System)).App.Id,
            OtherAppId = (await apps.CreateAsync(new NewApp($"Other {seed}"), Actor.System)).App.Id,
            Now = now,
        };
        var random = new Random(seed);
        T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];
        DateTime Ago(int maxDays) => now.AddSeconds(-random.Next(0, maxDays * 86400));
        for (var n = 0; n < users; n++)
        {
            var u = new WorldUser
            {
                ExternalId = $"user-{seed}-{n}",
                Language = random.Next(3) == 0 ? null : Pick(LanguagePool),
                TimeZone = random.Next(3) == 0 ? null : Pick(ZonePool),
                Consent = random.Next(3) switch { 0 => null, 1 => true, _ => false },
                CreatedAt = Ago(200),
                LastActiveAt = random.Next(4) == 0 ? null : Ago(90),
            };
            if (random.Next(5) > 0) u.Attributes["role"] = Pick(Roles);
            if (random.Next(5) > 1) u.Attributes["company"] = Pick(Companies);
            if (random.Next(2) == 0) u.Attributes["score"] = Pick(ScoreTexts);
            foreach (var tag in Tags.Where(_ => random.Next(4) == 0)) u.Tags.Add(tag);
            foreach (var category in CategoryPool.Where(_ => random.Next(3) > 0)) u.Categories[category] = random.Next(2) == 0;
            foreach (var (id, _) in Sessions.Where(x => x.Id != "unloved"))
            {
                if (random.Next(4) == 0) u.Favorites.Add(id);
                if (random.Next(5) == 0) u.CheckIns.Add(id);
            }
            world.Users.Add(u);
        }
        for (var n = 0; n < installations; n++)
        {
            var i = new WorldInstallation
            {
                AppId = world.AppId,
                ExternalId = $"inst-{seed}-{n}",
                Platform = Pick(Platforms),
                State = Pick(States),
                User = random.Next(10) < 7 ? Pick(world.Users) : null,
                Language = random.Next(5) < 3 ? Pick(LanguagePool) : null,
                TimeZone = random.Next(5) < 3 ? Pick(ZonePool) : null,
                AppVersion = Pick(VersionPool),
                CreatedAt = Ago(300),
                LastSeenAt = Ago(60),
            };
            foreach (var tag in Tags.Where(_ => random.Next(5) == 0)) i.Tags.Add(tag);
            for (var k = random.Next(0, 6); k > 0; k--) i.Opens.Add(Ago(45));
            for (var k = random.Next(0, 3); k > 0; k--) i.GeofenceEntries.Add((Pick(Geofences), Ago(6)));
            world.Installations.Add(i);
        }
        var sessions = await world.AgendaAsync(host, world.AppId, [.. Sessions]);
        var otherSessions = await world.AgendaAsync(host, world.OtherAppId, [.. OtherSessions.Select(id => (id, (string?)OtherTracks[0])), ("ai-101", "AI")]);
        await world.InsertAsync(host, random, sessions, otherSessions);
        return world;
    }

    /// <summary>An event and its sessions through the agenda's services (before the bulk insert's transaction); row ids by external id.</summary>
    private async Task<Dictionary<string, long>> AgendaAsync(AppHost host, long appId, IReadOnlyList<(string Id, string? Track)> sessions)
    {
        var day = DateOnly.FromDateTime(Now);
        await host.Get<AgendaService>().SaveEventAsync(appId, new EventForm
        {
            Name = "DevDays", TimeZone = "Europe/Paris", StartDate = day.AddDays(-1).ToDateTime(TimeOnly.MinValue), EndDate = day.AddDays(2).ToDateTime(TimeOnly.MinValue),
        }, Actor.System);
        var ids = new Dictionary<string, long>();
        for (var n = 0; n < sessions.Count; n++)
        {
            var start = day.ToDateTime(new TimeOnly(9 + n, 0));
            var created = await host.Get<SessionService>().CreateAsync(appId, new SessionForm
            {
                ExternalId = sessions[n].Id, Title = $"Session {sessions[n].Id}", Track = sessions[n].Track, Start = start, End = start.AddMinutes(45),
            }, Actor.System);
            ids[created.ExternalId] = created.Id;
        }
        return ids;
    }

    private async Task InsertAsync(AppHost host, Random random, Dictionary<string, long> sessions, Dictionary<string, long> otherSessions)
    {
        await using var connection = await host.Get<Database>().OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var u in Users)
        {
            u.Id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO app_users (app_id, external_id, language, time_zone, consent, created_at, updated_at, last_active_at) " +
                "VALUES (@AppId, @ExternalId, @Language, @TimeZone, @Consent, @CreatedAt, @CreatedAt, @LastActiveAt) RETURNING id",
                new { AppId, u.ExternalId, u.Language, u.TimeZone, Consent = u.Consent switch { true => "granted", false => "denied", null => "unknown" }, u.CreatedAt, u.LastActiveAt }, tx);
            foreach (var (name, text) in u.Attributes)
                await connection.ExecuteAsync("INSERT INTO user_attributes (app_user_id, app_id, name, text_value, number_value) VALUES (@Id, @AppId, @name, @text, @number)",
                    new { u.Id, AppId, name, text, number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (double?)null }, tx);
            foreach (var tag in u.Tags)
                await connection.ExecuteAsync("INSERT INTO user_tags (app_user_id, app_id, tag) VALUES (@Id, @AppId, @tag)", new { u.Id, AppId, tag }, tx);
            foreach (var (category, enabled) in u.Categories)
                await connection.ExecuteAsync("INSERT INTO user_categories (app_user_id, category, enabled, updated_at) VALUES (@Id, @category, @enabled, @Now)",
                    new { u.Id, category, enabled, Now }, tx);
            foreach (var id in u.Favorites)
                await connection.ExecuteAsync("INSERT INTO agenda_favorites (session_id, app_user_id, app_id, created_at) VALUES (@session, @Id, @AppId, @Now)",
                    new { session = sessions[id], u.Id, AppId, Now }, tx);
            foreach (var id in u.CheckIns)
                await connection.ExecuteAsync("INSERT INTO agenda_checkins (session_id, app_user_id, app_id, at) VALUES (@session, @Id, @AppId, @Now)",
                    new { session = sessions[id], u.Id, AppId, Now }, tx);
        }
        // the other app: same tags, languages and attributes, none of it may ever match
        var stranger = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO app_users (app_id, external_id, language, consent, created_at, updated_at, last_active_at) VALUES (@OtherAppId, 'stranger', 'fr', 'granted', @Now, @Now, @Now) RETURNING id",
            new { OtherAppId, Now }, tx);
        await connection.ExecuteAsync("INSERT INTO user_attributes (app_user_id, app_id, name, text_value, number_value) VALUES (@stranger, @OtherAppId, 'role', 'speaker', NULL)",
            new { stranger, OtherAppId }, tx);
        foreach (var session in otherSessions.Values)
        {
            await connection.ExecuteAsync("INSERT INTO agenda_favorites (session_id, app_user_id, app_id, created_at) VALUES (@session, @stranger, @OtherAppId, @Now)",
                new { session, stranger, OtherAppId, Now }, tx);
            await connection.ExecuteAsync("INSERT INTO agenda_checkins (session_id, app_user_id, app_id, at) VALUES (@session, @stranger, @OtherAppId, @Now)",
                new { session, stranger, OtherAppId, Now }, tx);
        }
        var others = Enumerable.Range(0, 20).Select(n => new WorldInstallation
        {
            AppId = OtherAppId, ExternalId = $"other-{n}", Platform = Platforms[n % 3], State = "subscribed", Language = "fr", TimeZone = "Europe/Paris",
            AppVersion = "3.2.0", CreatedAt = Now.AddDays(-1), LastSeenAt = Now.AddHours(-1),
        }).ToList();
        foreach (var i in Installations.Concat(others))
        {
            i.Id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO installations (app_id, external_id, platform, token, app_user_id, state, notifications_enabled, language, time_zone, app_version, " +
                "created_at, updated_at, last_seen_at) VALUES (@AppId, @ExternalId, @Platform, @token, @user, @State, @enabled, @Language, @TimeZone, @AppVersion, " +
                "@CreatedAt, @CreatedAt, @LastSeenAt) RETURNING id",
                new { i.AppId, i.ExternalId, i.Platform, token = "tok-" + i.ExternalId, user = i.AppId == OtherAppId ? stranger : i.User?.Id, i.State, enabled = true,
                      i.Language, i.TimeZone, i.AppVersion, i.CreatedAt, i.LastSeenAt }, tx);
            foreach (var tag in i.AppId == OtherAppId ? Tags : i.Tags.AsEnumerable())
                await connection.ExecuteAsync("INSERT INTO installation_tags (installation_id, app_id, tag) VALUES (@Id, @AppId, @tag)", new { i.Id, i.AppId, tag }, tx);
            var opens = i.AppId == OtherAppId ? [Now.AddHours(-1), Now.AddHours(-2), Now.AddHours(-3)] : i.Opens;
            foreach (var at in opens)
                await Event(connection, tx, i, "notification_opened", at);
            if (random.Next(2) == 0) await Event(connection, tx, i, "notification_received", Now.AddHours(-5));
            // the other app's devices entered every geofence just now: none of it may ever match
            var entries = i.AppId == OtherAppId ? Geofences.Select(g => (g, Now.AddMinutes(-5))).ToList() : i.GeofenceEntries;
            foreach (var (geofence, at) in entries)
            {
                await connection.ExecuteAsync("INSERT INTO client_events (app_id, installation_id, type, at, received_at, geofence_id) VALUES (@AppId, @Id, @type, @at, @Now, @geofence)",
                    new { i.AppId, i.Id, type = "geofence_entered", at, Now, geofence }, tx);
                // an exit of the same geofence later: a transition of another kind, never an entry
                await connection.ExecuteAsync("INSERT INTO client_events (app_id, installation_id, type, at, received_at, geofence_id, dwell_seconds) VALUES (@AppId, @Id, @type, @at, @Now, @geofence, 60)",
                    new { i.AppId, i.Id, type = "geofence_exited", at = Now, Now, geofence = geofence == "venue" ? "hall-b" : "venue" }, tx);
            }
        }
        await tx.CommitAsync();
    }

    private Task Event(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, WorldInstallation i, string type, DateTime at) =>
        connection.ExecuteAsync("INSERT INTO client_events (app_id, installation_id, type, at, received_at) VALUES (@AppId, @Id, @type, @at, @Now)",
            new { i.AppId, i.Id, type, at, Now }, tx);
}
