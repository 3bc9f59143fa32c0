using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Tests.Campaigns;

public sealed class CampaignValidationTests : IAsyncLifetime
{
    private DispatchScenario _s = default!;

    public async Task InitializeAsync() => _s = await DispatchScenario.StartAsync(o => o.Args.Add("--Dispatch:WorkerEnabled=false"));

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private CampaignDraft Draft(CampaignMessage? message = null, DeliveryOptions? options = null, AudienceSpec? audience = null,
        CampaignSchedule? schedule = null, string? name = "Valid", string? plan = null, int? throttle = null) => new()
    {
        AppId = _s.App.Id, Name = name, Audience = audience ?? AudienceSpec.Everyone, Message = message ?? DispatchScenario.Message(),
        Options = options ?? new DeliveryOptions(), Schedule = schedule ?? CampaignSchedule.Immediately, PlanKey = plan, ThrottlePerMinute = throttle,
    };

    private static CampaignMessage Variants(params (string Key, int Weight)[] variants) => new()
    {
        DefaultLanguage = "en",
        Variants = variants.Select(v => new CampaignVariant
        {
            Key = v.Key, Weight = v.Weight, Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = $"Variant {v.Key}" } },
        }).ToList(),
    };

    public static TheoryData<string, string> Cases() => new()
    {
        { "name", "name" },
        { "audience", "audience" },
        { "weights", "message.variants" },
        { "default-language", "message.variants[0].content.en" },
        { "ttl", "options.ttlSeconds" },
        { "collapse", "options.collapseId" },
        { "reserved", "message.variants[0].content.en.data.google.sender" },
        { "image", "message.variants[0].content.en.imageUrl" },
        { "background-high", "options.priority" },
        { "plan", "planId" },
        { "past", "schedule.at" },
        { "throttle", "throttlePerMinute" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_campaigns_are_refused_naming_the_field_and_nothing_is_stored(string @case, string field)
    {
        var fr = new CampaignMessage
        {
            DefaultLanguage = "en",
            Variants = [new CampaignVariant { Key = "A", Content = new Dictionary<string, LocalizedContent> { ["fr"] = new() { Title = "Bonjour" } } }],
        };
        var withData = new CampaignMessage
        {
            DefaultLanguage = "en",
            Variants = [new CampaignVariant { Key = "A", Content = new Dictionary<string, LocalizedContent>
            {
                ["en"] = new() { Title = "Hi", Data = new Dictionary<string, string> { ["google.sender"] = "x" } },
            } }],
        };
        var withImage = new CampaignMessage
        {
            DefaultLanguage = "en",
            Variants = [new CampaignVariant { Key = "A", Content = new Dictionary<string, LocalizedContent> { ["en"] = new() { Title = "Hi", ImageUrl = "http://example.com/a.png" } } }],
        };
        var draft = @case switch
        {
            "name" => Draft(name: " "),
            "audience" => Draft(audience: new AudienceSpec()),
            "weights" => Draft(Variants(("A", 50), ("B", 40))),
            "default-language" => Draft(fr),
            "ttl" => Draft(options: new DeliveryOptions { TtlSeconds = DeliveryOptions.MaxTtlSeconds + 1 }),
            "collapse" => Draft(options: new DeliveryOptions { CollapseId = new string('é', 40) }),
            "reserved" => Draft(withData),
            "image" => Draft(withImage),
            "background-high" => Draft(options: new DeliveryOptions { PushType = PushType.Background, Priority = PushPriority.High }),
            "plan" => Draft(plan: "no_such_plan"),
            "past" => Draft(schedule: new AtSchedule(DateTime.UtcNow.AddHours(-2))),
            "throttle" => Draft(throttle: 0),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        var error = await Assert.ThrowsAsync<BadInputException>(() => _s.Host.Get<CampaignService>().CreateAsync(draft, Actor.System));

        Assert.Contains(field, error.Errors.Keys);
        Assert.Empty(await _s.Host.Get<CampaignQueries>().ListAsync(null));
    }

    [Fact]
    public async Task A_scheduled_campaign_can_be_edited_and_cancelled_until_it_starts()
    {
        var service = _s.Host.Get<CampaignService>();
        var at = DateTime.UtcNow.AddHours(3);
        var campaign = await service.CreateAsync(Draft(schedule: new AtSchedule(at)), Actor.System);
        Assert.Equal(CampaignStatus.Scheduled, campaign.Status);

        var edited = await service.UpdateAsync(campaign.Id, Draft(name: "Renamed", schedule: new AtSchedule(at.AddHours(1))), Actor.System);
        Assert.Equal(("Renamed", CampaignStatus.Scheduled), (edited.Name, edited.Status));
        Assert.Equal(at.AddHours(1), edited.LaunchAt!.Value, TimeSpan.FromSeconds(1));

        await _s.Host.Get<CampaignControl>().CancelAsync(campaign.Id, null, Actor.System);
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => service.UpdateAsync(campaign.Id, Draft(), Actor.System));
        Assert.Contains("cancelled", conflict.Message);
        var scheduler = await _s.Host.Get<Quartz.ISchedulerFactory>().GetScheduler();
        Assert.Null(await scheduler.GetJobDetail(CampaignScheduler.JobKeyFor(campaign.Id)));
    }
}
