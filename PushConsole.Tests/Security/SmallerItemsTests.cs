using PushConsole.Sending;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Tests.Devices;

namespace PushConsole.Tests.Security;

/// <summary>Issue 15 item 9, the smaller ones: event delivery ids, schedule horizon, throttle on a finished message, GET /api/v1/app rate limit.</summary>
public sealed class SmallerItemsTests(SecurityKit kit) : IClassFixture<SecurityKit>
{
    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("12 34")]
    public async Task An_event_whose_deliveryId_is_no_delivery_id_is_a_400(string deliveryId)
    {
        await kit.Devices.RegisterAndroidAsync("events-phone", DeviceKit.FcmToken("events-phone"));
        var body = JsonSerializer.Serialize(new { installationId = "events-phone", type = "notification_opened", deliveryId });
        await SecurityKit.FieldProblemAsync(await kit.Device.SendAsync(SecurityKit.Json(HttpMethod.Post, "api/v1/events", body)), "deliveryId");
    }

    [Theory]
    [InlineData("""{"single": {"time": "9999-12-31 09:00:00", "zone_type": 1}}""", "trigger.single.time")]
    [InlineData("""{"single": {"time": "2099-01-01 09:00:00", "zone_type": 2}}""", "trigger.single.time")]
    [InlineData("""{"intelligent": {"backup_time": "2199-01-01 09:00:00"}}""", "trigger.intelligent.backup_time")]
    public async Task A_schedule_further_ahead_than_a_year_is_a_400(string trigger, string field)
    {
        var body = """{"name": "far", "enabled": true, "trigger": TRIGGER, "push": {"to": "all", "body": {"notification": {"alert": "Hi"}}}}""".Replace("TRIGGER", trigger);
        await SecurityKit.FieldProblemAsync(await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/schedules", body)), field);
    }

    [Fact]
    public async Task Throttling_a_completed_message_is_a_409()
    {
        var push = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Post, "v4/push", """{"to": {"registration_id": ["nobody-here"]}, "body": {"notification": {"alert": "Hi"}}}"""));
        var id = JsonDocument.Parse(await push.Content.ReadAsStringAsync()).RootElement.GetProperty("msg_id").ToString();
        await using (var db = await kit.Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var campaign = await db.Set<Campaign>().SingleAsync(c => c.Id == long.Parse(id));
            campaign.Status = CampaignStatus.Completed;
            await db.SaveChangesAsync();
        }
        var response = await kit.Server.SendAsync(SecurityKit.Json(HttpMethod.Put, $"v4/messages/{id}/throttle", """{"throttlePerMinute": 60}"""));
        await SecurityKit.ProblemAsync(response, 409);
    }

    [Fact]
    public async Task GET_api_v1_app_is_rate_limited_like_the_rest_of_the_client_api()
    {
        await using var host = await AppHost.StartAsync(o => o.Args.Add("--ClientApi:RequestsPerSecondPerAddress=3"));
        using var devices = await DeviceKit.CreateAsync(host);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) statuses.Add((await devices.Client.GetAsync("api/v1/app")).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
