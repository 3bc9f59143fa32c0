using PushConsole.Devices;

namespace PushConsole.Tests.Campaigns.ServerApi;

/// <summary>One app on a fake clock (Monday 2 March 2026, 09:00 UTC) that every bad request below is refused by.</summary>
public sealed class ServerApiBadInputFixture : IAsyncLifetime
{
    public ServerApiKit Kit { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Kit = await ServerApiKit.StartAsync(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await Kit.RegisterAsync("phone", Platform.Android, tags: "vip");
        await Kit.OkJsonAsync(await Kit.PostAsync("v4/push_plan", """{"plan_id": "spring", "plan_description": "Spring sale"}"""));
    }

    public async Task DisposeAsync() => await Kit.DisposeAsync();
}

/// <summary>Each bad input is a problem+json naming the caller's own field; nothing is stored, scheduled or sent.</summary>
public sealed class BadInputTests(ServerApiBadInputFixture fixture) : IClassFixture<ServerApiBadInputFixture>
{
    private const string Note = """{"alert": "Hello"}""";

    public static TheoryData<string, string> Pushes => new()
    {
        { """{"to": {"alias": ["x"]}, "body": {"notification": NOTE}}""", "to.alias" },
        { """{"to": {"registration_id": []}, "body": {"notification": NOTE}}""", "to.registration_id" },
        { """{"to": {"tag": ["vip", ""]}, "body": {"notification": NOTE}}""", "to.tag[1]" },
        { """{"to": {}, "body": {"notification": NOTE}}""", "to" },
        { """{"to": "everyone", "body": {"notification": NOTE}}""", "to" },
        { """{"body": {"notification": NOTE}}""", "to" },
        { """{"to": {"segment": "vip-attendees"}, "body": {"notification": NOTE}}""", "to.segment" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"time_to_live": -1}}}""", "body.options.time_to_live" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"time_to_live": 2419201}}}""", "body.options.time_to_live" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"time_to_live": "86400"}}}""", "body.options.time_to_live" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"plan_id": "winter"}}}""", "body.options.plan_id" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"multi_language": {"french!": {"alert": "Salut"}}}}}""", "body.options.multi_language.french!" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"multi_language": {"fr": {"body": "Salut"}}}}}""", "body.options.multi_language.fr.body" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"priority": "urgent"}}}""", "body.options.priority" },
        { """{"to": "all", "body": {"message": {"msg_content": "sync"}, "options": {"priority": "high"}}}""", "body.options.priority" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"collapse_id": "CCC"}}}""", "body.options.collapse_id" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"throttle_per_minute": 0}}}""", "body.options.throttle_per_minute" },
        { """{"to": "all", "body": {"notification": NOTE, "options": {"apns_production": true}}}""", "body.options.apns_production" },
        { """{"to": "all", "body": {"notification": NOTE, "message": {"msg_content": "x"}}}""", "body.message" },
        { """{"to": "all", "body": {"options": {}}}""", "body.notification" },
        { """{"to": "all", "body": {"notification": {"android": {"title": "No text"}}}}""", "body.notification.alert" },
        { """{"to": "all", "body": {"platform": "windows", "notification": NOTE}}""", "body.platform" },
        { """{"to": "all", "body": {"notification": {"alert": "Hi", "web": {"url": "ftp://files.example.com"}}}}""", "body.notification.web.url" },
        { """{"to": "all", "body": {"notification": {"alert": "Hi", "android": {"extras": {"google.sent_time": "1"}}}}}""", "body.notification.android.extras.google.sent_time" },
        { """{"to": "all", "body": {"notification": NOTE}, "custom_args": {"from": "crm"}}""", "custom_args.from" },
        { """{"to": "all", "audience": "all", "body": {"notification": NOTE}}""", "audience" },
        { """{"to": "all", "body": {"notification": NOTE}, "request_id": 42}""", "request_id" },
        { """{"to": "all", "body": """, "body" },
    };

    public static TheoryData<string, string> Schedules => new()
    {
        { Schedule("""{"single": {"time": "2026-03-01 09:00:00", "zone_type": 1}}"""), "trigger.single.time" },
        { Schedule("""{"single": {"time": "2026-03-05T09:00:00Z"}}"""), "trigger.single.time" },
        { Schedule("""{"single": {"zone_type": 2}}"""), "trigger.single.time" },
        { Schedule("""{"single": {"time": "2026-03-05 09:00:00", "zone_type": 3}}"""), "trigger.single.zone_type" },
        { Schedule("""{"intelligent": {"backup_time": "28/12/2026 09:00"}}"""), "trigger.intelligent.backup_time" },
        { Schedule("""{"intelligent": {"backup_time": "2026-02-27 09:00:00"}}"""), "trigger.intelligent.backup_time" },
        { Schedule("""{"single": {"time": "2026-03-05 09:00:00"}, "intelligent": {}}"""), "trigger" },
        { Schedule("""{"periodical": {"start": "2026-03-05 09:00:00"}}"""), "trigger.periodical" },
        { Schedule("""{}"""), "trigger" },
        { Schedule("""{"single": {"time": "2026-03-05 09:00:00"}}""", to: """{"alias": ["x"]}"""), "push.to.alias" },
        { Schedule("""{"single": {"time": "2026-03-05 09:00:00"}}""", options: """{"plan_id": "winter"}"""), "push.body.options.plan_id" },
        { Schedule("""{"single": {"time": "2026-03-05 09:00:00"}}""", options: """{"time_to_live": 9999999}"""), "push.body.options.time_to_live" },
        { Schedule("""{"single": {"time": "2026-03-05 09:00:00"}}""", name: "\"\""), "name" },
        { Schedule("""{"single": {"time": "2026-03-05 09:00:00"}}""").Replace("\"enabled\": true", "\"enabled\": \"yes\""), "enabled" },
    };

    private static string Schedule(string trigger, string to = "\"all\"", string options = "{}", string name = "\"reminder\"") => $$"""
        {"name": {{name}}, "enabled": true, "trigger": {{trigger}},
         "push": {"to": {{to}}, "body": {"notification": {"alert": "See you soon"}, "options": {{options}} } } }
        """;

    [Theory, MemberData(nameof(Pushes))]
    public async Task A_bad_push_names_its_field_and_sends_nothing(string body, string field)
    {
        var kit = fixture.Kit;
        body = body.Replace("NOTE", Note).Replace("CCC", new string('c', 65));
        await ServerApiKit.ProblemAsync(await kit.PostAsync("v4/push", body), 400, field);
        Assert.Equal(0, await kit.CampaignCountAsync());
        Assert.Equal(0, kit.Sandbox.State.Providers.Sum(p => p.Stats().Requests));
    }

    [Theory, MemberData(nameof(Schedules))]
    public async Task A_bad_schedule_names_its_field_and_schedules_nothing(string body, string field)
    {
        var kit = fixture.Kit;
        await ServerApiKit.ProblemAsync(await kit.PostAsync("v4/schedules", body), 400, field);
        Assert.Equal(0, await kit.CampaignCountAsync());
        var list = await kit.OkJsonAsync(await kit.Api.GetAsync("v4/schedules"));
        Assert.Equal(0, list.GetProperty("schedules").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"plan_id": "spring"}""", 409, "plan_id")]
    [InlineData("""{"plan_id": "spring sale 2026"}""", 400, "plan_id")]
    [InlineData("""{"plan_description": "no id"}""", 400, "plan_id")]
    [InlineData("""{"plan_id": 7}""", 400, "plan_id")]
    public async Task A_bad_or_duplicate_plan_is_refused(string body, int status, string field)
    {
        await ServerApiKit.ProblemAsync(await fixture.Kit.PostAsync("v4/push_plan", body), status, field);
        var plans = await fixture.Kit.OkJsonAsync(await fixture.Kit.Api.GetAsync("v4/push_plan"));
        Assert.Equal("spring", Assert.Single(plans.GetProperty("plans").EnumerateArray()).GetProperty("plan_id").GetString());
    }

    [Theory]
    [InlineData("v4/push_plan/stats?plan_ids=spring,winter")]
    [InlineData("v4/push_plan/stats")]
    [InlineData("v4/push_plan/stats?plan_ids=,")]
    public async Task Statistics_of_unknown_or_missing_plans_name_plan_ids(string path)
    {
        var message = await ServerApiKit.ProblemAsync(await fixture.Kit.Api.GetAsync(path), 400, "plan_ids");
        if (path.Contains("winter")) Assert.Contains("\"winter\"", message);
    }
}
