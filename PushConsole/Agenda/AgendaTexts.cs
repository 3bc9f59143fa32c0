using System.Text.RegularExpressions;
using PushConsole.Campaigns;
using PushConsole.Sending.Dispatch;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Agenda;

/// <summary>
/// What agenda pushes say. Reminder templates are the organizer's, with placeholders filled per session when the
/// reminder fires; <c>.local</c> placeholders become time tokens the dispatcher writes in each attendee's own zone
/// (the venue's when the device has none). Change alerts and surveys use built-in texts in English, French and Polish.
/// </summary>
public static partial class AgendaTexts
{
    public const string DefaultReminderTitle = "Starting soon: {session.title}";
    public const string DefaultReminderBody = "{session.start.local} in {session.room}";

    public static readonly IReadOnlyList<string> Placeholders =
    [
        "{session.title}", "{session.room}", "{session.track}", "{session.speakers}", "{session.day}", "{session.start}", "{session.end}",
        "{session.start.local}", "{session.end.local}", "{event.name}", "{minutes}",
    ];

    public static IEnumerable<string> UnknownPlaceholders(string? text) =>
        text is null ? [] : Placeholder().Matches(text).Select(m => m.Value).Where(p => !Placeholders.Contains(p)).Distinct();

    /// <summary>Fills a reminder template for one session; venue times in the language's conventions.</summary>
    public static string? Fill(string? template, AgendaSession session, AgendaEvent agendaEvent, string language, int minutes)
    {
        if (template is null) return null;
        var zone = VenueTime.Zone(agendaEvent);
        var start = VenueTime.ToVenue(session.StartsAt, zone);
        var end = VenueTime.ToVenue(session.EndsAt, zone);
        var culture = VenueTime.Culture(language);
        return template
            .Replace("{session.title}", session.Title).Replace("{session.room}", session.Room ?? "—")
            .Replace("{session.track}", session.Track ?? "").Replace("{session.speakers}", session.Speakers ?? "")
            .Replace("{session.day}", start.ToString("ddd d MMM", culture))
            .Replace("{session.start.local}", TimeTokens.Token(session.StartsAt, "t", agendaEvent.TimeZone))
            .Replace("{session.end.local}", TimeTokens.Token(session.EndsAt, "t", agendaEvent.TimeZone))
            .Replace("{session.start}", start.ToString("t", culture)).Replace("{session.end}", end.ToString("t", culture))
            .Replace("{event.name}", agendaEvent.Name).Replace("{minutes}", minutes.ToString(culture));
    }

    private sealed record Phrases(string RoomTitle, string RoomBody, string TimeTitle, string TimeBody, string BothTitle, string BothBody,
        string CancelTitle, string CancelBody, string RestoreTitle, string RestoreBody, string SurveyTitle, string SurveyBody);

    private static readonly Dictionary<string, Phrases> Built = new(StringComparer.Ordinal)
    {
        ["en"] = new("Room change: {title}", "Now in {room} (was {oldroom}), {start}.",
            "Time change: {title}", "Now {start}–{end} (was {oldstart}), {room}.",
            "Change: {title}", "Now {start} in {room} (was {oldstart} in {oldroom}).",
            "Cancelled: {title}", "{title} ({oldstart}, {oldroom}) is cancelled.",
            "Back on the agenda: {title}", "{title} takes place {start} in {room}.",
            "How was {title}?", "Tell us in one minute."),
        ["fr"] = new("Changement de salle : {title}", "Désormais en {room} (au lieu de {oldroom}), {start}.",
            "Changement d'horaire : {title}", "Désormais {start}–{end} (au lieu de {oldstart}), {room}.",
            "Changement : {title}", "Désormais {start} en {room} (au lieu de {oldstart} en {oldroom}).",
            "Annulé : {title}", "{title} ({oldstart}, {oldroom}) est annulé.",
            "De retour au programme : {title}", "{title} a lieu {start} en {room}.",
            "Comment était {title} ?", "Donnez-nous votre avis en une minute."),
        ["pl"] = new("Zmiana sali: {title}", "Teraz w sali {room} (zamiast {oldroom}), {start}.",
            "Zmiana godziny: {title}", "Teraz {start}–{end} (zamiast {oldstart}), {room}.",
            "Zmiana: {title}", "Teraz {start} w sali {room} (zamiast {oldstart} w sali {oldroom}).",
            "Odwołane: {title}", "{title} ({oldstart}, {oldroom}) zostało odwołane.",
            "Wraca do programu: {title}", "{title} odbędzie się {start} w sali {room}.",
            "Jak oceniasz {title}?", "Podziel się opinią w minutę."),
    };

