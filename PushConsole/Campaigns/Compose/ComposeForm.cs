using PushConsole.Api;
using PushConsole.Sending.Launch;
using PushConsole.Sending.Providers;
using PushConsole.Devices;
using PushConsole.Sending;

namespace PushConsole.Campaigns.Compose;

public enum AudienceKind { Everyone, Tags, Users, Installations, TestDevices, Segment }

public enum WinnerChoice { None, Manual, Automatic }

/// <summary>What the compose page edits (mutable, for binding); <see cref="ToDraft"/> turns it into a campaign draft.</summary>
public sealed class ComposeForm
{
    public const int MaxVariants = 5;
    private static readonly string[] Keys = ["A", "B", "C", "D", "E"];

    public long? EditingCampaignId { get; set; }
    public long? AppId { get; set; }
    public string? Name { get; set; }
    public AudienceForm Audience { get; set; } = new();
    public string DefaultLanguage { get; set; } = "en";
    public List<string> Languages { get; set; } = ["en"];
    public List<VariantForm> Variants { get; set; } = [new() { Key = "A" }];
    public bool ControlGroup { get; set; }
    public int ControlWeight { get; set; } = 10;
    public WinnerChoice Winner { get; set; } = WinnerChoice.None;
    public int TestPercent { get; set; } = 20;
    public int WaitMinutes { get; set; } = 60;
    public string DefaultVariant { get; set; } = "A";
    /// <summary>What the automatic winner is chosen by.</summary>
    public WinnerMetric WinnerMetric { get; set; } = WinnerMetric.OpenRate;
    public PushType PushType { get; set; } = PushType.Alert;
    public int TtlSeconds { get; set; } = 86_400;
    public PushPriority Priority { get; set; } = PushPriority.High;
    public string? CollapseId { get; set; }
    public string? Category { get; set; }
    public string? PlanKey { get; set; }
    public List<DataPair> CustomData { get; set; } = [];
    /// <summary>Every device of each user, or only the one each user used last.</summary>
    public DeviceChoice Devices { get; set; } = DeviceChoice.All;
    /// <summary>The conversion goal's event (a type such as session_checked_in or a custom event's name); empty = none.</summary>
    public string? ConversionEvent { get; set; }
    public int ConversionHours { get; set; } = 24;
    public ScheduleForm Schedule { get; set; } = new();
    public int? ThrottlePerMinute { get; set; }

    public bool IsAbTest => Variants.Count > 1;

    public int WeightSum => Variants.Sum(v => v.Weight) + (ControlGroup ? ControlWeight : 0);

    /// <summary>A new variant starts as a copy of the last one, so a test of "only a different title" is one edit.</summary>
    public VariantForm? AddVariant()
    {
        if (Variants.Count >= MaxVariants) return null;
        var key = Keys.First(k => Variants.All(v => v.Key != k));
        var variant = Variants[^1].Copy(key);
        Variants.Add(variant);
        SplitEvenly();
        return variant;
    }

    public void RemoveVariant(string key)
    {
        if (Variants.Count <= 1) return;
        Variants.RemoveAll(v => v.Key == key);
        if (Variants.All(v => v.Key != DefaultVariant)) DefaultVariant = Variants[0].Key;
        if (Variants.Count == 1) Winner = WinnerChoice.None;
        SplitEvenly();
    }

    /// <summary>Weights that add up to 100, the control group keeping its share.</summary>
    public void SplitEvenly()
    {
        var left = 100 - (ControlGroup ? ControlWeight : 0);
        for (var i = 0; i < Variants.Count; i++) Variants[i].Weight = left / Variants.Count + (i < left % Variants.Count ? 1 : 0);
    }

    public void AddLanguage(string tag)
    {
        if (Languages.Contains(tag, StringComparer.OrdinalIgnoreCase)) return;
        Languages.Add(tag);
    }

    public void RemoveLanguage(string tag)
    {
        if (string.Equals(tag, DefaultLanguage, StringComparison.OrdinalIgnoreCase)) return;
        Languages.RemoveAll(l => string.Equals(l, tag, StringComparison.OrdinalIgnoreCase));
        foreach (var variant in Variants) variant.Content.Remove(tag);
    }

