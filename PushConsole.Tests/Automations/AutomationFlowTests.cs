using System.Net.Http.Json;
using System.Text.Json;
using PushConsole.Automations;
using PushConsole.Tests.Campaigns.ServerApi;

namespace PushConsole.Tests.Automations;

/// <summary>Each trigger kind and each step kind, end to end to the sandbox, on a fake clock.</summary>
public sealed class AutomationFlowTests
{
    private const string VipRules = """{"version": 1, "root": {"match": "all", "rules": [{"field": "tags", "operator": "has_any", "value": ["vip"]}]}}""";

    [Fact]
    public async Task A_custom_event_with_matching_properties_starts_a_run_whose_push_renders_the_users_and_the_events_fields()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada Lovelace");
        await k.AttendeeAsync("bob");
        var id = await k.CreateAsync("""
            { "name": "Networking", "trigger": { "event": { "type": "custom", "name": "profile_shared", "where": { "kind": "linkedin" } } },
              "steps": [ { "push": { "notification": { "alert": "Hi {{user.display_name | there}}, {{event.properties.by}} shared a profile",
                                                        "ios": { "alert": { "title": "New contact {{user.attributes.company}}", "body": "Hi {{user.display_name | there}}, {{event.properties.by}} shared a profile" } } } } } ] }
            """);

        await k.EventAsync("ada", "custom", "profile_shared", new { kind = "linkedin", by = "Grace" });
        await k.EventAsync("bob", "custom", "profile_shared", new { kind = "email", by = "Grace" });
        await k.EventAsync("bob", "custom", "other", new { kind = "linkedin" });

