using Dapper;
using Microsoft.Data.Sqlite;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Sending;
using PushConsole.Sending.Launch;
using PushConsole.Sending.Providers;

namespace PushConsole.Tests.Sending;

/// <summary>A launch batch reaches the outbox whole, through the SQLite writer's pooled UTF-8 buffer and json_each.</summary>
public sealed class DeliveryWriterTests : IAsyncLifetime
{
    private AppHost _host = default!;

    public async Task InitializeAsync() => _host = await AppHost.StartAsync(o => o.Args.Add("--Dispatch:WorkerEnabled=false"));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_batch_larger_than_its_first_buffer_is_written_row_for_row_and_a_resumed_launch_adds_nothing()
    {
        var appId = (await _host.Get<AppService>().CreateAsync(new NewApp("Writer app"), Actor.System)).App.Id;
        var campaign = await _host.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = appId, Name = "Later", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(),
            Schedule = new AtSchedule(DateTime.UtcNow.AddDays(30)),
        }, Actor.System);
        // long reasons and non-ASCII languages make the JSON outgrow the buffer sized for ordinary rows, so it is rented again
        var rows = Enumerable.Range(1, 1500).Select(i => new NewDelivery(campaign.Id, appId, 1_000_000_000_000 + i, i % 3 == 0 ? null : 7_000 + i,
            (PushProvider)(i % 3), ApnsEnvironment.Production, i % 2 == 0 ? "A" : "B", i % 5 == 0 ? "zh-Hant-TW-ç" : "fr",
            i % 4 == 0 ? DeliveryStatus.Suppressed : DeliveryStatus.Pending, i % 4 == 0 ? $"quiet_hours \"é\" {new string('x', 60)} {i}" : null,
            1_800_000_000_000 + i, 1_800_086_400_000 + i, 1_799_999_999_000)).ToList();

        var writer = _host.Get<DeliveryWriter>();
        await writer.WriteAsync(campaign.Id, rows, cursor: 1500, written: 1500, done: false, CancellationToken.None);
        await writer.WriteAsync(campaign.Id, rows, cursor: 1500, written: 1500, done: true, CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={_host.DatabaseFile}");
        var stored = (await connection.QueryAsync<(long InstallationId, long? UserId, int Provider, string Variant, string Language, int Status, string? Reason, long DueAtMs, long ExpiresAtMs, long CreatedAtMs)>(
            "SELECT installation_id, user_id, provider, variant, language, status, reason, due_at_ms, expires_at_ms, created_at_ms FROM deliveries WHERE campaign_id = @id ORDER BY installation_id",
            new { id = campaign.Id })).ToList();
        Assert.Equal(rows.Count, stored.Count);
        Assert.Equal(
            rows.Select(r => (r.InstallationId, r.UserId, (int)r.Provider, r.Variant, r.Language, (int)r.Status, r.Reason, r.DueAtMs, r.ExpiresAtMs, r.CreatedAtMs)),
            stored);
        Assert.Equal((1500L, 1500L, true), await connection.QuerySingleAsync<(long, long, bool)>(
            "SELECT launch_cursor, audience_size, launch_done FROM campaigns WHERE id = @id", new { id = campaign.Id }));
    }
}
