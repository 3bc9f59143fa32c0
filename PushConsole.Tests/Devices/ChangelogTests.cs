using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Tests.Devices;

/// <summary>Every changelog kind, written by the registry through the client API (and the dispatcher's Invalidate).</summary>
public sealed class ChangelogTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
    private AppHost _host = default!;
    private DeviceKit _kit = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync(o => o.Services = s => s.AddSingleton<TimeProvider>(_clock));
        _kit = await DeviceKit.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Registering_answers_the_state_and_writes_registered_with_the_token_and_user()
    {
        var token = DeviceKit.FcmToken("phone-1");
        var answer = await _kit.RegisterAsync("phone-1", new
        {
            platform = "android", pushToken = token, userId = "attendee-42", language = "fr", timeZone = "Europe/Paris",
            appVersion = "3.2.0", osVersion = "14", deviceModel = "Pixel 8", tags = new[] { "vip", "track-ai", "vip" },
        });

        Assert.Equal("phone-1", answer.GetProperty("installationId").GetString());
        Assert.Equal("subscribed", answer.GetProperty("state").GetString());
        Assert.Equal("attendee-42", answer.GetProperty("userId").GetString());
        var stored = (await _kit.InstallationAsync("phone-1"))!;
        Assert.Equal((token, Platform.Android, PushState.Subscribed, "attendee-42"), (stored.Token, stored.Platform, stored.State, stored.AppUser?.ExternalId));
        Assert.Equal(("fr", "Europe/Paris", "3.2.0", "14", "Pixel 8"), (stored.Language, stored.TimeZone, stored.AppVersion, stored.OsVersion, stored.DeviceModel));
        Assert.Equal(["track-ai", "vip"], stored.Tags.Select(t => t.Tag).Order());
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, stored.TokenRegisteredAt);
        var change = Assert.Single(await _kit.ChangesAsync("phone-1"));
        Assert.Equal((ChangeKind.Registered, null, token, "attendee-42", "client_api"), (change.Kind, change.OldToken, change.NewToken, change.NewUser, change.Source));
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, change.At);
    }

    [Fact]
    public async Task Sending_the_same_registration_again_changes_nothing_in_the_changelog()
    {
        var body = new { platform = "ios", pushToken = DeviceKit.ApnsToken("x").ToUpperInvariant(), apnsEnvironment = "sandbox", userId = "u1" };
        await _kit.RegisterAsync("iphone", body);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await _kit.RegisterAsync("iphone", body);

        Assert.Equal([ChangeKind.Registered], await _kit.KindsAsync("iphone"));
        var stored = (await _kit.InstallationAsync("iphone"))!;
        Assert.Equal(DeviceKit.ApnsToken("x"), stored.Token); // stored lower case
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, stored.LastSeenAt);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, stored.TokenRegisteredAt);
    }

    [Fact]
    public async Task A_new_token_is_token_refreshed_with_old_and_new()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("old"));
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("new"));

        var refreshed = (await _kit.ChangesAsync("phone")).Last();
        Assert.Equal((ChangeKind.TokenRefreshed, DeviceKit.FcmToken("old"), DeviceKit.FcmToken("new")), (refreshed.Kind, refreshed.OldToken, refreshed.NewToken));
        Assert.Equal(DeviceKit.FcmToken("new"), (await _kit.InstallationAsync("phone"))!.Token);
    }

    [Fact]
    public async Task Login_logout_and_another_login_write_user_assigned_logged_out_and_user_changed()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"));
        await _kit.SetUserAsync("phone", "A");
        await _kit.SetUserAsync("phone", "B");
        await _kit.SetUserAsync("phone", null);
        await _kit.SetUserAsync("phone", null); // already logged out: no entry

        var changes = await _kit.ChangesAsync("phone");
        Assert.Equal([ChangeKind.Registered, ChangeKind.UserAssigned, ChangeKind.UserChanged, ChangeKind.LoggedOut], changes.Select(c => c.Kind));
        Assert.Equal((null, "A"), (changes[1].OldUser, changes[1].NewUser));
        Assert.Equal(("A", "B"), (changes[2].OldUser, changes[2].NewUser));
        Assert.Equal("moved from user A to user B", ChangeSentences.Describe(changes[2]));
        Assert.Equal(("B", null), (changes[3].OldUser, changes[3].NewUser));
        Assert.Null((await _kit.InstallationAsync("phone"))!.AppUserId);
    }

    [Fact]
    public async Task The_registration_body_moves_the_user_too_and_an_absent_userId_keeps_it()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "A");
        await _kit.RegisterAsync("phone", new { platform = "android", pushToken = DeviceKit.FcmToken("p") }); // no userId at all
        Assert.Equal("A", (await _kit.InstallationAsync("phone"))!.AppUser?.ExternalId);

        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "B");
        await _kit.RegisterAsync("phone", new { platform = "android", pushToken = DeviceKit.FcmToken("p"), userId = (string?)null });

        Assert.Equal([ChangeKind.Registered, ChangeKind.UserChanged, ChangeKind.LoggedOut], await _kit.KindsAsync("phone"));
    }

    [Fact]
    public async Task Turning_notifications_off_makes_a_phone_background_only_and_a_browser_unsubscribed()
    {
        var phone = await _kit.RegisterAsync("phone", new { platform = "android", pushToken = DeviceKit.FcmToken("p"), notificationsEnabled = false });
        Assert.Equal("background_only", phone.GetProperty("state").GetString());
        await _kit.RegisterAsync("phone", new { platform = "android", pushToken = DeviceKit.FcmToken("p"), notificationsEnabled = true });
        await _kit.RegisterAsync("phone", new { platform = "android", pushToken = DeviceKit.FcmToken("p") }); // absent: stays on

        var changes = await _kit.ChangesAsync("phone");
        Assert.Equal([ChangeKind.Registered, ChangeKind.PermissionChanged], changes.Select(c => c.Kind));
        Assert.Equal("notifications turned on on the device", changes[1].Details);

        await _kit.RegisterAsync("browser", DeviceKit.WebBody("https://fcm.googleapis.com/fcm/send/abc:def"));
        var web = await _kit.RegisterAsync("browser", new
        {
            platform = "web", notificationsEnabled = false,
            webPush = new { endpoint = "https://fcm.googleapis.com/fcm/send/abc:def", keys = new { p256dh = DeviceKit.WebPushKeys().P256dh, auth = DeviceKit.WebPushKeys().Auth } },
        });
        Assert.Equal("unsubscribed", web.GetProperty("state").GetString());
        Assert.Equal(ChangeKind.PermissionChanged, (await _kit.ChangesAsync("browser")).Last().Kind);
    }

    [Fact]
    public async Task A_token_registered_by_another_installation_is_taken_from_the_first_with_entries_on_both()
    {
        var token = DeviceKit.ApnsToken("shared");
        await _kit.RegisterAsync("old-install", new { platform = "ios", pushToken = token, userId = "A" });
        _clock.Advance(TimeSpan.FromDays(2));
        await _kit.RegisterAsync("new-install", new { platform = "ios", pushToken = token, userId = "A" });

        var loser = (await _kit.InstallationAsync("old-install"))!;
        Assert.Null(loser.Token);
        Assert.Equal(PushState.Invalid, loser.State);
        var taken = (await _kit.ChangesAsync("old-install")).Last();
        Assert.Equal((ChangeKind.TokenTakenByOtherInstallation, token, null), (taken.Kind, taken.OldToken, taken.NewToken));
        Assert.Contains("new-install", taken.Details);
        var registered = Assert.Single(await _kit.ChangesAsync("new-install"));
        Assert.Contains("took the token from installation old-install", registered.Details);
        Assert.Equal(token, (await _kit.InstallationAsync("new-install"))!.Token);
    }

    [Fact]
    public async Task Unregistering_makes_the_installation_uninstalled_and_registering_again_revives_it()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"));
        var deleted = await _kit.Client.DeleteAsync("api/v1/installations/phone");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(PushState.Uninstalled, (await _kit.InstallationAsync("phone"))!.State);
        Assert.Equal(HttpStatusCode.NoContent, (await _kit.Client.DeleteAsync("api/v1/installations/phone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _kit.Client.DeleteAsync("api/v1/installations/never-seen")).StatusCode);

        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"));
        var changes = await _kit.ChangesAsync("phone");
        Assert.Equal([ChangeKind.Registered, ChangeKind.Unregistered, ChangeKind.Registered], changes.Select(c => c.Kind));
        Assert.StartsWith("registered again after being uninstalled", changes[2].Details);
        Assert.Equal(PushState.Subscribed, (await _kit.InstallationAsync("phone"))!.State);
    }

    [Fact]
    public async Task Invalidate_marks_the_installation_invalid_with_the_providers_reason_and_raw_answer()
    {
        await _kit.RegisterAsync("iphone", new { platform = "ios", pushToken = DeviceKit.ApnsToken("i") });
        var key = (await _kit.InstallationAsync("iphone"))!.Id;
        _clock.Advance(TimeSpan.FromHours(1));

        var outcome = await _host.Get<DeviceRegistry>().InvalidateAsync(key, ChangeSources.Apns, "Unregistered",
            "410 {\"reason\":\"Unregistered\",\"timestamp\":1790000000000}", _clock.GetUtcNow().UtcDateTime);

        Assert.Equal(InvalidationOutcome.Invalidated, outcome);
        Assert.Equal(PushState.Invalid, (await _kit.InstallationAsync("iphone"))!.State);
        var change = (await _kit.ChangesAsync("iphone")).Last();
        Assert.Equal((ChangeKind.Invalidated, "apns", "Unregistered"), (change.Kind, change.Source, change.ProviderReason));
        Assert.Contains("\"reason\":\"Unregistered\"", change.RawAnswer);
        Assert.Equal("invalidated by APNs: Unregistered", ChangeSentences.Describe(change));
        Assert.Equal(InvalidationOutcome.AlreadyUnreachable,
            await _host.Get<DeviceRegistry>().InvalidateAsync(key, ChangeSources.Apns, "Unregistered", null, _clock.GetUtcNow().UtcDateTime));
        Assert.Equal(2, (await _kit.ChangesAsync("iphone")).Count);
    }

    [Fact]
    public async Task An_apns_410_older_than_the_last_registration_is_ignored_and_a_newer_one_is_not()
    {
        await _kit.RegisterAsync("iphone", new { platform = "ios", pushToken = DeviceKit.ApnsToken("i") });
        var key = (await _kit.InstallationAsync("iphone"))!.Id;
        var registeredAt = _clock.GetUtcNow().UtcDateTime;
        var registry = _host.Get<DeviceRegistry>();

        // APNs says the token stopped being valid a minute before the app sent it to us: the app has a fresh token
        var stale = await registry.InvalidateAsync(key, ChangeSources.Apns, "Unregistered", "410", registeredAt.AddMinutes(-1));
        Assert.Equal(InvalidationOutcome.IgnoredOlderThanRegistration, stale);
        Assert.Equal(PushState.Subscribed, (await _kit.InstallationAsync("iphone"))!.State);
        Assert.Equal([ChangeKind.Registered], await _kit.KindsAsync("iphone"));

        var fresh = await registry.InvalidateAsync(key, ChangeSources.Apns, "Unregistered", "410", registeredAt.AddMinutes(1));
        Assert.Equal(InvalidationOutcome.Invalidated, fresh);
        Assert.Equal(PushState.Invalid, (await _kit.InstallationAsync("iphone"))!.State);
    }

    [Fact]
    public async Task An_answer_about_a_token_the_installation_no_longer_has_is_ignored_and_the_batch_form_reports_each()
    {
        await _kit.RegisterAndroidAsync("a", DeviceKit.FcmToken("a-old"));
        await _kit.RegisterAndroidAsync("a", DeviceKit.FcmToken("a-new"));
        await _kit.RegisterAndroidAsync("b", DeviceKit.FcmToken("b"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var (a, b) = ((await _kit.InstallationAsync("a"))!.Id, (await _kit.InstallationAsync("b"))!.Id);
        var now = _clock.GetUtcNow().UtcDateTime;

        var outcomes = await _host.Get<DeviceRegistry>().InvalidateAsync(
        [
            new Invalidation(a, ChangeSources.Fcm, "UNREGISTERED", "404 NOT_FOUND", now, DeviceKit.FcmToken("a-old")),
            new Invalidation(b, ChangeSources.Fcm, "UNREGISTERED", "404 NOT_FOUND", now, DeviceKit.FcmToken("b")),
            new Invalidation(999_999, ChangeSources.Fcm, "UNREGISTERED", null, now),
        ]);

        Assert.Equal([InvalidationOutcome.IgnoredTokenChanged, InvalidationOutcome.Invalidated, InvalidationOutcome.NotFound], outcomes);
        Assert.Equal(PushState.Subscribed, (await _kit.InstallationAsync("a"))!.State);
        Assert.Equal("invalidated by FCM: UNREGISTERED", ChangeSentences.Describe((await _kit.ChangesAsync("b")).Last()));
    }

    [Fact]
    public async Task Preferences_store_consent_and_categories_and_log_them_on_the_users_installations()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "attendee-7");
        await _kit.RegisterAsync("browser", DeviceKit.WebBody("https://updates.push.services.mozilla.com/wpush/v2/abc", "attendee-7"));

        var response = await _kit.Client.PutAsJsonAsync("api/v1/users/attendee-7/preferences",
            new { consent = false, categories = new { reminders = true, marketing = false } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(answer.GetProperty("consent").GetBoolean());
        Assert.False(answer.GetProperty("categories").GetProperty("marketing").GetBoolean());

        foreach (var id in new[] { "phone", "browser" })
        {
            var change = (await _kit.ChangesAsync(id)).Last();
            Assert.Equal(ChangeKind.PermissionChanged, change.Kind);
            Assert.Equal("preferences of user attendee-7: consent withdrawn, reminders on, marketing off", change.Details);
        }
        var user = (await _kit.InstallationAsync("phone"))!.AppUser!;
        Assert.Equal((ConsentState.Denied, (DateTime?)_clock.GetUtcNow().UtcDateTime, "client_api"), (user.Consent, user.ConsentAt, user.ConsentSource));

        // the same preferences again: nothing new to log
        await _kit.Client.PutAsJsonAsync("api/v1/users/attendee-7/preferences", new { consent = false, categories = new { marketing = false } });
        Assert.Equal(2, (await _kit.ChangesAsync("phone")).Count);
    }

    [Fact]
    public async Task Erasing_a_user_removes_the_profile_scrubs_the_changelog_and_writes_erased()
    {
        await _kit.RegisterAndroidAsync("phone", DeviceKit.FcmToken("p"), "ana");
        await _kit.SetUserAsync("phone", "ana");
        using var server = _kit.ServerClient();
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync("v4/users/ana", new { email = "ana@example.com" })).StatusCode);

        var key = (await _kit.InstallationAsync("phone"))!.Id;

        var erased = await server.DeleteAsync("v4/users/ana");

        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        // the device's own id goes too: the row stays only to carry its anonymous history
        Assert.Null(await _kit.InstallationAsync("phone"));
        await using var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var changes = await db.Set<TokenChange>().Where(c => c.InstallationId == key).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([ChangeKind.Registered, ChangeKind.Erased], changes.Select(c => c.Kind));
        Assert.DoesNotContain(changes, c => c.NewUser == "ana" || c.OldUser == "ana" || c.NewToken is not null || c.OldToken is not null);
        var phone = await db.Set<Installation>().SingleAsync(i => i.Id == key);
        Assert.Equal((null, null, PushState.Uninstalled), (phone.Token, phone.AppUserId, phone.State));
        Assert.StartsWith("erased-", phone.ExternalId);
        Assert.Equal(0, await _kit.CountAsync<AppUser>());
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("v4/users/ana")).StatusCode);
    }
}