        var shown = Assert.Single(await k.WaitForShownAsync("ada"));
        Assert.Equal(("New contact", "Hi Ada Lovelace, Grace shared a profile"), shown);
        await k.SettleAsync();
        Assert.Empty(k.Shown("bob"));
        var stats = await k.WaitForStatsAsync(id, s => s.Completed == 1 && s.Steps["0"].Sent == 1);
        Assert.Equal((1L, 0L, 0L), (stats.Entered, stats.Active, stats.Exited));
        Assert.Equal(1, stats.Steps["0"].Reached);
    }

    [Fact]
    public async Task Delay_push_wait_branch_tag_and_points_run_in_order_on_the_clock()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada", null, "vip");
        await k.AttendeeAsync("bob", "Bob");
        var id = await k.CreateAsync($$"""
            { "name": "Journey", "trigger": { "event": { "type": "custom", "name": "arrived" } },
              "steps": [ { "delay": { "seconds": 600 } },
                         { "push": { "notification": { "alert": "First" } } },
                         { "wait_for": { "event": { "type": "custom", "name": "badge_scanned" }, "timeout_seconds": 3600, "on_timeout": "continue" } },
                         { "branch": { "if": {{VipRules}},
                                       "then": [ { "push": { "notification": { "alert": "Welcome, VIP" } } } ],
                                       "else": [ { "push": { "notification": { "alert": "Welcome" } } } ] } },
                         { "tag": { "add": ["welcomed"] } },
                         { "points": { "add": 10, "reason": "arrived" } } ] }
            """);
        await k.EventAsync("ada", "custom", "arrived");
        await k.EventAsync("bob", "custom", "arrived");
        await k.WaitForStatsAsync(id, s => s.Steps["0"].Waiting == 2);
        await k.SettleAsync();
        Assert.Empty(k.Shown("ada"));

        k.Advance(TimeSpan.FromSeconds(601));
        Assert.Equal("First", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        Assert.Equal("First", Assert.Single(await k.WaitForShownAsync("bob")).Body);
        await k.WaitForStatsAsync(id, s => s.Steps["2"].Waiting == 2);

        // ada's event resolves her wait at once; bob's wait times out an hour later and he goes on all the same
        await k.EventAsync("ada", "custom", "badge_scanned");
        Assert.Equal("Welcome, VIP", (await k.WaitForShownAsync("ada", 2))[1].Body);
        await k.SettleAsync();
        Assert.Single(k.Shown("bob"));
        k.Advance(TimeSpan.FromSeconds(3601));
        Assert.Equal("Welcome", (await k.WaitForShownAsync("bob", 2))[1].Body);

        // the delivery outcome is written just after the sandbox answers
        var stats = await k.WaitForStatsAsync(id, s => s.Completed == 2 && s.Steps["3.else.0"].Sent == 1);
        Assert.Equal((1L, 1L), (stats.Steps["3.then.0"].Sent, stats.Steps["3.else.0"].Sent));
        Assert.Equal(2, await k.CountAsync("SELECT COUNT(*) FROM user_tags WHERE tag = 'welcomed'"));
        Assert.Equal(["ada", "bob"], k.Ledger.Awards.Values.Select(a => a.User).Order());
        Assert.All(k.Ledger.Awards, a => Assert.Equal((10, "arrived"), (a.Value.Points, a.Value.Reason)));
    }

    [Fact]
    public async Task A_wait_that_exits_on_timeout_and_an_exit_event_both_end_runs_before_their_push()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada");
        await k.AttendeeAsync("bob");
        var id = await k.CreateAsync("""
            { "name": "Nudge", "trigger": { "event": { "type": "custom", "name": "joined" } },
              "steps": [ { "wait_for": { "event": { "type": "notification_opened" }, "timeout_seconds": 600, "on_timeout": "exit" } },
                         { "push": { "notification": { "alert": "Thanks for opening" } } } ],
              "exit_on": [ { "type": "custom", "name": "left_event" } ] }
            """);
        await k.EventAsync("ada", "custom", "joined");
        await k.EventAsync("bob", "custom", "joined");
        await k.WaitForStatsAsync(id, s => s.Steps["0"].Waiting == 2);
        await k.EventAsync("bob", "custom", "left_event");
        await k.WaitForStatsAsync(id, s => s.Exited == 1);
        k.Advance(TimeSpan.FromSeconds(601));
        var stats = await k.WaitForStatsAsync(id, s => s.Exited == 2);
        await k.SettleAsync();
        Assert.Empty(k.Shown("ada"));
        Assert.Empty(k.Shown("bob"));
        Assert.Equal(0, stats.Steps["1"].Reached);
    }

    [Fact]
    public async Task A_push_step_held_by_quiet_hours_goes_when_they_end_in_the_recipients_zone()
    {
        await using var k = await AutomationKit.StartAsync();
        // the app's default quiet hours: 22:00–08:00 in each recipient's zone
        await PushConsole.Tests.Consent.ConsentKit.SetRulesAsync(k.Kit.Scenario, r => r.QuietHoursEnabled = true);
        // 08:00 UTC is 10:00 in Paris and 01:00 in Los Angeles
        await k.AttendeeAsync("ada", "Ada", "Europe/Paris");
        await k.AttendeeAsync("bob", "Bob", "America/Los_Angeles");
        var id = await k.CreateAsync("""
            { "name": "Badge ready", "trigger": { "event": { "type": "custom", "name": "badge_printed" } },
              "steps": [ { "push": { "notification": { "alert": "Your badge is ready, {{user.display_name}}" } } } ] }
            """);
        await k.EventAsync("ada", "custom", "badge_printed");
        await k.EventAsync("bob", "custom", "badge_printed");

        Assert.Equal("Your badge is ready, Ada", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        // both runs are past their push step: bob's push is the sending side's to hold
        await k.WaitForStatsAsync(id, s => s.Completed == 2);
        await k.SettleAsync();
        Assert.Empty(k.Shown("bob"));
        Assert.Equal(1, (await k.StatsAsync(id)).Steps["0"].Sent);
        k.Advance(TimeSpan.FromHours(7) - TimeSpan.FromMinutes(1)); // 07:59 in Los Angeles
        await k.SettleAsync();
        Assert.Empty(k.Shown("bob"));
        k.Advance(TimeSpan.FromMinutes(1)); // 08:00 in Los Angeles
        Assert.Equal("Your badge is ready, Bob", Assert.Single(await k.WaitForShownAsync("bob")).Body);
        await k.WaitForStatsAsync(id, s => s.Steps["0"].Sent == 2);
        Assert.Single(k.Shown("ada"));
    }

    /// <summary>Transitions are stored only for known geofences and users with location consent (issue 18): both attendees get it.</summary>
    private static async Task GeofencesAsync(AutomationKit k, params string[] ids)
    {
        foreach (var fence in ids)
            await k.Kit.OkJsonAsync(await k.Kit.PostAsync("v4/geofences",
                $$"""{ "id": "{{fence}}", "name": "{{fence}}", "latitude": 52.2, "longitude": 21.0, "radius_m": 100, "dwell_seconds": 60, "cooldown_seconds": 0 }"""));
        foreach (var user in k.Attendees.Keys)
        {
            var consent = await k.Kit.Device.PutAsJsonAsync($"api/v1/users/{user}/preferences", new { location = true });
            Assert.True(consent.IsSuccessStatusCode, await consent.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_geofence_entered_event_from_the_app_triggers_the_welcome_for_that_geofence_only()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada");
        await k.AttendeeAsync("bob", "Bob");
        await k.CreateAsync("""
            { "name": "Welcome at the venue", "trigger": { "event": { "type": "geofence_entered", "geofence_id": "venue" } },
              "steps": [ { "push": { "notification": { "alert": "Welcome to DevDays, {{user.display_name}}!" } } } ] }
            """);
        await GeofencesAsync(k, "venue", "parking");
        await k.EventAsync("ada", "geofence_entered", geofenceId: "venue");
        await k.EventAsync("bob", "geofence_entered", geofenceId: "parking");
        Assert.Equal("Welcome to DevDays, Ada!", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        await k.SettleAsync();
        Assert.Empty(k.Shown("bob"));
    }

    [Fact]
    public async Task A_geofence_triggered_automations_sent_pushes_count_in_that_geofences_stats_only()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada");
        await k.AttendeeAsync("bob", "Bob");
        await GeofencesAsync(k, "venue", "parking");
        await k.CreateAsync("""
            { "name": "Welcome at the venue", "trigger": { "event": { "type": "geofence_entered", "geofence_id": "venue" } },
              "steps": [ { "push": { "notification": { "alert": "Welcome, {{user.display_name}}!" } } } ] }
            """);
        await k.EventAsync("ada", "geofence_entered", geofenceId: "venue");
        await k.EventAsync("bob", "geofence_entered", geofenceId: "venue");
        await k.EventAsync("bob", "geofence_entered", geofenceId: "parking");
        await k.WaitForShownAsync("ada");
        await k.WaitForShownAsync("bob");

        // the delivery outcome is written just after the sandbox answers
        var until = DateTime.UtcNow.AddSeconds(60);
        JsonElement venue;
        while ((venue = await k.Kit.OkJsonAsync(await k.Kit.Api.GetAsync("v4/geofences/venue/stats"))).GetProperty("pushes_triggered").GetInt64() < 2
               && DateTime.UtcNow < until)
            await Task.Delay(50);
        Assert.Equal((2, 2L), (venue.GetProperty("entered").GetInt32(), venue.GetProperty("pushes_triggered").GetInt64()));
        var parking = await k.Kit.OkJsonAsync(await k.Kit.Api.GetAsync("v4/geofences/parking/stats"));
        Assert.Equal((1, 0L), (parking.GetProperty("entered").GetInt32(), parking.GetProperty("pushes_triggered").GetInt64()));
    }

    [Fact]
    public async Task Favouriting_and_checking_in_trigger_pushes_naming_the_session_in_the_recipients_zone()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AgendaAsync();
        await k.SessionAsync("keynote", "Keynote", new DateTime(2026, 6, 11, 10, 0, 0), room: "Hall A");
        await k.AttendeeAsync("ada", "Ada", "America/New_York");
        await k.AttendeeAsync("bob", "Bob");
        await k.CreateAsync("""
            { "name": "Saved", "trigger": { "event": { "type": "session_favorited" } },
              "steps": [ { "push": { "notification": { "alert": "{{session.title}} in {{session.room}} at {{session.starts_at}}" } } } ] }
            """);
        await k.CreateAsync("""
            { "name": "Checked in", "trigger": { "event": { "type": "session_checked_in" } },
              "steps": [ { "push": { "notification": { "alert": "Enjoy {{session.title}}" } } } ] }
            """);
        await k.Host.Get<PushConsole.Agenda.AttendanceService>().FavoriteAsync(k.AppId, "ada", "keynote");
        await k.Host.Get<PushConsole.Agenda.AttendanceService>().CheckInAsync(k.AppId, "bob", "keynote", null);

        // 10:00 in Paris is 08:00 UTC, 04:00 in New York
        Assert.Equal("Keynote in Hall A at Thu 11 Jun 04:00", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        Assert.Equal("Enjoy Keynote", Assert.Single(await k.WaitForShownAsync("bob")).Body);
    }

    [Fact]
    public async Task Inactivity_fires_once_a_user_has_had_no_session_start_for_the_period()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada");
        await k.AttendeeAsync("bob", "Bob");
        await k.CreateAsync("""
            { "name": "Re-engage", "trigger": { "inactivity": { "seconds": 86400 } },
              "steps": [ { "push": { "notification": { "alert": "We miss you, {{user.display_name}}" } } } ] }
            """);
        await k.EventAsync("ada", "session_start");
        await k.EventAsync("bob", "session_start");
        k.Advance(TimeSpan.FromHours(20));
        await k.EventAsync("bob", "session_start");
        k.Advance(TimeSpan.FromHours(4) + TimeSpan.FromSeconds(1));
        Assert.Equal("We miss you, Ada", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        await k.SettleAsync();
        Assert.Empty(k.Shown("bob"));
        k.Advance(TimeSpan.FromHours(20));
        Assert.Equal("We miss you, Bob", Assert.Single(await k.WaitForShownAsync("bob")).Body);
        await k.SettleAsync();
        Assert.Single(k.Shown("ada"));
    }

    [Fact]
    public async Task Entering_a_saved_segment_starts_a_run_at_the_next_evaluation()
    {
        await using var k = await AutomationKit.StartAsync(o => o.Args.Add("--Automations:SegmentCheckSeconds=60"));
        await k.AttendeeAsync("ada", "Ada");
        await k.AttendeeAsync("bob", "Bob", null, "vip");
        var segment = await k.Kit.OkJsonAsync(await k.Kit.PostAsync("v4/segments", $$"""{"name": "VIPs", "rules": {{VipRules}} }"""));
        var segmentId = segment.GetProperty("id").ToString();
        await k.CreateAsync($$"""
            { "name": "VIP welcome", "trigger": { "segment_entry": { "segment": "{{segmentId}}" } },
              "steps": [ { "push": { "notification": { "alert": "You are a VIP now" } } } ] }
            """);
        // bob was in the segment before the automation existed: no entry
        await k.SettleAsync();
        await k.Kit.OkJsonAsync(await k.Kit.PutAsync("v4/users/ada", """{"tags": ["vip"]}"""));
        k.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("You are a VIP now", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        await k.SettleAsync();
        Assert.Empty(k.Shown("bob"));
    }

    [Fact]
    public async Task A_cron_schedule_starts_a_run_for_every_user_at_its_time()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada");
        await k.AttendeeAsync("bob", "Bob");
        var id = await k.CreateAsync("""
            { "name": "Morning digest", "trigger": { "schedule": { "cron": "0 9 * * *", "time_zone": "Europe/Paris" } },
              "steps": [ { "push": { "notification": { "alert": "Good morning {{user.display_name}}" } } } ] }
            """);
        // 08:00 UTC is 10:00 in Paris: the next 09:00 Paris is tomorrow at 07:00 UTC
        k.Advance(TimeSpan.FromHours(22));
        await k.SettleAsync();
        Assert.Empty(k.Shown("ada"));
        k.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal("Good morning Ada", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        Assert.Equal("Good morning Bob", Assert.Single(await k.WaitForShownAsync("bob")).Body);
        Assert.Equal(2, (await k.WaitForStatsAsync(id, s => s.Completed == 2)).Entered);
    }

    [Fact]
    public async Task The_server_api_runs_an_automation_for_given_users()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AttendeeAsync("ada", "Ada");
        await k.AttendeeAsync("bob", "Bob");
        var id = await k.CreateAsync("""
            { "name": "Manual", "trigger": { "event": { "type": "custom", "name": "never_sent" } },
              "steps": [ { "push": { "notification": { "alert": "Hello {{user.display_name}}" } } } ] }
            """);
        var answer = await k.Kit.OkJsonAsync(await k.Kit.Api.PostAsJsonAsync($"v4/automations/{id}/run", new { user_ids = new[] { "bob" } }));
        Assert.Equal(1, answer.GetProperty("started").GetInt32());
        Assert.Equal("Hello Bob", Assert.Single(await k.WaitForShownAsync("bob")).Body);
        await k.SettleAsync();
        Assert.Empty(k.Shown("ada"));
        await ServerApiKit.ProblemAsync(await k.Kit.Api.PostAsJsonAsync($"v4/automations/{id}/run", new { user_ids = new[] { "nobody" } }), 400, "user_ids");
    }

    [Fact]
    public async Task The_suggestion_recipe_pushes_the_next_session_of_an_attended_track_and_nothing_when_none_fits()
    {
        await using var k = await AutomationKit.StartAsync();
        await k.AgendaAsync();
        // 08:00 UTC is 10:00 in Paris
        await k.SessionAsync("ai-1", "Intro to agents", new DateTime(2026, 6, 10, 10, 0, 0), room: "Hall A", track: "track-ai");
        await k.SessionAsync("web-1", "CSS today", new DateTime(2026, 6, 10, 10, 0, 0), room: "Hall C", track: "track-web");
        await k.SessionAsync("ai-2", "Agents in production", new DateTime(2026, 6, 10, 15, 0, 0), room: "Hall B", track: "track-ai");
        await k.AttendeeAsync("ada", "Ada");
        await k.AttendeeAsync("bob", "Bob");
        var id = await k.CreateAsync(AutomationRecipes.Find("suggest")!.Json);
        var attendance = k.Host.Get<PushConsole.Agenda.AttendanceService>();
        await attendance.CheckInAsync(k.AppId, "ada", "ai-1", null);
        await attendance.CheckInAsync(k.AppId, "bob", "web-1", null);
        await k.WaitForStatsAsync(id, s => s.Steps["0"].Waiting == 2);
        k.Advance(TimeSpan.FromSeconds(1801));

        Assert.Equal("Next for you: Agents in production at Wed 10 Jun 15:00, Hall B", Assert.Single(await k.WaitForShownAsync("ada")).Body);
        var stats = await k.WaitForStatsAsync(id, s => s.Completed == 2 && s.Steps["1"].Sent == 1);
        await k.SettleAsync();
        Assert.Empty(k.Shown("bob"));
        Assert.Equal((2L, 1L), (stats.Steps["1"].Reached, (await k.StatsAsync(id)).Steps["1"].Sent));
    }
}