    public CampaignDraft ToDraft(long appId, string consoleUser, CampaignOrigin origin = CampaignOrigin.Console) => new()
    {
        AppId = appId,
        Name = Name,
        Audience = Audience.ToSpec(consoleUser),
        Message = ToMessage(),
        Options = new DeliveryOptions
        {
            PushType = PushType,
            TtlSeconds = TtlSeconds,
            Priority = Priority,
            CollapseId = Blank(CollapseId),
            Category = Blank(Category),
            CustomData = DataPair.ToMap(CustomData),
            Devices = Devices,
            Conversion = Blank(ConversionEvent) is { } goal ? new ConversionGoal { Event = goal, WithinSeconds = ConversionHours * 3600 } : null,
        },
        // a time left empty is the form's own error (ScheduleForm.Check, run by every compose check before a send)
        Schedule = Schedule.ToSchedule() ?? CampaignSchedule.Immediately,
        ThrottlePerMinute = ThrottlePerMinute,
        PlanKey = Blank(PlanKey),
        Origin = origin,
    };

    public CampaignMessage ToMessage()
    {
        var variants = Variants.Select(v => v.ToVariant(Languages, IsAbTest)).ToList();
        if (IsAbTest && ControlGroup) variants.Add(new CampaignVariant { Key = "control", Name = "Control group", Weight = ControlWeight, IsControl = true });
        return new CampaignMessage
        {
            DefaultLanguage = DefaultLanguage.Trim(),
            Variants = variants,
            Winner = IsAbTest && Winner != WinnerChoice.None
                ? new WinnerRule
                {
                    Mode = Winner == WinnerChoice.Automatic ? WinnerMode.Automatic : WinnerMode.Manual,
                    TestPercent = TestPercent,
                    WaitMinutes = WaitMinutes,
                    DefaultVariant = DefaultVariant,
                    Metric = WinnerMetric,
                }
                : null,
        };
    }

