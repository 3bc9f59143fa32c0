namespace PushConsole.Demo;

/// <summary>One track of the demo's agenda: its name on the agenda, the attendee tag that follows it, its room and its talks (six a day).</summary>
public sealed record DemoTrack(string Name, string Tag, string Room, IReadOnlyList<string> Talks);

/// <summary>What the demo's two-day agenda is made of: keynotes in the main hall, then four parallel tracks.</summary>
public static class DemoAgenda
{
    public const string EventName = "Warsaw Dev Summit 2026";
    public const string VenueTimeZone = "Europe/Warsaw";
    public const string MainHall = "Hall A";

    /// <summary>Start of each track slot (venue time); the keynote is at 9:00, lunch after the third slot.</summary>
    public static readonly TimeSpan[] Slots = [new(10, 0, 0), new(11, 0, 0), new(12, 0, 0), new(14, 0, 0), new(15, 0, 0), new(16, 0, 0)];

    public static readonly string[] Keynotes =
    [
        "Opening keynote: software in the age of agents",
        "Day 2 keynote: what AI will change in your job by 2030",
    ];

    public const string ClosingPanel = "Closing panel and prizes";

    public static readonly IReadOnlyList<DemoTrack> Tracks =
    [
        new("AI", "track-ai", "Hall B",
        [
            "Shipping LLM features without the hype", "Evaluating RAG pipelines in production", "On-device inference on Android and iOS",
            "Vector search at scale with PostgreSQL", "Prompt injection: a field guide", "Fine-tuning small models for your domain",
            "AI code review: one year in", "Guardrails that actually work", "Observability for ML systems",
            "Cost engineering for inference", "Agents in the enterprise: what broke", "Responsible AI under the EU AI Act",
        ]),
        new("Web", "track-web", "Room 1",
        [
            "The state of CSS in 2026", "Server components without the confusion", "Performance budgets that stick",
            "Accessibility is a feature", "WebAssembly beyond the browser", "Offline-first progressive web apps",
            "Web Push done right", "Design systems at scale", "TypeScript at a million lines",
            "Edge rendering trade-offs", "Testing the modern front end", "View transitions in practice",
        ]),
        new("Cloud", "track-cloud", "Room 2",
        [
            "Kubernetes cost control", "PostgreSQL on Kubernetes: lessons learned", "Platform engineering: paved roads",
            "Zero-downtime database migrations", "OpenTelemetry from zero to hero", "Multi-region without tears",
            "Serverless at scale: a post-mortem", "Infrastructure as code, with tests", "Chaos engineering in regulated industries",
            "eBPF for mere mortals", "FinOps for engineers", "Incident response that scales",
        ]),
        new("Mobile", "track-mobile", "Room 3",
        [
            "Kotlin Multiplatform in production", "SwiftUI at scale", "Push notifications users don't hate",
            "Mobile CI/CD in ten minutes", "Accessibility on mobile", "Offline sync strategies",
            "Jetpack Compose performance", "Putting your app on a size diet", "Deep links and universal links",
            "Mobile observability", "Passkeys on Android and iOS", "Releasing to ten million phones",
        ]),
    ];

    /// <summary>The T−15 reminder to those who favourited a session, in the demo's three languages.</summary>
    public static readonly (string Language, string Title, string Body)[] ReminderTexts =
    [
        ("en", "Starting soon: {session.title}", "{session.start.local} in {session.room}. See you there!"),
        ("pl", "Za chwilę: {session.title}", "{session.start.local}, {session.room}. Do zobaczenia!"),
        ("fr", "Bientôt : {session.title}", "{session.start.local}, {session.room}. À tout de suite !"),
    ];
}