    /// <summary>The language agenda pushes default to: the app's when built-in texts exist in it, else English.</summary>
    public static string DefaultLanguage(string appLanguage) => Built.ContainsKey(appLanguage) ? appLanguage : "en";

    /// <summary>The change alert, old → new, in every built-in language; times in each attendee's zone.</summary>
    public static CampaignMessage ChangeAlert(AgendaSession session, SessionChange change, AgendaEvent agendaEvent, string defaultLanguage)
    {
        var dayChanged = VenueTime.ToVenue(change.OldStartsAt, VenueTime.Zone(agendaEvent)).Date != VenueTime.ToVenue(change.NewStartsAt, VenueTime.Zone(agendaEvent)).Date;
        return Message(defaultLanguage, (language, p) =>
        {
            var (title, body) = change.Kind switch
            {
                var k when k.HasFlag(SessionChangeKind.Cancelled) => (p.CancelTitle, p.CancelBody),
                var k when k.HasFlag(SessionChangeKind.Restored) => (p.RestoreTitle, p.RestoreBody),
                var k when k.HasFlag(SessionChangeKind.Time) && k.HasFlag(SessionChangeKind.Room) => (p.BothTitle, p.BothBody),
                var k when k.HasFlag(SessionChangeKind.Time) => (p.TimeTitle, p.TimeBody),
                _ => (p.RoomTitle, p.RoomBody),
            };
            var format = dayChanged ? language == "en" ? "ddd h:mm tt" : "ddd HH:mm" : "t";
            string Fill(string text) => text.Replace("{title}", session.Title)
                .Replace("{room}", change.NewRoom ?? "—").Replace("{oldroom}", change.OldRoom ?? "—")
                .Replace("{start}", TimeTokens.Token(change.NewStartsAt, format, agendaEvent.TimeZone))
                .Replace("{end}", TimeTokens.Token(change.NewEndsAt, "t", agendaEvent.TimeZone))
                .Replace("{oldstart}", TimeTokens.Token(change.OldStartsAt, format, agendaEvent.TimeZone));
            return new LocalizedContent
            {
                Title = Fill(title), Body = Fill(body),
                Data = new Dictionary<string, string> { ["sessionId"] = session.ExternalId, ["agenda"] = "change" },
            };
        });
    }

    /// <summary>The post-session survey with its link.</summary>
    public static CampaignMessage Survey(AgendaSession session, string url, string defaultLanguage) =>
        Message(defaultLanguage, (_, p) => new LocalizedContent
        {
            Title = p.SurveyTitle.Replace("{title}", session.Title), Body = p.SurveyBody, Link = url,
            Data = new Dictionary<string, string> { ["surveyUrl"] = url, ["sessionId"] = session.ExternalId, ["agenda"] = "survey" },
        }, webUrl: url);

    private static CampaignMessage Message(string defaultLanguage, Func<string, Phrases, LocalizedContent> content, string? webUrl = null) => new()
    {
        DefaultLanguage = DefaultLanguage(defaultLanguage),
        Variants =
        [
            new CampaignVariant
            {
                Key = "A",
                Content = Built.ToDictionary(b => b.Key, b => content(b.Key, b.Value)),
                Overrides = webUrl is null ? null : new PlatformOverrides { Web = new WebOverrides { Url = webUrl } },
            },
        ],
    };

    [GeneratedRegex(@"\{[a-z_.]+\}")]
    private static partial Regex Placeholder();
}
