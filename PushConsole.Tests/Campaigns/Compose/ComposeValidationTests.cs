using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Compose;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns.Compose;

/// <summary>Compose, the server API and agenda pushes check a campaign draft with one validator, and the page shows each of its keys.</summary>
public sealed class ComposeValidationTests : IAsyncLifetime
{
    private readonly Actor _organizer = new("organizer@example.com");
    private DispatchScenario _s = default!;

    public async Task InitializeAsync()
    {
        _s = await DispatchScenario.StartAsync();
        await _s.RegisterAsync(android: 2);
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private ComposeForm Form()
    {
        var form = new ComposeForm { AppId = _s.App.Id, Name = "Closing party" };
        form.Variants[0].For("en").Title = "Closing party tonight";
        form.Variants[0].For("en").Body = "Rooftop, from 19:00";
        return form;
    }

    private async Task<IReadOnlyDictionary<string, string[]>> ServiceErrorsAsync(CampaignDraft draft) =>
        (await Assert.ThrowsAsync<BadInputException>(() => _s.Host.Get<CampaignService>().CreateAsync(draft, _organizer))).Errors;

    [Fact]
    public async Task A_category_the_consent_catalogue_lacks_is_refused_by_the_compose_check_as_by_send_and_the_form_shows_it()
    {
        var form = Form();
        // compose suggests "announcements"; this app's catalogue does not define it
        form.Category = "announcements";
        var check = await _s.Host.Get<ComposeService>().CheckAsync(form, _organizer.Name);
        Assert.False(check.Ok, "the check passed a category that sending refuses");
        Assert.Equal(["options.category"], check.Errors.Keys);
        Assert.Equal(check.Errors.Keys, (await ServiceErrorsAsync(form.ToDraft(_s.App.Id, _organizer.Name))).Keys);
        Assert.Equal("options.category", ComposeFields.FieldFor("options.category"));
        Assert.Empty(await _s.Host.Get<CampaignQueries>().ListAsync(null));
    }

    [Fact]
    public async Task A_deleted_segment_has_one_key_in_compose_and_in_the_server_path_and_a_place_on_the_form()
    {
        var form = Form();
        form.Audience.Kind = AudienceKind.Segment;
        form.Audience.SegmentId = 987_654;
        var check = await _s.Host.Get<ComposeService>().CheckAsync(form, _organizer.Name);
        var service = await ServiceErrorsAsync(form.ToDraft(_s.App.Id, _organizer.Name));
        Assert.Equal(["audience.segment"], service.Keys);
        Assert.Equal(service.Keys, check.Errors.Keys);
        Assert.Equal("audience", ComposeFields.FieldFor("audience.segment"));
    }

    private CampaignDraft Draft(Func<CampaignDraft, CampaignDraft> change) => change(new CampaignDraft
    {
        AppId = _s.App.Id, Name = "Keys", Audience = AudienceSpec.Everyone, Message = DispatchScenario.Message(),
    });

    private static CampaignVariant Variant(string key, LocalizedContent content, PlatformOverrides? overrides = null, int weight = 100) =>
        new() { Key = key, Weight = weight, Content = new Dictionary<string, LocalizedContent> { ["en"] = content }, Overrides = overrides };

    [Fact]
    public async Task Every_key_the_draft_check_produces_has_a_place_on_the_compose_form()
    {
        var now = DateTime.UtcNow;
        var reserved = new Dictionary<string, string> { ["from"] = "x" };
        var drafts = new[]
        {
            Draft(d => d with { Name = null, Audience = new AudienceSpec(), Message = new CampaignMessage { DefaultLanguage = "??", Variants = [] } }),
            Draft(d => d with { Audience = new AudienceSpec { InstallationIds = [.. Enumerable.Range(0, 10_001).Select(i => $"i{i}")] } }),
            Draft(d => d with
            {
                Message = new CampaignMessage
                {
                    DefaultLanguage = "fr",
                    Variants =
                    [
                        Variant("A", new LocalizedContent { Title = "{time:nonsense}", ImageUrl = "http://x", Link = new string('x', 2001), Data = reserved },
                            new PlatformOverrides { Android = new AndroidOverrides { Data = reserved }, Web = new WebOverrides { Url = "ftp://x", Icon = "ftp://x" } }, 50),
                        Variant("B", new LocalizedContent { Body = "b" }, weight: 50) with
                        {
                            Content = new Dictionary<string, LocalizedContent> { ["fr"] = new() { Body = "b" }, ["not a tag"] = new() { Body = "b" } },
                        },
                    ],
                    Winner = new WinnerRule { Mode = WinnerMode.Automatic, TestPercent = 0, WaitMinutes = 0, DefaultVariant = "Z", ChosenVariant = "Y" },
                },
                Schedule = new LocalTimeSchedule(now.AddDays(1)),
                Options = new DeliveryOptions { TtlSeconds = -1, Category = "not a key!", CollapseId = new string('c', 65), CustomData = reserved },
                ThrottlePerMinute = 0,
            }),
            Draft(d => d with { Message = d.Message with { Variants = [Variant("A", new LocalizedContent())] } }),
            Draft(d => d with { Message = d.Message with { Winner = new WinnerRule() } }),
            Draft(d => d with { Options = new DeliveryOptions { PushType = PushConsole.Sending.Providers.PushType.Background, Priority = PushConsole.Sending.Providers.PushPriority.High } }),
            Draft(d => d with { Schedule = new AtSchedule(now.AddDays(-1)) }),
            Draft(d => d with { Schedule = new LocalTimeSchedule(now.AddDays(-2)) }),
            Draft(d => d with { Schedule = new BestTimeSchedule(now.AddDays(-2)) }),
            Draft(d => d with { PlanKey = "no-such-plan", Audience = new AudienceSpec { SegmentId = 987_654 }, Options = new DeliveryOptions { Category = "announcements" } }),
        };
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            var errors = new FieldErrors();
            Assert.Null(await _s.Host.Get<CampaignDraftValidator>().CheckAsync(draft, errors));
            keys.UnionWith(errors.ToDictionary().Keys);
        }

        // the battery reaches every kind of key the check has (so a key left out of the form cannot hide here)
        string[] expected =
        [
            "name", "audience", "audience.segment", "planId", "message.defaultLanguage", "message.variants",
            "message.variants[0].content.fr", "message.variants[0].content.en.title", "message.variants[0].content.en.imageUrl",
            "message.variants[0].content.en.link", "message.variants[0].content.en.data.from", "message.variants[0].content.en.body",
            "message.variants[1].content.not a tag", "message.variants[0].overrides.android.data.from",
            "message.variants[0].overrides.web.url", "message.variants[0].overrides.web.icon",
            "message.winner", "message.winner.testPercent", "message.winner.waitMinutes", "message.winner.defaultVariant",
            "message.winner.chosenVariant", "message.winner.mode",
            "options.ttlSeconds", "options.category", "options.collapseId", "options.priority", "options.customData.from", "throttlePerMinute",
            "schedule.at", "schedule.localTime", "schedule.backupTime",
        ];
        Assert.Empty(expected.Except(keys));
        Assert.All(keys, key => Assert.True(ComposeFields.FieldFor(key) is { } field && ComposeFields.IsShown(field),
            $"\"{key}\" has no place on the compose form"));
        // a page showing errors through the map has every message beside a field it renders
        var placed = ComposeFields.Place(keys.ToDictionary(k => k, k => new[] { k }));
        Assert.Equal(keys.Count, placed.Values.Sum(v => v.Length));
    }
}