    /// <summary>A scheduled campaign back in the form, to edit it before it starts.</summary>
    public static ComposeForm FromCampaign(Campaign campaign, string? planKey)
    {
        var message = campaign.Message;
        var senders = message.Variants.Where(v => !v.IsControl).ToList();
        var control = message.Variants.FirstOrDefault(v => v.IsControl);
        var languages = senders.SelectMany(v => v.Content.Keys).Prepend(message.DefaultLanguage).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new ComposeForm
        {
            EditingCampaignId = campaign.Id,
            AppId = campaign.AppId,
            Name = campaign.Name,
            Audience = AudienceForm.From(campaign.Audience),
            DefaultLanguage = message.DefaultLanguage,
            Languages = languages,
            Variants = senders.Select(v => VariantForm.From(v, senders.Count == 1)).ToList(),
            ControlGroup = control is not null,
            ControlWeight = control?.Weight ?? 10,
            Winner = message.Winner is null ? WinnerChoice.None : message.Winner.Mode == WinnerMode.Automatic ? WinnerChoice.Automatic : WinnerChoice.Manual,
            TestPercent = message.Winner?.TestPercent ?? 20,
            WaitMinutes = message.Winner?.WaitMinutes ?? 60,
            DefaultVariant = message.Winner?.DefaultVariant ?? senders[0].Key,
            WinnerMetric = message.Winner?.Metric ?? WinnerMetric.OpenRate,
            PushType = campaign.Options.PushType,
            TtlSeconds = campaign.Options.TtlSeconds,
            Priority = campaign.Options.Priority,
            CollapseId = campaign.Options.CollapseId,
            Category = campaign.Options.Category,
            PlanKey = planKey,
            CustomData = DataPair.FromMap(campaign.Options.CustomData),
            Devices = campaign.Options.Devices,
            ConversionEvent = campaign.Options.Conversion?.Event,
            ConversionHours = campaign.Options.Conversion is { } goal ? Math.Max(1, goal.WithinSeconds / 3600) : 24,
            Schedule = ScheduleForm.From(campaign.Schedule),
            ThrottlePerMinute = campaign.ThrottlePerMinute,
        };
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed class AudienceForm
{
    public AudienceKind Kind { get; set; } = AudienceKind.Everyone;
    public string? TagsAny { get; set; }
    public string? TagsAll { get; set; }
    public string? TagsNone { get; set; }
    public string? UserIds { get; set; }
    public string? InstallationIds { get; set; }
    public long? SegmentId { get; set; }
    public bool Android { get; set; } = true;
    public bool Ios { get; set; } = true;
    public bool Web { get; set; } = true;

    public bool NoPlatform => !Android && !Ios && !Web;

    public IReadOnlyList<Platform>? Platforms =>
        Android && Ios && Web ? null : new[] { (Android, Platform.Android), (Ios, Platform.Ios), (Web, Platform.Web) }.Where(p => p.Item1).Select(p => p.Item2).ToList();

    public AudienceSpec ToSpec(string consoleUser)
    {
        // no platform ticked is refused by the compose service before anything is counted or sent
        var spec = new AudienceSpec { Platforms = Platforms is { Count: > 0 } platforms ? platforms : null };
        return Kind switch
        {
            AudienceKind.Everyone => spec with { All = true },
            AudienceKind.Tags => spec with { TagsAny = Split(TagsAny), TagsAll = Split(TagsAll), TagsNone = Split(TagsNone) },
            AudienceKind.Users => spec with { UserIds = Split(UserIds) },
            AudienceKind.Installations => spec with { InstallationIds = Split(InstallationIds) },
            AudienceKind.TestDevices => spec with { TestDevicesOf = consoleUser },
            AudienceKind.Segment => spec with { SegmentId = SegmentId },
            _ => spec,
        };
    }

    public static AudienceForm From(AudienceSpec spec)
    {
        var form = new AudienceForm
        {
            Kind = spec.All ? AudienceKind.Everyone
                : spec.TestDevicesOf is not null ? AudienceKind.TestDevices
                : spec.SegmentId is not null ? AudienceKind.Segment
                : spec.InstallationIds is { Count: > 0 } ? AudienceKind.Installations
                : spec.UserIds is { Count: > 0 } ? AudienceKind.Users
                : AudienceKind.Tags,
            TagsAny = Join(spec.TagsAny), TagsAll = Join(spec.TagsAll), TagsNone = Join(spec.TagsNone),
            UserIds = Join(spec.UserIds, "\n"), InstallationIds = Join(spec.InstallationIds, "\n"), SegmentId = spec.SegmentId,
        };
        if (spec.Platforms is { Count: > 0 } platforms)
        {
            form.Android = platforms.Contains(Platform.Android);
            form.Ios = platforms.Contains(Platform.Ios);
            form.Web = platforms.Contains(Platform.Web);
        }
        return form;
    }

    /// <summary>Commas, spaces or new lines separate values.</summary>
    public static IReadOnlyList<string>? Split(string? text)
    {
        var values = (text ?? "").Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToList();
        return values.Count == 0 ? null : values;
    }

    private static string? Join(IReadOnlyList<string>? values, string separator = ", ") => values is null ? null : string.Join(separator, values);
}

public sealed class VariantForm
{
    public required string Key { get; set; }
    public string? Name { get; set; }
    public int Weight { get; set; } = 100;
    /// <summary>Language tag → content.</summary>
    public Dictionary<string, ContentForm> Content { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? AndroidChannelId { get; set; }
    public string? AndroidIcon { get; set; }
    public string? IosSound { get; set; } = "default";
    public int? IosBadge { get; set; }
    public string? IosThreadId { get; set; }
    public string? IosCategory { get; set; }
    public string? WebIcon { get; set; }
    public string? WebUrl { get; set; }
    /// <summary>Up to 3 buttons; their titles here are in the default language, translations live in each language's <see cref="ContentForm.ActionTitles"/>.</summary>
    public List<ActionForm> Actions { get; set; } = [];

    /// <summary>A new button gets the first free id of button1…; null when the push has its 3.</summary>
    public ActionForm? AddAction()
    {
        if (Actions.Count >= Interactive.ActionRules.MaxActions) return null;
        var id = Enumerable.Range(1, 10).Select(n => $"button{n}").First(candidate => Actions.All(a => a.Id != candidate));
        var action = new ActionForm { Id = id };
        Actions.Add(action);
        return action;
    }

    /// <summary>Removes a button and its translated titles.</summary>
    public void RemoveAction(ActionForm action)
    {
        Actions.Remove(action);
        foreach (var content in Content.Values) content.ActionTitles.Remove(action.Id ?? "");
    }

    public ContentForm For(string language)
    {
        if (!Content.TryGetValue(language, out var content)) Content[language] = content = new ContentForm();
        return content;
    }

    public VariantForm Copy(string key) => new()
    {
        Key = key,
        Content = Content.ToDictionary(c => c.Key, c => c.Value.Copy(), StringComparer.OrdinalIgnoreCase),
        AndroidChannelId = AndroidChannelId, AndroidIcon = AndroidIcon,
        IosSound = IosSound, IosBadge = IosBadge, IosThreadId = IosThreadId, IosCategory = IosCategory,
        WebIcon = WebIcon, WebUrl = WebUrl,
        Actions = Actions.Select(a => new ActionForm { Id = a.Id, Title = a.Title, Url = a.Url }).ToList(),
    };

    public CampaignVariant ToVariant(IReadOnlyList<string> languages, bool abTest)
    {
        var B = ComposeForm.Blank;
        var android = new AndroidOverrides { ChannelId = B(AndroidChannelId), Icon = B(AndroidIcon) };
        var ios = new IosOverrides { Sound = B(IosSound), Badge = IosBadge, ThreadId = B(IosThreadId), Category = B(IosCategory) };
        var web = new WebOverrides { Icon = B(WebIcon), Url = B(WebUrl) };
        return new CampaignVariant
        {
            Key = Key,
            Name = B(Name),
            Weight = abTest ? Weight : 100,
            // a language left empty is not offered (its recipients get the default language)
            Content = languages.Where(l => Content.TryGetValue(l, out var c) && !c.IsEmpty)
                .ToDictionary(l => l, l => Content[l].ToContent(), StringComparer.Ordinal),
            Actions = Actions.Count == 0 ? null
                : Actions.Select(a => new PushAction { Id = a.Id?.Trim() ?? "", Title = a.Title?.Trim() ?? "", Url = ComposeForm.Blank(a.Url) }).ToList(),
            Overrides = new PlatformOverrides
            {
                Android = android == new AndroidOverrides() ? null : android,
                Ios = ios == new IosOverrides() ? null : ios,
                Web = web == new WebOverrides() ? null : web,
            },
        };
    }

    public static VariantForm From(CampaignVariant variant, bool only) => new()
    {
        Key = variant.Key,
        Name = variant.Name,
        Weight = only ? 100 : variant.Weight,
        Content = variant.Content.ToDictionary(c => c.Key, c => ContentForm.From(c.Value), StringComparer.OrdinalIgnoreCase),
        AndroidChannelId = variant.Overrides?.Android?.ChannelId, AndroidIcon = variant.Overrides?.Android?.Icon,
        IosSound = variant.Overrides?.Ios?.Sound, IosBadge = variant.Overrides?.Ios?.Badge,
        IosThreadId = variant.Overrides?.Ios?.ThreadId, IosCategory = variant.Overrides?.Ios?.Category,
        WebIcon = variant.Overrides?.Web?.Icon, WebUrl = variant.Overrides?.Web?.Url,
        Actions = variant.Actions?.Select(a => new ActionForm { Id = a.Id, Title = a.Title, Url = a.Url }).ToList() ?? [],
    };
}

/// <summary>One button as compose edits it.</summary>
public sealed class ActionForm
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Url { get; set; }
}

public sealed class ContentForm
{
    public string? Title { get; set; }
    public string? Body { get; set; }
    public string? ImageUrl { get; set; }
    public string? Link { get; set; }
    public List<DataPair> Data { get; set; } = [];
    /// <summary>Button id → its title in this language (other languages than the default).</summary>
    public Dictionary<string, string?> ActionTitles { get; set; } = new(StringComparer.Ordinal);

    public bool IsEmpty => ComposeForm.Blank(Title) is null && ComposeForm.Blank(Body) is null && ComposeForm.Blank(ImageUrl) is null
                           && ComposeForm.Blank(Link) is null && Data.All(d => string.IsNullOrWhiteSpace(d.Key));

    public ContentForm Copy() => new()
    {
        Title = Title, Body = Body, ImageUrl = ImageUrl, Link = Link, Data = Data.Select(d => new DataPair { Key = d.Key, Value = d.Value }).ToList(),
        ActionTitles = new Dictionary<string, string?>(ActionTitles, StringComparer.Ordinal),
    };

    public LocalizedContent ToContent() => new()
    {
        Title = ComposeForm.Blank(Title),
        Body = ComposeForm.Blank(Body),
        ImageUrl = ComposeForm.Blank(ImageUrl),
        Link = ComposeForm.Blank(Link),
        Data = DataPair.ToMap(Data),
        ActionTitles = ActionTitles.Where(t => ComposeForm.Blank(t.Value) is not null).ToDictionary(t => t.Key, t => t.Value!.Trim(), StringComparer.Ordinal) is { Count: > 0 } titles
            ? titles : null,
    };

    public static ContentForm From(LocalizedContent content) => new()
    {
        Title = content.Title, Body = content.Body, ImageUrl = content.ImageUrl, Link = content.Link, Data = DataPair.FromMap(content.Data),
        ActionTitles = content.ActionTitles?.ToDictionary(t => t.Key, t => (string?)t.Value, StringComparer.Ordinal) ?? new(StringComparer.Ordinal),
    };
}

/// <summary>One custom key/value pair delivered with the push.</summary>
public sealed class DataPair
{
    public string? Key { get; set; }
    public string? Value { get; set; }

    public static IReadOnlyDictionary<string, string>? ToMap(IEnumerable<DataPair> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
            if (!string.IsNullOrWhiteSpace(pair.Key)) map[pair.Key.Trim()] = pair.Value ?? "";
        return map.Count == 0 ? null : map;
    }

    public static List<DataPair> FromMap(IReadOnlyDictionary<string, string>? map) =>
        map?.Select(p => new DataPair { Key = p.Key, Value = p.Value }).ToList() ?? [];
}

/// <summary>When it goes: now, at a time in a chosen zone (the venue's, or UTC), each recipient's wall-clock time, or best time.</summary>
public sealed class ScheduleForm
{
    public ScheduleKind Kind { get; set; } = ScheduleKind.Now;
    /// <summary>For "at": the wall-clock time in <see cref="Zone"/>.</summary>
    public DateTime? At { get; set; }
    public string Zone { get; set; } = "UTC";
    public DateTime? LocalTime { get; set; }
    /// <summary>Best time: wall-clock time for recipients without history; null = at once.</summary>
    public DateTime? BackupTime { get; set; }

    /// <summary>The schedule the form describes; null while the time its kind needs is empty (see <see cref="Check"/>).</summary>
    public CampaignSchedule? ToSchedule() => Kind switch
    {
        ScheduleKind.At => At is { } at ? new AtSchedule(TimeZones.ToUtc(at, TimeZones.Find(Zone) ?? TimeZoneInfo.Utc)) { DisplayTimeZone = Zone } : null,
        ScheduleKind.LocalTime => LocalTime is { } local ? new LocalTimeSchedule(local) { DisplayTimeZone = Zone } : null,
        ScheduleKind.Intelligent => new BestTimeSchedule(BackupTime) { DisplayTimeZone = Zone },
        _ => CampaignSchedule.Immediately,
    };

    /// <summary>The times the chosen kind needs, under the keys the draft check uses for the same fields.</summary>
    public void Check(FieldErrors errors)
    {
        if (Kind == ScheduleKind.At && At is null) errors.Add("schedule.at", "Give the date and time to send at.");
        if (Kind == ScheduleKind.LocalTime && LocalTime is null) errors.Add("schedule.localTime", "Give the wall-clock time recipients get it at.");
    }

    public static ScheduleForm From(CampaignSchedule schedule)
    {
        var zone = schedule.DisplayTimeZone ?? "UTC";
        var form = new ScheduleForm { Kind = schedule.Kind, Zone = zone };
        switch (schedule)
        {
            case AtSchedule s: form.At = TimeZones.ToLocal(s.At, TimeZones.Find(zone) ?? TimeZoneInfo.Utc); break;
            case LocalTimeSchedule s: form.LocalTime = s.LocalTime; break;
            case BestTimeSchedule s: form.BackupTime = s.BackupLocalTime; break;
        }
        return form;
    }
}
