using System.Net.Http.Headers;
using System.Text.Json;
using Google.Apis.Auth.OAuth2.Responses;

namespace PushConsole.Sending.Providers.Fcm;

/// <summary>FCM HTTP v1 for one app: one messages:send request per push over the shared HTTP/2 pool.</summary>
public sealed class FcmClient(HttpClient http, FcmAccessTokens tokens, Uri baseUrl, TimeProvider clock) : IPushClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Uri _sendUri = new(baseUrl, $"v1/projects/{Uri.EscapeDataString(tokens.ProjectId)}/messages:send");

    public PushProvider Provider => PushProvider.Fcm;

    /// <summary>A client for one service account on a shared HTTP/2 client (see <see cref="Http2Transport"/>).</summary>
    public static FcmClient Create(HttpClient http, string serviceAccountJson, ProvidersOptions options, TimeProvider clock) =>
        new(http, FcmAccessTokens.FromServiceAccountJson(serviceAccountJson, clock), new Uri(options.Fcm.BaseUrl), clock);

    public string ProjectId => tokens.ProjectId;

    public async Task<ProviderResult> SendAsync(PushMessage message, CancellationToken ct = default)
    {
        if (FcmPayload.Check(message) is { } refused)
            return ProviderHttp.Result(PushProvider.Fcm, refused.Outcome, refused.Reason, refused.Detail);
        var body = FcmPayload.Write(message);

        string accessToken;
        try { accessToken = await tokens.GetAsync(ct); }
        catch (Exception e) when (e is TokenResponseException or HttpRequestException or InvalidOperationException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return TokenFailure(e);
        }

        var result = await SendOnceAsync(body, accessToken, ct);
        if (result.Expired is null) return result.Result;
        // a plain 401 means our OAuth token is stale: get a fresh one and try exactly once more
        try { accessToken = await tokens.RefreshAsync(accessToken, ct); }
        catch (Exception e) when (e is TokenResponseException or HttpRequestException or InvalidOperationException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return TokenFailure(e);
        }
        return (await SendOnceAsync(body, accessToken, ct)).Result;
    }

    private async Task<(ProviderResult Result, FcmError? Expired)> SendOnceAsync(byte[] body, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _sendUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var (response, failure) = await ProviderHttp.SendAsync(http, request, PushProvider.Fcm, ct);
        if (failure is not null) return (failure, null);
        using (response)
        {
            var (text, answer) = await ProviderHttp.ReadAsync(response!, ct, "retry-after");
            var status = (int)response!.StatusCode;
            if (response.IsSuccessStatusCode)
                return (new ProviderResult { Provider = PushProvider.Fcm, Outcome = ProviderOutcome.Sent, MessageId = MessageName(text), Answer = answer }, null);
            var error = FcmError.Parse(status, text);
            var (outcome, slowDown, detail) = FcmErrors.Classify(status, error);
            var retryAfter = ProviderHttp.RetryAfter(response.Headers.RetryAfter, clock);
            // an explicit Retry-After is the provider's own instruction; without one, quota errors wait at least a minute
            if (slowDown && error.ErrorCode == "QUOTA_EXCEEDED" && retryAfter is null)
                retryAfter = FcmErrors.MinimumQuotaBackoff;
            var result = new ProviderResult
            {
                Provider = PushProvider.Fcm, Outcome = outcome, Reason = error.Reason, Detail = detail,
                RetryAfter = outcome == ProviderOutcome.RetryLater ? retryAfter : null, SlowDownLane = slowDown, Answer = answer,
            };
            return (result, error.IsExpiredAccessToken(status) ? error : null);
        }
    }

    private static string? MessageName(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("name", out var name) ? name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProviderResult TokenFailure(Exception e) => e switch
    {
        TokenResponseException t => ProviderHttp.Result(PushProvider.Fcm, ProviderOutcome.CredentialProblem, $"oauth_{t.Error?.Error ?? "error"}",
            $"The OAuth token endpoint refused the service account: {t.Error?.ErrorDescription}"),
        InvalidOperationException => ProviderHttp.Result(PushProvider.Fcm, ProviderOutcome.CredentialProblem, "oauth_error", $"Could not get an OAuth token: {e.Message}"),
        _ => ProviderHttp.Result(PushProvider.Fcm, ProviderOutcome.RetryLater, "oauth_unreachable", $"Could not reach the OAuth token endpoint: {e.Message}"),
    };
}
