using System.Globalization;
using Dapper;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.AbTest;
using PushConsole.Data;
using PushConsole.Sending;
using PushConsole.Tests.Campaigns.ServerApi;

namespace PushConsole.Tests.Campaigns.Interactive;

/// <summary>
/// On a fake clock: influenced opens counted from the push's receipt (else its send), and the control group's own figures
/// that a variant's lift is measured against (SQLite and PostgreSQL).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReceiptAndControlTests(PostgresCluster postgres)
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static string At(DateTimeOffset from, TimeSpan after) => (from + after).ToString("O", CultureInfo.InvariantCulture);

    private static async Task<Dictionary<string, long?>> InfluencedAsync(ServerApiKit kit, long campaignId)
    {
        await using var connection = await kit.Host.Get<Database>().OpenAsync();
        var rows = await connection.QueryAsync<(string Installation, long? InfluencedAtMs)>(
            "SELECT i.external_id, d.influenced_at_ms FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE d.campaign_id = @campaignId",
            new { campaignId });
        return rows.ToDictionary(r => r.Installation, r => r.InfluencedAtMs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Influenced_opens_count_from_the_receipt_when_there_is_one_else_from_the_send(bool onPostgres)
    {
        var connectionString = onPostgres ? await postgres.CreateDatabaseAsync() : null;
        await using var kit = await ServerApiKit.StartAsync(Monday, o => o.PostgresConnectionString = connectionString);
        foreach (var n in new[] { "late-receipt", "before-receipt", "after-window", "no-receipt", "no-receipt-late" })
            await kit.RegisterAsync(n, PushConsole.Shared.Platform.Android);
        var id = long.Parse((await kit.OkJsonAsync(await kit.PostAsync("v4/push", """{"to": "all", "body": {"notification": {"alert": "Doors open"}}}"""))).GetProperty("msg_id").GetString()!);
        await kit.Scenario.WaitForAsync(id, CampaignStatus.Completed);
        var deliveries = (await kit.DeliveriesAsync(id)).ToDictionary(d => d.InstallationId, d => d.Id.ToString(CultureInfo.InvariantCulture));
        kit.Clock.Advance(TimeSpan.FromHours(3));
        object Receipt(string device, int minutes) =>
            new { installationId = device, type = "notification_received", deliveryId = deliveries[device], at = At(Monday, TimeSpan.FromMinutes(minutes)) };
        object Session(string device, int minutes) => new { installationId = device, type = "session_start", at = At(Monday, TimeSpan.FromMinutes(minutes)) };

        await kit.ReportAsync(
            // the phone was off: the push arrived 40 minutes after the send, the session 20 minutes after that — inside the window from the receipt
            Receipt("late-receipt", 40), Session("late-receipt", 60),
            // a session before the push arrived was not influenced by it, although it is within 30 minutes of the send
            Receipt("before-receipt", 40), Session("before-receipt", 20),
            // 35 minutes after the receipt: outside
            Receipt("after-window", 5), Session("after-window", 40),
            // no receipt reported: the window opens at the send
            Session("no-receipt", 10), Session("no-receipt-late", 45));

        var influenced = await InfluencedAsync(kit, id);
        Assert.Equal(Monday.AddMinutes(60).ToUnixTimeMilliseconds(), influenced["late-receipt"]);
        Assert.Null(influenced["before-receipt"]);
        Assert.Null(influenced["after-window"]);
        Assert.Equal(Monday.AddMinutes(10).ToUnixTimeMilliseconds(), influenced["no-receipt"]);
        Assert.Null(influenced["no-receipt-late"]);
        Assert.Equal(2, (await kit.OkJsonAsync(await kit.Api.GetAsync($"v4/messages/{id}"))).GetProperty("influenced_opens").GetInt64());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_control_group_counts_app_opens_and_conversions_within_their_windows_and_each_variant_gets_its_lift_over_it(bool onPostgres)
    {
        var connectionString = onPostgres ? await postgres.CreateDatabaseAsync() : null;
        await using var kit = await ServerApiKit.StartAsync(Monday, o => o.PostgresConnectionString = connectionString);
        for (var n = 0; n < 24; n++) await kit.RegisterAsync($"d{n:00}", PushConsole.Shared.Platform.Android);
        var campaign = await kit.Host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = kit.AppId, Name = "Keynote with a control group", Audience = AudienceSpec.Everyone,
            Options = new DeliveryOptions { Conversion = new ConversionGoal { Event = "profile_shared", WithinSeconds = 3600 } },
            Message = new CampaignMessage
            {
                DefaultLanguage = "en",
                Variants =
                [
                    new CampaignVariant { Key = "A", Weight = 50, Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = "Keynote at 10:30" } } },
                    new CampaignVariant { Key = "control", Name = "Control group", Weight = 50, IsControl = true },
                ],
            },
        }, Actor.System);
        await kit.Scenario.WaitForAsync(campaign.Id, CampaignStatus.Completed);
        var rows = await kit.DeliveriesAsync(campaign.Id);
        var control = rows.Where(r => r.Variant == "control").ToList();
        var sent = rows.Where(r => r.Variant == "A").ToList();
        Assert.True(control.Count >= 3 && sent.Count >= 2, $"{control.Count} in control, {sent.Count} in A");
        Assert.All(control, r => Assert.Equal(DeliveryStatus.Suppressed, r.Status));
        kit.Clock.Advance(TimeSpan.FromHours(3));

        var due = new DateTimeOffset(control[0].DueUtc);
        await kit.ReportAsync(
            // inside: a session 10 minutes and the goal 50 minutes after the time the push would have come
            new { installationId = control[0].InstallationId, type = "session_start", at = At(due, TimeSpan.FromMinutes(10)) },
            new { installationId = control[0].InstallationId, type = "custom", name = "profile_shared", at = At(due, TimeSpan.FromMinutes(50)) },
            // outside: 45 minutes (influence window 30) and 61 minutes (goal window 60); before the send time does not count either
            new { installationId = control[1].InstallationId, type = "session_start", at = At(due, TimeSpan.FromMinutes(45)) },
            new { installationId = control[1].InstallationId, type = "custom", name = "profile_shared", at = At(due, TimeSpan.FromMinutes(61)) },
            new { installationId = control[2].InstallationId, type = "session_start", at = At(due, TimeSpan.FromMinutes(-5)) },
            new { installationId = control[2].InstallationId, type = "custom", name = "something_else", at = At(due, TimeSpan.FromMinutes(5)) },
            // one of A opened it directly
            new { installationId = sent[0].InstallationId, type = "notification_opened", deliveryId = sent[0].Id.ToString(CultureInfo.InvariantCulture), at = At(due, TimeSpan.FromMinutes(2)) });

        var results = await kit.Host.Get<AbTestService>().ResultsAsync(campaign);
        var baseline = Assert.Single(results, r => r.IsControl);
        var a = Assert.Single(results, r => r.Key == "A");
        Assert.Equal(((long)control.Count, (long?)1, 1L), (baseline.Recipients, baseline.AppOpened, baseline.Converted));
        Assert.Equal((1L, (long)control.Count), baseline.Counts(WinnerMetric.OpenRate));
        Assert.Equal((1L, (long)control.Count), baseline.Counts(WinnerMetric.ConversionRate));
        Assert.NotNull(baseline.Interval(WinnerMetric.OpenRate));

        var lift = WinnerSelection.Lift(a, baseline, WinnerMetric.OpenRate)!;
        var expected = (1.0 / sent.Count - 1.0 / control.Count) * 100;
        Assert.Equal(expected, lift.Points, 6);
        Assert.Equal((1.0 / sent.Count) / (1.0 / control.Count), lift.Ratio!.Value, 6);
        // nobody in A converted: the lift on conversions is the control's rate below zero
        Assert.Equal(-100.0 / control.Count, WinnerSelection.Lift(a, baseline, WinnerMetric.ConversionRate)!.Points, 6);
        Assert.Null(WinnerSelection.Lift(baseline, baseline, WinnerMetric.OpenRate));
    }
}
