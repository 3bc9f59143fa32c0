using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PushConsole.Devices;
using PushConsole.Sending;
using PushConsole.Tests.Campaigns.ServerApi;

namespace PushConsole.Tests.Campaigns.Interactive;

/// <summary>Clicks, influenced opens and conversions on a fake clock, read back through <c>GET /v4/messages/{id}</c> (SQLite and PostgreSQL).</summary>
[Collection(PostgresCollection.Name)]
public sealed class EngagementTests(PostgresCluster postgres)
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private const string Push = """
        {"to": "all",
         "body": {"notification": {"alert": "Keynote in Hall B", "actions": [{"id": "going", "title": "I'm going"}, {"id": "skip", "title": "Skip"}]},
                  "options": {"conversion": {"event": "profile_shared", "within_seconds": 3600}}}}
        """;

    private static string At(TimeSpan after) => (Monday + after).ToString("O", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Clicks_influenced_opens_and_conversions_count_inside_their_windows_only(bool onPostgres)
    {
        var connectionString = onPostgres ? await postgres.CreateDatabaseAsync() : null;
        await using var kit = await ServerApiKit.StartAsync(Monday, o => o.PostgresConnectionString = connectionString);
        foreach (var n in new[] { "influenced", "too-late", "opener", "clicker", "converter", "late-converter" })
            await kit.RegisterAsync(n, Platform.Android, userId: "user-" + n);
        var id = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", Push))).GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);
        var deliveries = (await kit.DeliveriesAsync(id)).ToDictionary(d => d.InstallationId, d => d.Id.ToString(CultureInfo.InvariantCulture));
        kit.Clock.Advance(TimeSpan.FromHours(3));

        await kit.ReportAsync(
            // a session 10 minutes after the push, no direct open: influenced; 45 minutes after: outside the 30-minute window
            new { installationId = "influenced", type = "session_start", at = At(TimeSpan.FromMinutes(10)) },
            new { installationId = "too-late", type = "session_start", at = At(TimeSpan.FromMinutes(45)) },
            // opened directly: an open, not an influenced one
            new { installationId = "opener", type = "notification_opened", deliveryId = deliveries["opener"], at = At(TimeSpan.FromMinutes(5)) },
            new { installationId = "opener", type = "session_start", at = At(TimeSpan.FromMinutes(5)) },
            // a tap on a button: a click (and an open and a receipt)
            new { installationId = "clicker", type = "notification_clicked", deliveryId = deliveries["clicker"], actionId = "going", at = At(TimeSpan.FromMinutes(2)) },
            // the goal within the hour converts; after it does not
            new { installationId = "converter", type = "custom", name = "profile_shared", at = At(TimeSpan.FromMinutes(50)) },
            new { installationId = "late-converter", type = "custom", name = "profile_shared", at = At(TimeSpan.FromMinutes(61)) },
            new { installationId = "influenced", type = "custom", name = "something_else", at = At(TimeSpan.FromMinutes(20)) });

        // a click on a button the push did not carry and one on an unknown push are reported; the request's other events are stored
        var response = await kit.Device.PostAsJsonAsync("api/v1/events", new object[]
        {
            new { installationId = "too-late", type = "notification_clicked", deliveryId = deliveries["too-late"], actionId = "maybe", at = At(TimeSpan.FromMinutes(3)) },
            new { installationId = "converter", type = "notification_clicked", deliveryId = deliveries["converter"], at = At(TimeSpan.FromMinutes(4)) },
            new { installationId = "opener", type = "notification_clicked", deliveryId = deliveries["clicker"], at = At(TimeSpan.FromMinutes(4)) },
        });
        Assert.Equal(400, (int)response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("going, skip", errors.GetProperty("[0].actionId")[0].GetString());
        Assert.True(errors.TryGetProperty("[2].deliveryId", out _));
        Assert.False(errors.TryGetProperty("[1].deliveryId", out _));

        var view = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"));
        Assert.Equal(6, view.GetProperty("sent").GetInt64());
        Assert.Equal(2, view.GetProperty("clicked").GetInt64());
        Assert.Equal(1, view.GetProperty("clicked_by_action").GetProperty("going").GetInt64());
        Assert.False(view.GetProperty("clicked_by_action").TryGetProperty("maybe", out _));
        Assert.Equal(3, view.GetProperty("opened").GetInt64());
        Assert.Equal(3, view.GetProperty("delivered").GetInt64());
        Assert.Equal(2.0 / 3, view.GetProperty("ctr").GetDouble(), 6);
        Assert.Equal(1, view.GetProperty("influenced_opens").GetInt64());
        Assert.Equal(1, view.GetProperty("conversions").GetInt64());
        Assert.Equal(2, view.GetProperty("variants").GetProperty("A").GetProperty("clicked").GetInt64());
        Assert.Equal(1, view.GetProperty("by_platform").GetProperty("android").GetProperty("conversions").GetInt64());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Clicks_influenced_opens_and_conversions_survive_the_purge_of_old_deliveries(bool onPostgres)
    {
        var connectionString = onPostgres ? await postgres.CreateDatabaseAsync() : null;
        await using var kit = await ServerApiKit.StartAsync(Monday, o => o.PostgresConnectionString = connectionString);
        foreach (var n in new[] { "influenced", "clicker", "tapper", "converter", "idle" })
            await kit.RegisterAsync(n, Platform.Android, userId: "user-" + n);
        var id = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", Push))).GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);
        var deliveries = (await kit.DeliveriesAsync(id)).ToDictionary(d => d.InstallationId, d => d.Id.ToString(CultureInfo.InvariantCulture));
        kit.Clock.Advance(TimeSpan.FromHours(3));
        await kit.ReportAsync(
            new { installationId = "influenced", type = "session_start", at = At(TimeSpan.FromMinutes(10)) },
            new { installationId = "clicker", type = "notification_clicked", deliveryId = deliveries["clicker"], actionId = "going", at = At(TimeSpan.FromMinutes(2)) },
            new { installationId = "tapper", type = "notification_clicked", deliveryId = deliveries["tapper"], at = At(TimeSpan.FromMinutes(2)) },
            new { installationId = "converter", type = "custom", name = "profile_shared", at = At(TimeSpan.FromMinutes(50)) });

        static string Figures(JsonElement v) => string.Join(", ", new[] { "sent", "delivered", "opened", "clicked", "influenced_opens", "conversions" }
            .Select(f => $"{f}={v.GetProperty(f).GetInt64()}")) + $", going={v.GetProperty("clicked_by_action").GetProperty("going").GetInt64()}, ctr={v.GetProperty("ctr").GetDouble():F4}";
        var before = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"));
        Assert.Equal("sent=5, delivered=2, opened=2, clicked=2, influenced_opens=1, conversions=1, going=1, ctr=1.0000", Figures(before));

        kit.Clock.Advance(TimeSpan.FromDays(200));
        var purged = await kit.Host.Get<PushConsole.Consent.RetentionService>().PurgeAsync();
        Assert.Equal(5, purged.Deliveries);
        Assert.Empty(await kit.DeliveriesAsync(id));
        var after = await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"));
        Assert.Equal(Figures(before), Figures(after));
        Assert.Equal(1, after.GetProperty("variants").GetProperty("A").GetProperty("conversions").GetInt64());
    }

    [Fact]
    public async Task A_wider_influence_window_counts_a_later_session()
    {
        await using var kit = await ServerApiKit.StartAsync(Monday, o => o.Args.Add("--Engagement:InfluenceWindow=01:00:00"));
        await kit.RegisterAsync("phone", Platform.Android);
        var id = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", Push))).GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);
        kit.Clock.Advance(TimeSpan.FromHours(1));
        await kit.ReportAsync(new { installationId = "phone", type = "session_start", at = At(TimeSpan.FromMinutes(45)) });
        Assert.Equal(1, (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"))).GetProperty("influenced_opens").GetInt64());
    }
}
