using System.Collections.Concurrent;
using System.Text.Json;
using PushConsole.Accounts;
using PushConsole.Agenda;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending.Launch;
using PushConsole.Devices;
using PushConsole.EventData;
using PushConsole.Sandbox;
using PushConsole.Sending;

namespace PushConsole.Demo;

/// <summary>What the demo is made of: how many attendees, and the console account to sign in with.</summary>
public sealed record DemoSettings(int Attendees, string Email, string Password);

/// <summary>What was seeded: the app (with its master secret, shown once), and which installation each provider target belongs to.</summary>
public sealed record DemoEvent(App App, string MasterSecret, IReadOnlyDictionary<string, string> InstallationByTarget, int Installations, int Sessions,
    int AgendaSessions, int Favorites);

/// <summary>
/// Seeds a demo event into an empty database: a console admin, an app wired to the in-process provider sandbox
/// (a service account, an APNs key and Web Push subscriptions it trusts), attendees with profiles, consent and
/// installations on all three platforms, two weeks of app sessions, a two-day agenda (tomorrow and the day after, venue time)
/// with favourites and a T−15 reminder rule; then (<see cref="SeedCampaignsAsync"/>) a welcome push and a scheduled A/B test.
/// Deterministic (fixed seed), so every demo looks the same.
/// </summary>
public sealed class DemoSeeder(IServiceProvider services, SandboxHost sandbox, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string AppName = "Warsaw Dev Summit (demo)";
    private static readonly string[] First = ["Anna", "Piotr", "Marta", "Jakub", "Zofia", "Louise", "Hugo", "Camille", "Emma", "Oliver", "Maya", "Noah", "Kasia", "Tomasz", "Léa"];
    private static readonly string[] Last = ["Nowak", "Kowalska", "Wiśniewski", "Dubois", "Martin", "Bernard", "Smith", "Jones", "Taylor", "Lewandowski", "Moreau", "Brown"];
    private static readonly string[] Companies = ["Allegro", "CD Projekt", "Datadog", "Doctolib", "Spotify", "Shopify", "Revolut", "Google", "ING", "Bolt"];
    private static readonly string[] Tracks = ["track-ai", "track-web", "track-cloud", "track-mobile"];
    private static readonly (string Zone, int Weight)[] Zones = [("Europe/Warsaw", 70), ("Europe/Paris", 12), ("Europe/London", 10), ("America/New_York", 5), ("Asia/Tokyo", 3)];
    private static readonly (string Language, int Weight)[] Spoken = [("en", 45), ("pl", 35), ("fr", 20)];

    public async Task<DemoEvent> SeedAsync(DemoSettings settings, CancellationToken ct)
    {
        var random = new Random(2026);
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(settings.Email, settings.Password, Roles.Admin, Actor.Cli, ct);

        var apnsKey = sandbox.State.CreateApnsKey("com.example.devsummit");
        var created = await services.GetRequiredService<AppService>().CreateAsync(new NewApp(AppName, sandbox.State.CreateServiceAccountJson("dev-summit-demo"),
            apnsKey.P8, apnsKey.KeyId, apnsKey.TeamId, apnsKey.BundleId, PlatformNames.Production, "mailto:organizers@devsummit.example"), Actor.Cli, ct);
        var app = created.App;
        // what attendees see on the attendee page; the name above is the console's
        await services.GetRequiredService<AppService>().SetPublicNameAsync(app.Id, "Warsaw Dev Summit 2026", Actor.Cli, ct);
        await using (var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct))
        {
            db.Add(new Plan { AppId = app.Id, PlanKey = "devsummit_2026", Description = "Warsaw Dev Summit 2026: every push of the event", CreatedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
        }

        await SeedConsentAsync(app.Id, ct);
        var agenda = await SeedAgendaAsync(app.Id, ct);

        var attendees = Enumerable.Range(1, settings.Attendees).Select(n => Attendee(n, random, app.Vapid.PublicKey)).ToList();
        var targets = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var registry = services.GetRequiredService<DeviceRegistry>();
        var profiles = services.GetRequiredService<UserBatchService>();
        var preferences = services.GetRequiredService<PushConsole.Consent.PreferenceService>();
        // registrations and preferences go through the registry's group commit: many callers at once share each transaction
        var grouped = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct };
        await Parallel.ForEachAsync(attendees.SelectMany(a => a.Devices), grouped, async (device, _) =>
        {
            await registry.RegisterAsync(app.Id, device.InstallationId, device.Request);
            targets[device.Target] = device.InstallationId;
        });
        await Parallel.ForEachAsync(attendees, grouped, async (a, _) => await preferences.SetForUserAsync(app.Id, a.UserId, a.Preferences));
        // profiles go in as an organizer's registration system sends them: the batch API's path, 10,000 a transaction
        foreach (var chunk in attendees.Select(a => (UserBatchRow?)a.Profile).Chunk(UserBatchService.MaxRows))
            if ((await profiles.ImportAsync(app.Id, chunk, ct)).Errors is [var error, ..])
                throw new InvalidOperationException($"Demo profile {error.Index} refused: {error.Field}: {error.Detail}");
        var favorites = await SeedFavoritesAsync(app.Id, attendees, agenda, ct);
        // a few phones were reset since they registered: the providers say so on the first send
        foreach (var dead in attendees.SelectMany(a => a.Devices).Where((_, i) => i % 47 == 0))
        {
            if (dead.Platform == Platform.Android) sandbox.State.Fcm.Fail(dead.Target, new SandboxFailure(404, "UNREGISTERED"));
            else if (dead.Platform == Platform.Ios) sandbox.State.Apns.Fail(dead.Target, new SandboxFailure(410, "Unregistered"));
        }
        var sessions = await SeedSessionsAsync(app.Id, attendees, random, ct);
        await DemoAutomations.SeedAsync(services, app.Id, ct);
        // a saved segment to open in the builder (its live count comes from the in-memory index)
        await services.GetRequiredService<PushConsole.Audience.SegmentService>().CreateAsync(app.Id, "Speakers and VIPs", PushConsole.Audience.RulesJson.Parse("""
            {"version": 1, "root": {"match": "any", "rules": [
              {"field": "attribute", "name": "role", "operator": "equals", "value": "speaker"}, {"field": "tags", "operator": "has_any", "value": ["vip"]}]}}
            """), Actor.Cli, ct);
        await DemoGeofences.SeedAsync(services, app.Id, [.. attendees.Select(a => (a.UserId, a.Devices[0].InstallationId))], clock, ct);
        logger.LogInformation("Demo event seeded: {Attendees} attendees, {Installations} installations, {Sessions} app sessions, {AgendaSessions} agenda sessions, {Favorites} favourites",
            attendees.Count, targets.Count, sessions, agenda.Count, favorites);
        return new DemoEvent(app, created.MasterSecret, targets, targets.Count, sessions, agenda.Count, favorites);
    }

    private sealed record DemoDevice(string InstallationId, Platform Platform, string Target, InstallationRequest Request);

    private sealed record DemoAttendee(string UserId, string TimeZone, int[] ActiveHours, IReadOnlyList<DemoDevice> Devices, UserBatchRow Profile,
        PreferencesRequest Preferences);

    private DemoAttendee Attendee(int n, Random random, string vapidPublicKey)
    {
        var userId = $"attendee-{n:D4}";
        var zone = Pick(random, Zones);
        var language = Pick(random, Spoken);
        var role = n % 40 == 0 ? "speaker" : n % 55 == 0 ? "sponsor" : n % 70 == 0 ? "staff" : "attendee";
        var tags = new List<string?> { Tracks[random.Next(Tracks.Length)] };
        if (random.NextDouble() < 0.3) tags.Add(Tracks[random.Next(Tracks.Length)]);
        if (random.NextDouble() < 0.06) tags.Add("vip");
        if (random.NextDouble() < 0.2) tags.Add("workshop");
        var first = First[random.Next(First.Length)];
        var last = Last[random.Next(Last.Length)];
        var profile = new UserBatchRow
        {
            UserId = userId,
            Email = $"{userId}@devsummit.example",
            DisplayName = $"{first} {last}",
            Language = language,
            TimeZone = zone,
            Attributes = new Dictionary<string, JsonElement>
            {
                ["role"] = JsonSerializer.SerializeToElement(role),
                ["company"] = JsonSerializer.SerializeToElement(Companies[random.Next(Companies.Length)]),
                ["ticket"] = JsonSerializer.SerializeToElement(random.NextDouble() < 0.15 ? "workshop+conference" : "conference"),
            },
            Tags = tags.Distinct().ToList(),
        };
        var devices = new List<DemoDevice> { Device(userId, 0, random, language, zone, vapidPublicKey) };
        // some attendees use the web app on their laptop as well
        if (random.NextDouble() < 0.12) devices.Add(Device(userId, 1, random, language, zone, vapidPublicKey, web: true));
        var preferences = new PreferencesRequest
        {
            Consent = random.NextDouble() >= 0.03,
            Categories = new Dictionary<string, bool> { ["reminders"] = true, ["program_changes"] = true, ["marketing"] = random.NextDouble() >= 0.3 },
        };
        int[] hours = random.NextDouble() < 0.5 ? [8, 13] : random.NextDouble() < 0.5 ? [12, 19] : [9, 21];
        return new DemoAttendee(userId, zone, hours, devices, profile, preferences);
    }

    private DemoDevice Device(string userId, int index, Random random, string language, string zone, string vapidPublicKey, bool web = false)
    {
        var draw = random.NextDouble();
        var platform = web ? Platform.Web : draw < 0.55 ? Platform.Android : draw < 0.9 ? Platform.Ios : Platform.Web;
        var installationId = $"{userId}-{PlatformNames.Of(platform)}-{index}";
        var request = new InstallationRequest
        {
            Platform = PlatformNames.Of(platform), UserId = userId, Language = language, TimeZone = zone, NotificationsEnabled = true,
            AppVersion = platform == Platform.Web ? "web" : random.NextDouble() < 0.8 ? "3.2.0" : "3.1.4",
        };
        string target;
        switch (platform)
        {
            case Platform.Android:
                target = request.PushToken = $"d{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(11))}:APA91b{Guid.NewGuid():N}{Guid.NewGuid():N}";
                request.OsVersion = "14";
                request.DeviceModel = random.NextDouble() < 0.5 ? "Pixel 8" : "Galaxy S24";
                break;
            case Platform.Ios:
                target = request.PushToken = sandbox.State.NewApnsDeviceToken();
                request.ApnsEnvironment = PlatformNames.Of(ApnsEnvironment.Production);
                request.OsVersion = "17.4";
                request.DeviceModel = "iPhone15,2";
                break;
            default:
                var subscription = sandbox.State.CreateWebPushSubscription(vapidPublicKey);
                request.WebPush = new WebPushSubscription { Endpoint = subscription.Endpoint, Keys = new WebPushKeys { P256dh = subscription.P256dh, Auth = subscription.Auth } };
                target = SandboxState.SubscriptionId(subscription.Endpoint);
                request.DeviceModel = "Chrome on macOS";
                break;
        }
        return new DemoDevice(installationId, platform, target, request);
    }

    /// <summary>
    /// Quiet hours off (the default 22:00–08:00 would hold a push sent at night or at dawn in Warsaw, and the newcomer would see
    /// nothing move), and an "announcements" category for the welcome push.
    /// </summary>
    private async Task SeedConsentAsync(long appId, CancellationToken ct)
    {
        var consent = services.GetRequiredService<PushConsole.Consent.ConsentAdmin>();
        await consent.SaveSettingsAsync(appId, new PushConsole.Consent.SettingsForm { QuietHoursEnabled = false }, Actor.Cli, ct);
        await consent.SaveCategoryAsync(appId, null, new PushConsole.Consent.CategoryForm { Key = "announcements", Label = "Event announcements" }, Actor.Cli, ct);
    }

    private sealed record DemoSession(string Id, string? Tag, bool Keynote);

    /// <summary>
    /// The event (Europe/Warsaw, tomorrow and the day after), its T−15 reminder rule, then the sessions — keynotes in the main hall,
    /// six talks a day on each of the four tracks — through the agenda's own services, so the reminders are planned as the page plans them.
    /// </summary>
    private async Task<IReadOnlyList<DemoSession>> SeedAgendaAsync(long appId, CancellationToken ct)
    {
        var organizer = new Actor("organizers@devsummit.example");
        var zone = TimeZones.Find(DemoAgenda.VenueTimeZone) ?? TimeZoneInfo.Utc;
        var dayOne = TimeZones.ToLocal(clock.GetUtcNow().UtcDateTime, zone).Date.AddDays(1);
        await services.GetRequiredService<AgendaService>().SaveEventAsync(appId, new EventForm
        {
            Name = DemoAgenda.EventName, TimeZone = DemoAgenda.VenueTimeZone, StartDate = dayOne, EndDate = dayOne.AddDays(1),
        }, organizer, ct);
        // the rule first: each session then plans its own reminder as it is created, instead of replanning them all once more
        await services.GetRequiredService<AgendaService>().SaveRuleAsync(appId, null, new ReminderRuleForm
        {
            OffsetMinutes = 15, DefaultLanguage = "en",
            Templates = [.. DemoAgenda.ReminderTexts.Select(t => new TemplateForm { Language = t.Language, Title = t.Title, Body = t.Body })],
        }, organizer, ct);

        // its own seed: the agenda stays the same whatever the number of attendees
        var random = new Random(8);
        string Speaker() => $"{First[random.Next(First.Length)]} {Last[random.Next(Last.Length)]} ({Companies[random.Next(Companies.Length)]})";
        var forms = new List<(SessionForm Form, string? Tag)>();
        for (var day = 0; day < 2; day++)
        {
            var date = dayOne.AddDays(day);
            forms.Add((new SessionForm
            {
                ExternalId = $"d{day + 1}-keynote", Title = DemoAgenda.Keynotes[day], Room = DemoAgenda.MainHall,
                Start = date.AddHours(9), End = date.AddHours(9).AddMinutes(45), Speakers = Speaker(),
                Description = $"Day {day + 1} opens in the main hall; every track starts after it.",
            }, null));
            foreach (var track in DemoAgenda.Tracks)
                for (var slot = 0; slot < DemoAgenda.Slots.Length; slot++)
                {
                    var start = date + DemoAgenda.Slots[slot];
                    forms.Add((new SessionForm
                    {
                        ExternalId = $"d{day + 1}-{track.Name.ToLowerInvariant()}-{slot + 1}", Title = track.Talks[day * DemoAgenda.Slots.Length + slot],
                        Track = track.Name, Room = track.Room, Start = start, End = start.AddMinutes(45),
                        Speakers = random.NextDouble() < 0.25 ? $"{Speaker()}; {Speaker()}" : Speaker(),
                        Description = $"{track.Name} track, day {day + 1}.",
                    }, track.Tag));
                }
        }
        var closing = dayOne.AddDays(1).AddHours(17);
        forms.Add((new SessionForm
        {
            ExternalId = "d2-closing", Title = DemoAgenda.ClosingPanel, Room = DemoAgenda.MainHall, Start = closing, End = closing.AddMinutes(45),
            Speakers = $"{Speaker()}; {Speaker()}; {Speaker()}",
        }, null));

        var sessions = services.GetRequiredService<SessionService>();
        var seeded = new List<DemoSession>();
        foreach (var (form, tag) in forms)
        {
            var session = await sessions.CreateAsync(appId, form, organizer, ct);
            seeded.Add(new DemoSession(session.ExternalId, tag, tag is null));
        }
        return seeded;
    }

    /// <summary>About two thirds of the attendees star sessions in the app: often the keynotes, and a few talks of the tracks they follow.</summary>
    private async Task<int> SeedFavoritesAsync(long appId, IReadOnlyList<DemoAttendee> attendees, IReadOnlyList<DemoSession> agenda, CancellationToken ct)
    {
        var random = new Random(2027);
        var picks = new List<(string UserId, string SessionId)>();
        foreach (var a in attendees)
        {
            if (random.NextDouble() >= 0.65) continue;
            var followed = a.Profile.Tags?.OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
            var chosen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var keynote in agenda.Where(s => s.Keynote))
                if (random.NextDouble() < 0.7) chosen.Add(keynote.Id);
            var talks = agenda.Where(s => s.Tag is { } tag && followed.Contains(tag)).ToList();
            for (var n = random.Next(1, 5); n > 0 && talks.Count > 0; n--) chosen.Add(talks[random.Next(talks.Count)].Id);
            picks.AddRange(chosen.Select(id => (a.UserId, id)));
        }
        // the client API's favourites, without HTTP: concurrent calls share the registry's group commits
        var attendance = services.GetRequiredService<AttendanceService>();
        await Parallel.ForEachAsync(picks, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct },
            async (pick, _) => await attendance.FavoriteAsync(appId, pick.UserId, pick.SessionId));
        return picks.Count;
    }

    /// <summary>Two weeks of app sessions at each attendee's habitual hours (their clock), so best-time sending has history.</summary>
    private async Task<int> SeedSessionsAsync(long appId, IReadOnlyList<DemoAttendee> attendees, Random random, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var events = new List<ClientEventRequest?>();
        foreach (var a in attendees)
        {
            var zone = TimeZones.Find(a.TimeZone) ?? TimeZoneInfo.Utc;
            var phone = a.Devices[0].InstallationId;
            for (var day = 14; day >= 1; day--)
                foreach (var hour in a.ActiveHours)
                {
                    if (random.NextDouble() > 0.6) continue;
                    var local = TimeZones.ToLocal(now, zone).Date.AddDays(-day).AddHours(hour).AddMinutes(random.Next(60));
                    events.Add(new ClientEventRequest { InstallationId = phone, Type = ClientEventTypes.SessionStart, At = new DateTimeOffset(TimeZones.ToUtc(local, zone)) });
                }
        }
        var store = services.GetRequiredService<ClientEvents>();
        foreach (var chunk in events.Chunk(ClientEvents.MaxPerRequest)) await store.RecordAsync(appId, chunk, isArray: true);
        return events.Count;
    }

    /// <summary>
    /// A welcome push now (so the charts have something at once) and day 2's keynote reminder, an A/B test, scheduled.
    /// Separate from <see cref="SeedAsync"/>: call it once the simulated attendees watch the sandbox, or they miss the welcome push.
    /// </summary>
    public async Task SeedCampaignsAsync(DemoEvent seeded, CancellationToken ct)
    {
        var appId = seeded.App.Id;
        var campaigns = services.GetRequiredService<CampaignService>();
        static LocalizedContent C(string title, string body) => new() { Title = title, Body = body, Link = "devsummit://agenda" };
        await campaigns.CreateAsync(new CampaignDraft
        {
            AppId = appId, Name = "Welcome to Warsaw Dev Summit", Audience = AudienceSpec.Everyone, PlanKey = "devsummit_2026", ThrottlePerMinute = 3000,
            Options = new DeliveryOptions { Category = "announcements", TtlSeconds = 4 * 3600 },
            Message = new CampaignMessage
            {
                DefaultLanguage = "en",
                Variants =
                [
                    new CampaignVariant
                    {
                        Key = "A", Content = new Dictionary<string, LocalizedContent>
                        {
                            ["en"] = C("Welcome to Warsaw Dev Summit 👋", "Badges are at the main entrance. Build your agenda in the app."),
                            ["pl"] = C("Witamy na Warsaw Dev Summit 👋", "Identyfikatory odbierzesz przy wejściu głównym. Ułóż swoją agendę w aplikacji."),
                            ["fr"] = C("Bienvenue au Warsaw Dev Summit 👋", "Les badges sont à l'entrée principale. Composez votre programme dans l'app."),
                        },
                    },
                ],
            },
        }, Actor.Cli, ct);

        await DemoInteractive.SeedAsync(campaigns, services.GetRequiredService<PushConsole.Campaigns.Interactive.IosCategories>(), appId, ct);

        var warsaw = TimeZones.Find("Europe/Warsaw") ?? TimeZoneInfo.Utc;
        // day 2 of the agenda (which starts tomorrow), half an hour before its keynote
        var dayTwo = TimeZones.ToLocal(clock.GetUtcNow().UtcDateTime, warsaw).Date.AddDays(2).AddHours(8).AddMinutes(30);
        await campaigns.CreateAsync(new CampaignDraft
        {
            AppId = appId, Name = "Day 2: opening keynote in 30 minutes", Audience = AudienceSpec.Everyone, PlanKey = "devsummit_2026",
            Options = new DeliveryOptions { Category = "reminders", TtlSeconds = 1800, CollapseId = "keynote-day2" },
            Schedule = new AtSchedule(TimeZones.ToUtc(dayTwo, warsaw)) { DisplayTimeZone = "Europe/Warsaw" },
            Message = new CampaignMessage
            {
                DefaultLanguage = "en",
                Variants =
                [
                    new CampaignVariant { Key = "A", Weight = 50, Name = "plain", Content = new Dictionary<string, LocalizedContent>
                    {
                        ["en"] = C("Keynote at 9:00 in Hall A", "The opening keynote of day 2 starts in 30 minutes."),
                        ["pl"] = C("Keynote o 9:00 w sali A", "Otwierający keynote drugiego dnia zaczyna się za 30 minut."),
                    } },
                    new CampaignVariant { Key = "B", Weight = 50, Name = "curiosity", Content = new Dictionary<string, LocalizedContent>
                    {
                        ["en"] = C("What will AI change in your job by 2030?", "Find out at 9:00 in Hall A: day 2's opening keynote."),
                        ["pl"] = C("Co AI zmieni w Twojej pracy do 2030?", "Dowiedz się o 9:00 w sali A."),
                    } },
                ],
                Winner = new WinnerRule { Mode = WinnerMode.Automatic, TestPercent = 20, WaitMinutes = 10, DefaultVariant = "A" },
            },
        }, new Actor("organizers@devsummit.example"), ct);
        await ActivatorUtilities.CreateInstance<DemoGame>(services).SeedAsync(seeded, ct);
    }

    private static T Pick<T>(Random random, (T Value, int Weight)[] choices)
    {
        var draw = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
            if ((draw -= weight) < 0) return value;
        return choices[^1].Value;
    }
}
