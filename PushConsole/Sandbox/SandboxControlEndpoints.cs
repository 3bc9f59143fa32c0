using PushConsole.Sending.Providers;

namespace PushConsole.Sandbox;

/// <summary>
/// <c>/sandbox/*</c> on the control server: where the providers are, counters, recent messages, knobs, injected
/// failures, and the helpers that make credentials and subscriptions the sandbox trusts.
/// </summary>
public static class SandboxControlEndpoints
{
    public sealed record KnobsRequest(string Provider, int? LatencyMs, double? TooManyRequestsShare, double? UnavailableShare, int? RetryAfterSeconds);

    public sealed record FailRequest(string Provider, string Token, int Status, string? Reason, int? RetryAfterSeconds);

    public sealed record ApnsKeyRequest(string BundleId, string? TeamId);

    public sealed record SubscriptionRequest(string? ApplicationServerKey, bool? Tls);

    public static void Map(WebApplication app, SandboxState state, Func<SandboxHost> host)
    {
        var group = app.MapGroup("/sandbox");
        group.MapGet("/", () => Results.Json(Describe(host())));
        group.MapGet("/stats", () => Results.Json(Stats(state)));
        group.MapGet("/messages", (string? provider, int? limit) =>
        {
            var take = Math.Clamp(limit ?? 100, 1, SandboxProvider.RecentCapacity);
            var providers = provider is null ? state.Providers : [state.Provider(provider)];
            return Results.Json(providers.SelectMany(p => p.Recent(take)).OrderBy(m => m.At).ThenBy(m => m.Sequence).TakeLast(take));
        });
        group.MapPost("/knobs", (KnobsRequest request) =>
        {
            var provider = state.Provider(request.Provider);
            if (request.LatencyMs is { } ms) provider.Latency = TimeSpan.FromMilliseconds(Math.Max(0, ms));
            if (request.TooManyRequestsShare is { } tooMany) provider.TooManyRequestsShare = Math.Clamp(tooMany, 0, 1);
            if (request.UnavailableShare is { } unavailable) provider.UnavailableShare = Math.Clamp(unavailable, 0, 1);
            if (request.RetryAfterSeconds is { } retry) provider.RetryAfterSeconds = Math.Max(0, retry);
            return Results.Json(new { provider.Name, latencyMs = provider.Latency.TotalMilliseconds, provider.TooManyRequestsShare, provider.UnavailableShare, provider.RetryAfterSeconds });
        });
        group.MapPost("/fail", (FailRequest request) =>
        {
            var provider = state.Provider(request.Provider);
            var token = provider == state.WebPush ? SandboxState.SubscriptionId(request.Token) : request.Token;
            provider.Fail(token, new SandboxFailure(request.Status, request.Reason, request.RetryAfterSeconds));
            return Results.NoContent();
        });
        group.MapPost("/reset", () =>
        {
            foreach (var provider in state.Providers) provider.ResetCounters();
            return Results.NoContent();
        });
        group.MapPost("/fcm/service-accounts", (string? projectId) =>
            Results.Text(state.CreateServiceAccountJson(string.IsNullOrWhiteSpace(projectId) ? "sandbox-project" : projectId), "application/json"));
        group.MapPost("/apns/keys", (ApnsKeyRequest request) => Results.Json(state.CreateApnsKey(request.BundleId, request.TeamId)));
        group.MapPost("/apns/device-tokens", (string? environment) =>
            Results.Json(new { token = state.NewApnsDeviceToken(PlatformNames.ParseApnsEnvironment(environment) ?? ApnsEnvironment.Production) }));
        group.MapPost("/webpush/subscriptions", (SubscriptionRequest? request) =>
        {
            var s = state.CreateWebPushSubscription(request?.ApplicationServerKey, request?.Tls ?? false);
            return Results.Json(new { endpoint = s.Endpoint, expirationTime = (long?)null, keys = new { p256dh = s.P256dh, auth = s.Auth } });
        });
    }

    public static object Describe(SandboxHost host) => new
    {
        control = host.BaseAddress,
        tokenUri = host.State.TokenUri,
        endpoints = host.Endpoints,
        certificateSha256 = host.CertificateSha256,
        settings = host.ProviderSettings(),
        tlsSettings = host.ProviderSettings(tls: true),
    };

    public static object Stats(SandboxState state) => new
    {
        oauth = new { tokensIssued = state.TokensIssued, refused = state.TokenRequestsRefused, accessTokensUsedByFcm = state.FcmAccessTokensUsed },
        apnsProviderTokensSeen = state.ApnsProviderTokensSeen,
        fcm = state.Fcm.Stats(),
        apns = state.Apns.Stats(),
        webpush = state.WebPush.Stats(),
    };
}
