using System.Net;
using System.Text.Json;
using PushConsole.Campaigns;
using PushConsole.Campaigns.ServerApi;
using PushConsole.Sending;
using PushConsole.Devices;

namespace PushConsole.Tests.Campaigns.ServerApi;

/// <summary>
/// The seed's EngageLab Plan Push + Smart Push walk-through, its bodies sent verbatim, end to end on the provider sandbox,
/// on SQLite and on PostgreSQL (the upserts, aggregates and grouped statistics are written for both).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SeedScenarioTests(PostgresCluster postgres)
{
    // 001_75ff4d037dd4b9b9.txt, step 1, as printed
    private const string CreatePlan = """
        {
          "plan_id": "promo_year_end_2025",
          "plan_description": "Plan Push Vente de Fin d'Année"
        }
        """;

    // 001_75ff4d037dd4b9b9.txt, step 2, as printed
    private const string SmartPush = """
        {
          "name": "promo_year_end_reminder_01",
          "enabled": true,
          "trigger": {
            "intelligent": {
              "backup_time": "2025-12-28 09:00:00"
            }
          },
          "push": {
            "from": "push",
            "to": {
              "registration_id": [
                "regId_userA", "regId_userB"
              ]
            },
            "body": {
              "platform": "android",
              "notification": {
                "alert": "La vente flash est en cours ! Profitez-en maintenant !",
                "android": {
                  "title": "Offres Exceptionnelles",
                  "extras": {
                    "promo": "year_end_sale"
                  }
                }
              },
              "options": {
                "plan_id": "promo_year_end_2025",
                "time_to_live": 86400
              }
            },
            "request_id": "req_year_end_01",
            "custom_args": {
              "task": "reminder_01"
            }
          }
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plan_then_smart_push_reach_each_user_at_their_time_and_the_plan_statistics_count_them_by_platform_provider_and_type(bool onPostgres)
    {
        var connectionString = onPostgres ? await postgres.CreateDatabaseAsync() : null;
        // Saturday 20 December 2025, 08:00 UTC: a week before the seed's backup time
        await using var kit = await ServerApiKit.StartAsync(new DateTimeOffset(2025, 12, 20, 8, 0, 0, TimeSpan.Zero), o => o.PostgresConnectionString = connectionString);
        var tokenA = await kit.RegisterAsync("regId_userA", Platform.Android, "Europe/Paris", "userA", "fr");
        await kit.RegisterAsync("regId_userB", Platform.Android, "America/New_York", "userB", "fr");
        await kit.RegisterAsync("other-android", Platform.Android, "Europe/Paris");
        await kit.RegisterAsync("vip-android", Platform.Android, null, null, null, "vip");
        await kit.RegisterAsync("vip-iphone", Platform.Ios, "Europe/Warsaw", null, null, "vip");
        await kit.RegisterAsync("vip-browser", Platform.Web, null, null, null, "vip");
        // user A opens the app around 19:00 in Paris (18:xx UTC); user B has never reported anything
        await kit.ReportAsync(
            new { installationId = "regId_userA", type = "session_start", at = "2025-12-13T18:10:00Z" },
            new { installationId = "regId_userA", type = "session_start", at = "2025-12-17T18:05:00Z" });
        await kit.ReportAsync(
            new { installationId = "regId_userA", type = "session_start", at = "2025-12-17T18:35:00Z" },
            new { installationId = "regId_userA", type = "session_start", at = "2025-12-18T18:40:00Z" },
            new { installationId = "regId_userA", type = "notification_opened", at = "2025-12-19T18:20:00Z" },
            new { installationId = "regId_userA", type = "session_start", at = "2025-12-19T07:30:00Z" });

        var plan = await kit.OkJsonAsync(await kit.PostAsync("v4/push_plan", CreatePlan));
        Assert.Equal("promo_year_end_2025", plan.GetProperty("plan_id").GetString());
        Assert.Equal("Plan Push Vente de Fin d'Année", plan.GetProperty("plan_description").GetString());
        await ServerApiKit.ProblemAsync(await kit.PostAsync("v4/push_plan", CreatePlan), 409, "plan_id");

        // sent three times at once (a client retrying): one schedule, one answer
        var sent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => kit.PostAsync("v4/schedules", SmartPush)));
        var created = await kit.OkJsonAsync(sent[0]);
        foreach (var other in sent.Skip(1)) Assert.Equal(created.GetRawText(), (await kit.OkJsonAsync(other)).GetRawText());
        Assert.Equal(1, (await kit.OkJsonAsync(await kit.Api.GetAsync("v4/schedules"))).GetProperty("schedules").GetArrayLength());
        Assert.Equal("promo_year_end_reminder_01", created.GetProperty("name").GetString());
        var scheduleId = created.GetProperty("schedule_id").GetString();
        var schedule = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/schedules/{scheduleId}"));
        var smartId = long.Parse(schedule.GetProperty("msg_id").GetString()!);
        Assert.Equal("year_end_sale", schedule.GetProperty("push").GetProperty("body").GetProperty("notification").GetProperty("android")
            .GetProperty("extras").GetProperty("promo").GetString());

        // the same request again (request_id req_year_end_01): the first answer, nothing new
        var replay = await kit.PostAsync("v4/schedules", SmartPush);
        Assert.Equal(created.GetRawText(), (await kit.OkJsonAsync(replay)).GetRawText());
        Assert.True(replay.Headers.Contains(ServerApiRegistration.ReplayHeader));

        // each recipient's time: A at its best hour (19:00 Paris, within 24 h), B at the backup time in New York
        var rows = await kit.DeliveriesAsync(smartId);
        Assert.Equal(["regId_userA", "regId_userB"], rows.Select(r => r.InstallationId));
        Assert.Equal(new DateTime(2025, 12, 20, 18, 0, 0, DateTimeKind.Utc), rows[0].DueUtc);
        Assert.Equal("best time Sat 19:00 Europe/Paris", rows[0].Reason);
        Assert.Equal(new DateTime(2025, 12, 28, 14, 0, 0, DateTimeKind.Utc), rows[1].DueUtc);

        // two more messages of the plan, sent now: a notification to every VIP device, a data-only message to the iOS and web ones
        var notification = await kit.OkJsonAsync(await kit.PostAsync("v4/push", """
            {"to": {"tag": ["vip"]}, "body": {"platform": "all", "notification": {"alert": "Dernier jour des soldes",
             "ios": {"alert": {"title": "Soldes"}}, "web": {"title": "Soldes", "url": "https://shop.example.com/soldes"}},
             "options": {"plan_id": "promo_year_end_2025"}}}
            """));
        var message = await kit.OkJsonAsync(await kit.PostAsync("v4/push", """
            {"to": {"tag": ["vip"]}, "body": {"platform": ["ios", "web"], "message": {"msg_content": "refresh_prices", "extras": {"version": 7}},
             "options": {"plan_id": "promo_year_end_2025"}}}
            """));
        await kit.WaitForAcceptedAsync(5);
        // outcomes written before the clock jumps (a lease older than the jump would be taken back and sent again)
        await kit.Scenario.WaitForAsync(long.Parse(notification.GetProperty("msg_id").GetString()!), CampaignStatus.Completed);
        await kit.Scenario.WaitForAsync(long.Parse(message.GetProperty("msg_id").GetString()!), CampaignStatus.Completed);
        Assert.Equal(0, kit.Sandbox.State.Fcm.Recent().Count(m => m.Target == tokenA));

        kit.Clock.SetUtcNow(new DateTimeOffset(2025, 12, 20, 18, 0, 30, TimeSpan.Zero));
        await kit.WaitForAcceptedAsync(6);
        var toA = Assert.Single(kit.Sandbox.State.Fcm.Recent(), m => m.Target == tokenA);
        using (var payload = JsonDocument.Parse(toA.Payload!))
        {
            var fcm = payload.RootElement.GetProperty("message");
            Assert.Equal("Offres Exceptionnelles", fcm.GetProperty("notification").GetProperty("title").GetString());
            Assert.Equal("La vente flash est en cours ! Profitez-en maintenant !", fcm.GetProperty("notification").GetProperty("body").GetString());
            Assert.Equal("year_end_sale", fcm.GetProperty("data").GetProperty("promo").GetString());
            Assert.Equal("reminder_01", fcm.GetProperty("data").GetProperty("task").GetString());
            Assert.Equal("86400s", fcm.GetProperty("android").GetProperty("ttl").GetString());
        }
        // the apps report back: A opened it, the iPhone received the sale notification
        await kit.ReportAsync(new { installationId = "regId_userA", type = "notification_opened", deliveryId = toA.DeliveryId.ToString() });
        var iphoneDelivery = (await kit.DeliveriesAsync(long.Parse(notification.GetProperty("msg_id").GetString()!))).Single(r => r.InstallationId == "vip-iphone");
        await kit.ReportAsync(new { installationId = "vip-iphone", type = "notification_received", deliveryId = iphoneDelivery.Id.ToString() });
        await kit.WaitForStatusAsync(smartId, "regId_userA", DeliveryStatus.Sent);

        kit.Clock.SetUtcNow(new DateTimeOffset(2025, 12, 28, 14, 0, 30, TimeSpan.Zero));
        await kit.WaitForAcceptedAsync(7);
        await kit.Scenario.WaitForAsync(smartId, CampaignStatus.Completed);
        Assert.Equal(0, kit.Sandbox.State.Providers.Sum(p => p.Stats().Duplicates));

        var stats = (await kit.OkJsonAsync(await kit.Api.GetAsync("v4/push_plan/stats?plan_ids=promo_year_end_2025"))).GetProperty("plans")[0];
        Assert.Equal("promo_year_end_2025", stats.GetProperty("plan_id").GetString());
        AssertCounts(stats, targets: 7, sent: 7, received: 2, opened: 1);
        AssertCounts(stats.GetProperty("by_platform").GetProperty("android"), targets: 3, sent: 3, received: 1, opened: 1);
        AssertCounts(stats.GetProperty("by_platform").GetProperty("ios"), targets: 2, sent: 2, received: 1, opened: 0);
        AssertCounts(stats.GetProperty("by_platform").GetProperty("web"), targets: 2, sent: 2, received: 0, opened: 0);
        AssertCounts(stats.GetProperty("by_provider").GetProperty("fcm"), targets: 3, sent: 3, received: 1, opened: 1);
        AssertCounts(stats.GetProperty("by_provider").GetProperty("apns"), targets: 2, sent: 2, received: 1, opened: 0);
        AssertCounts(stats.GetProperty("by_provider").GetProperty("webpush"), targets: 2, sent: 2, received: 0, opened: 0);
        AssertCounts(stats.GetProperty("by_message_type").GetProperty("notification"), targets: 5, sent: 5, received: 2, opened: 1);
        AssertCounts(stats.GetProperty("by_message_type").GetProperty("message"), targets: 2, sent: 2, received: 0, opened: 0);

        var smart = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{smartId}"));
        Assert.Equal("completed", smart.GetProperty("status").GetString());
        Assert.Equal("promo_year_end_2025", smart.GetProperty("plan_id").GetString());
        Assert.Equal("notification", smart.GetProperty("message_type").GetString());
        AssertCounts(smart, targets: 2, sent: 2, received: 1, opened: 1);
        AssertCounts(smart.GetProperty("variants").GetProperty("A"), targets: 2, sent: 2, received: 1, opened: 1);
        Assert.Equal("message", (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{message.GetProperty("msg_id").GetString()}")))
            .GetProperty("message_type").GetString());

        var plans = (await kit.OkJsonAsync(await kit.Api.GetAsync("v4/push_plan"))).GetProperty("plans");
        Assert.Equal(3, Assert.Single(plans.EnumerateArray()).GetProperty("messages").GetInt32());
        // the schedule has fired: it can no longer be changed or cancelled
        await ServerApiKit.ProblemAsync(await kit.PutAsync($"v4/schedules/{scheduleId}", """{"name": "renamed"}"""), 409, "schedule_id");
        await ServerApiKit.ProblemAsync(await kit.Api.DeleteAsync($"v4/schedules/{scheduleId}"), 409, "schedule_id");
    }

    private static void AssertCounts(JsonElement counts, long targets, long sent, long received, long opened)
    {
        Assert.Equal(targets, counts.GetProperty("targets").GetInt64());
        Assert.Equal(sent, counts.GetProperty("sent").GetInt64());
        Assert.Equal(0, counts.GetProperty("failed").GetInt64());
        Assert.Equal(0, counts.GetProperty("invalid_token").GetInt64());
        Assert.Equal(received, counts.GetProperty("received").GetInt64());
        Assert.Equal(opened, counts.GetProperty("opened").GetInt64());
    }
}
