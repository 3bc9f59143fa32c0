using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2.Responses;

namespace PushConsole.Sending.Providers.Fcm;

/// <summary>
/// FCM HTTP v1 for one app: one messages:send request per push over the FCM connection pool that all apps share (FCM
/// binds no credentials to a connection), with the app's one OAuth token whichever connection a send takes.
/// </summary>
public sealed class FcmClient(Http2Pool connections, FcmAccessTokens tokens, Uri baseUrl, TimeProvider clock) : IPushClient
{
    private readonly Uri _sendUri = new(baseUrl, $"v1/projects/{Uri.EscapeDataString(tokens.ProjectId)}/messages:send");
    // "Bearer " + the token, built once per OAuth token rather than once per push
    private Bearer? _bearer;

    public PushProvider Provider => PushProvider.Fcm;

    /// <summary>A client for one service account on a shared pool (<c>Providers:Fcm:Connections</c>, see <see cref="Http2Pool"/>).</summary>
    public static FcmClient Create(Http2Pool connections, string serviceAccountJson, ProvidersOptions options, TimeProvider clock) =>
        new(connections, FcmAccessTokens.FromServiceAccountJson(serviceAccountJson, clock), new Uri(options.Fcm.BaseUrl), clock);

    /// <summary>A client for one service account on one HTTP/2 client that the caller owns.</summary>
    public static FcmClient Create(HttpClient http, string serviceAccountJson, ProvidersOptions options, TimeProvider clock) =>
        Create(Http2Pool.Over(http), serviceAccountJson, options, clock);

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
        // a raw value is written as it is; a parsed one is formatted again for every request
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", AuthorizationFor(accessToken));
        var (response, failure) = await connections.SendAsync(request, PushProvider.Fcm, ct);
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

    private string AuthorizationFor(string accessToken)
    {
        if (_bearer is { } cached && string.Equals(cached.Token, accessToken, StringComparison.Ordinal)) return cached.Header;
        var bearer = new Bearer(accessToken, "Bearer " + accessToken);
        _bearer = bearer;
        return bearer.Header;
    }

    private sealed record Bearer(string Token, string Header);

    /// <summary>The "name" of FCM's answer ({"name": "projects/…/messages/…"}), read without building a JSON document.</summary>
    internal static string? MessageName(string body)
    {
        var max = Encoding.UTF8.GetMaxByteCount(body.Length);
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : new byte[max];
        var reader = new Utf8JsonReader(utf8[..Encoding.UTF8.GetBytes(body, utf8)]);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                if (!reader.Read()) return null;
                if (isName) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            return null;
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
