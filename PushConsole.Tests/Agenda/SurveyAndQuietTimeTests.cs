using Dapper;
using PushConsole.Agenda;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Sending;

namespace PushConsole.Tests.Agenda;

public sealed class SurveyAndQuietTimeTests
{
    private static readonly DateTimeOffset Morning = new(2026, 6, 12, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTime Ten = new(2026, 6, 12, 10, 0, 0);

    [Fact]
    public async Task The_survey_goes_after_the_end_to_those_checked_in_only_and_once()
    {
        await using var w = await AgendaWorld.StartAsync(Morning, survey: true);
        var ada = await w.AttendeeAsync("ada");
        var bob = await w.AttendeeAsync("bob");
        var keynote = await w.SessionAsync("keynote", "Keynote", Ten, minutes: 45);
        await w.CheckInAsync("ada", "keynote");
        await w.FavoriteAsync("bob", "keynote");
        // the session ends 10:45 Paris = 08:45 UTC; the survey leaves 10 minutes later
        var planned = Assert.Single(await w.Get<AgendaQueries>().PlannedAsync(keynote.Id));
        Assert.Equal((AgendaPushKind.Survey, new DateTime(2026, 6, 12, 8, 55, 0)), (planned.Kind, planned.FiresAt));

        w.AdvanceTo(new DateTime(2026, 6, 12, 8, 50, 0));
        await Task.Delay(1500);
        Assert.Empty(await w.AgendaCampaignsAsync());
        w.AdvanceTo(new DateTime(2026, 6, 12, 8, 55, 1));
        var survey = await w.WaitForAgendaCampaignAsync();

        Assert.Equal(("Survey · Keynote", "session:keynote:survey", 1L), (survey.Name, survey.OriginRef, survey.AudienceSize));
        var message = Assert.Single(w.MessagesTo(ada));
        Assert.Equal("How was Keynote?", AgendaWorld.Shown(message).Title);
        Assert.Contains("https://survey.example.com/s/keynote", message.Payload);
        Assert.Empty(w.MessagesTo(bob));
        // a second firing (a misfire, a restart) sends nothing more
        Assert.Null(await w.Get<AgendaPushes>().SendSurveyAsync(keynote.Id, long.Parse(AgendaScheduler.Unix(keynote.EndsAt))));
        Assert.Single(await w.AgendaCampaignsAsync());
    }

    [Fact]
    public async Task Quiet_time_holds_a_networking_push_while_a_favourited_session_runs_and_releases_it_after()
    {
        // 10:10 in Paris, during the keynote (10:00–10:45)
        await using var w = await AgendaWorld.StartAsync(new DateTimeOffset(2026, 6, 12, 8, 10, 0, TimeSpan.Zero), quietTime: true);
        var listener = await w.AttendeeAsync("ada");
        var other = await w.AttendeeAsync("bob");
        await w.SessionAsync("keynote", "Keynote", Ten, minutes: 45);
        await w.FavoriteAsync("ada", "keynote");

        // networking: on by default for everyone (marketing is opt-in, and bob never opted in)
        var marketing = await w.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = w.AppId, Name = "Sponsor booth", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message("Visit booth 12", "Free coffee"),
            Options = new DeliveryOptions { Category = "networking" },
        }, AgendaWorld.Organizer);
        var safety = await w.Get<CampaignService>().CreateAsync(new CampaignDraft
        {
            AppId = w.AppId, Name = "Fire drill", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message("Fire drill at 11:00", "Nothing to do"),
            Options = new DeliveryOptions { Category = "safety" },
        }, AgendaWorld.Organizer);
        await w.S.WaitForAsync(safety.Id, CampaignStatus.Completed);
        await WaitUntilAsync(() => w.MessagesTo(other).Count == 2);

        // bob got both at once; ada, in the keynote, only the safety message; the marketing push waits for the end
        Assert.Equal(["Fire drill at 11:00"], w.MessagesTo(listener).Select(m => AgendaWorld.Shown(m).Title));
        await using (var connection = await w.Get<Database>().OpenAsync())
        {
            var held = await connection.QuerySingleAsync<(long Due, string Reason, int Status)>(
                "SELECT d.due_at_ms, d.reason, d.status FROM deliveries d JOIN installations i ON i.id = d.installation_id WHERE d.campaign_id = @id AND i.external_id = @ext",
                new { id = marketing.Id, ext = listener.InstallationId });
            Assert.Equal((new DateTimeOffset(2026, 6, 12, 8, 45, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), AgendaQuietTime.Reason, (int)DeliveryStatus.Pending), held);
        }
        await Task.Delay(1000);
        Assert.Single(w.MessagesTo(listener));

        w.AdvanceTo(new DateTime(2026, 6, 12, 8, 45, 1));
        await w.S.WaitForAsync(marketing.Id, CampaignStatus.Completed);
        Assert.Equal(["Fire drill at 11:00", "Visit booth 12"], w.MessagesTo(listener).Select(m => AgendaWorld.Shown(m).Title));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition did not become true.");
            await Task.Delay(50);
        }
    }
}
