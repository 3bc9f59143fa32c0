using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Sending.Providers;

namespace PushConsole.Sending;

/// <summary>
/// Where a test push goes: what an installation holds (platform, token or Web Push endpoint + keys, APNs environment).
/// The lookup page fills it from an installation; the app page from whatever the admin pastes.
/// </summary>
public sealed record TestPushTarget(
    long AppId, Platform? Platform, string? Token, ApnsEnvironment? ApnsEnvironment = null, string? WebPushP256dh = null, string? WebPushAuth = null,
    string? InstallationId = null);

public sealed record TestPushRequest(TestPushTarget Target, string? Title, string? Body);

/// <summary>"Send test push": one push to one device, now, answered with the provider's raw answer. Audited.</summary>
public sealed class TestPushService(ProviderClients clients, AppService apps, AuditLog audit, Microsoft.Extensions.Options.IOptions<ProvidersOptions> providers)
{
    /// <summary>Test pushes are not deliveries: they carry delivery id 0 and <c>data.test = "true"</c>.</summary>
    public const long TestDeliveryId = 0;

    public async Task<ProviderResult> SendAsync(TestPushRequest request, Actor actor, CancellationToken ct = default)
    {
        var app = await apps.GetAsync(request.Target.AppId, ct);
        var target = Validate(request, app);
        var message = new PushMessage(TestDeliveryId, target, new PushContent
        {
            Title = request.Title!.Trim(),
            Body = request.Body?.Trim(),
            Sound = "default",
            Data = new Dictionary<string, string> { ["test"] = "true" },
        })
        { TimeToLive = TimeSpan.FromHours(1), Priority = PushPriority.High };
        var result = await clients.SendAsync(app.Id, message, ct);
        var who = request.Target.InstallationId is { } id ? $"installation {id}" : $"{target.Provider} token {target.Masked}";
        await audit.RecordAsync(actor, "push.test_sent", app.Name, $"{who}: {result.Outcome}{(result.Reason is null ? "" : $" ({result.Reason})")}", ct);
        return result;
    }

    private PushTarget Validate(TestPushRequest request, App app)
    {
        var errors = new FieldErrors();
        var t = request.Target;
        var token = t.Token?.Trim();
        if (string.IsNullOrWhiteSpace(request.Title)) errors.Add("title", "Give the test push a title.");
        else if (request.Title.Length > 200) errors.Add("title", "Keep the title under 200 characters.");
        if (request.Body is { Length: > 1000 }) errors.Add("body", "Keep the body under 1000 characters.");
        PushTarget? target = null;
        switch (t.Platform)
        {
            case Platform.Android:
                if (string.IsNullOrEmpty(token)) errors.Add("token", "Paste the device's FCM registration token.");
                else target = PushTarget.Fcm(token);
                break;
            case Platform.Ios:
                if (string.IsNullOrEmpty(token) || !token.All(Uri.IsHexDigit)) errors.Add("token", "Paste the device's APNs token (hexadecimal).");
                else target = PushTarget.Apns(token.ToLowerInvariant(), t.ApnsEnvironment ?? app.Apns?.Environment ?? ApnsEnvironment.Production);
                break;
            case Platform.Web:
                if (string.IsNullOrEmpty(token) || !Uri.TryCreate(token, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
                    errors.Add("token", "Paste the subscription's endpoint URL.");
                else if (Providers.WebPush.WebPushEndpointPolicy.Refusal(token, providers.Value.WebPush.AllowPrivateEndpoints) is { } refusal)
                    errors.Add("token", "The endpoint " + refusal);
                if (string.IsNullOrWhiteSpace(t.WebPushP256dh)) errors.Add("webPushP256dh", "Paste keys.p256dh of the subscription.");
                if (string.IsNullOrWhiteSpace(t.WebPushAuth)) errors.Add("webPushAuth", "Paste keys.auth of the subscription.");
                if (!errors.Any) target = PushTarget.WebPush(new WebPushSubscription(token!, t.WebPushP256dh!.Trim(), t.WebPushAuth!.Trim()));
                break;
            default:
                errors.Add("platform", "Choose android, ios or web.");
                break;
        }
        errors.ThrowIfAny();
        return target!;
    }
}
