using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using PushConsole.Sending.Launch;
using PushConsole.Sending;

namespace PushConsole.Campaigns.ServerApi;

public sealed record PlanView(
    [property: JsonPropertyName("plan_id")] string PlanId,
    [property: JsonPropertyName("plan_description")] string? PlanDescription,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("messages"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Messages (campaigns) attributed to the plan.")]
    int? Messages = null);

public sealed record PlanList([property: JsonPropertyName("plans")] IReadOnlyList<PlanView> Plans);

/// <summary>One plan's statistics in <c>GET /v4/push_plan/stats</c>.</summary>
public sealed record PlanStatsView : DeliveryStats
{
    public PlanStatsView(DeliveryStats stats, string planId) : base(stats) => PlanId = planId;

    [JsonPropertyName("plan_id"), JsonPropertyOrder(-1)] public string PlanId { get; init; }
}

public sealed record PlanStatsList([property: JsonPropertyName("plans")] IReadOnlyList<PlanStatsView> Plans);

/// <summary><c>GET /v4/messages/{msg_id}</c>: where the message stands, its counters, and the same per A/B variant.</summary>
public sealed record MessageView : DeliveryStats
{
    public MessageView(Campaign campaign, string? planKey, DeliveryStats stats) : base(stats)
    {
        MsgId = campaign.Id.ToString(CultureInfo.InvariantCulture);
        Name = campaign.Name;
        Status = campaign.Status.ToString().ToLowerInvariant();
        MessageType = DeliveryStatistics.MessageType(campaign.Options.PushType);
        PlanId = planKey;
        CreatedAt = campaign.CreatedAt;
        LaunchAt = campaign.LaunchAt;
        CompletedAt = campaign.CompletedAt;
        PausedReason = campaign.PausedReason;
        Variants = campaign.Message.Variants.ToDictionary(v => v.Key, v => stats.ByVariant.GetValueOrDefault(v.Key) ?? new DeliveryCounts());
    }

    [JsonPropertyName("msg_id"), JsonPropertyOrder(-9)] public string MsgId { get; init; }
    [JsonPropertyName("name"), JsonPropertyOrder(-8)] public string Name { get; init; }
    [JsonPropertyName("status"), JsonPropertyOrder(-7), Description("draft, scheduled, sending, paused, completed or cancelled.")] public string Status { get; init; }
    [JsonPropertyName("message_type"), JsonPropertyOrder(-6)] public string MessageType { get; init; }
    [JsonPropertyName("plan_id"), JsonPropertyOrder(-5)] public string? PlanId { get; init; }
    [JsonPropertyName("created_at"), JsonPropertyOrder(-4)] public DateTime CreatedAt { get; init; }
    [JsonPropertyName("launch_at"), JsonPropertyOrder(-3)] public DateTime? LaunchAt { get; init; }
    [JsonPropertyName("completed_at"), JsonPropertyOrder(-2)] public DateTime? CompletedAt { get; init; }
    [JsonPropertyName("paused_reason"), JsonPropertyOrder(-1)] public string? PausedReason { get; init; }
    [JsonPropertyName("variants"), Description("The same counters per A/B variant key (\"A\" for a plain message; \"control\" gets nothing).")]
    public IReadOnlyDictionary<string, DeliveryCounts> Variants { get; init; }
}
