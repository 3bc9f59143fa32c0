using PushConsole.Audit;
using PushConsole.Campaigns;
using PushConsole.Campaigns.Interactive;
using PushConsole.Sending;
using PushConsole.Sending.Launch;

namespace PushConsole.Demo;

/// <summary>The SESSION_INVITE iOS category, and a push with its buttons and a conversion goal, sent with the demo's campaigns; the simulated attendees tap its buttons.</summary>
public static class DemoInteractive
{
    public static async Task SeedAsync(CampaignService campaigns, IosCategories categories, long appId, CancellationToken ct)
    {
        // the category the event app registers for invitations; the push below names it for iOS
        await categories.SaveAsync(appId, null, new IosCategoryRequest("SESSION_INVITE",
            [new IosCategoryActionRequest("going", "I'm going"), new IosCategoryActionRequest("skip", "Not this time")]), Actor.Cli, ct);
        static LocalizedContent C(string title, string body, string going, string skip) => new()
        {
            Title = title, Body = body, Link = "devsummit://agenda/keynote-day1",
            ActionTitles = new Dictionary<string, string> { ["going"] = going, ["skip"] = skip },
        };
        await campaigns.CreateAsync(new CampaignDraft
        {
            AppId = appId, Name = "Tomorrow's keynote: are you going?", Audience = AudienceSpec.Everyone, PlanKey = "devsummit_2026", ThrottlePerMinute = 3000,
            Options = new DeliveryOptions
            {
                Category = "announcements", TtlSeconds = 4 * 3600,
                Conversion = new ConversionGoal { Event = "session_favorited", WithinSeconds = 24 * 3600 },
            },
            Message = new CampaignMessage
            {
                DefaultLanguage = "en",
                Variants =
                [
                    new CampaignVariant
                    {
                        Key = "A",
                        Actions = [new PushAction { Id = "going", Title = "I'm going", Url = "devsummit://agenda/keynote-day1/favorite" }, new PushAction { Id = "skip", Title = "Not this time" }],
                        Overrides = new PlatformOverrides { Ios = new IosOverrides { Category = "SESSION_INVITE", Sound = "default" } },
                        Content = new Dictionary<string, LocalizedContent>
                        {
                            ["en"] = C("Opening keynote tomorrow at 9:00", "Save your seat in Hall A.", "I'm going", "Not this time"),
                            ["pl"] = C("Jutro o 9:00 keynote otwierający", "Zarezerwuj miejsce w sali A.", "Będę", "Nie tym razem"),
                            ["fr"] = C("Keynote d'ouverture demain à 9h", "Réservez votre place en salle A.", "J'y vais", "Pas cette fois"),
                        },
                    },
                ],
            },
        }, new Actor("organizers@devsummit.example"), ct);
    }
}
