using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace PushConsole.Sending.Providers;

/// <summary>What the three clients share: sending with transport failures turned into results, and reading answers.</summary>
internal static class ProviderHttp
{
    /// <summary>
    /// Sends over HTTP/2; a network failure or timeout becomes a result instead of an exception (the caller's
    /// cancellation still throws). A request message starts as HTTP/1.1 whatever the client's defaults say, so the
    /// version is set here: exact HTTP/2 (prior knowledge over http://), or HTTP/2 with fallback where a provider may lack it.
    /// </summary>
    public static async Task<(HttpResponseMessage? Response, ProviderResult? Failure)> SendAsync(
        HttpClient http, HttpRequestMessage request, PushProvider provider, CancellationToken ct, bool allowHttp11 = false)
    {
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = allowHttp11 && request.RequestUri?.Scheme == Uri.UriSchemeHttps
            ? HttpVersionPolicy.RequestVersionOrLower : HttpVersionPolicy.RequestVersionExact;
        try
        {
            return (await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, Result(provider, ProviderOutcome.RetryLater, "timeout", "The provider did not answer in time."));
        }
        catch (HttpRequestException e) when (e.InnerException is WebPush.WebPushEndpointRefusedException refused)
        {
            return (null, Result(provider, ProviderOutcome.DeadToken, "EndpointRefused", refused.Message));
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.VersionNegotiationError)
        {
            return (null, Result(provider, ProviderOutcome.Failed, "http2_unavailable", $"The provider endpoint does not speak HTTP/2: {e.Message}"));
        }
        catch (HttpRequestException e)
        {
            return (null, Result(provider, ProviderOutcome.RetryLater, "connection_failed", $"Could not reach the provider ({e.HttpRequestError}): {e.Message}"));
        }
    }

    public static ProviderResult Result(PushProvider provider, ProviderOutcome outcome, string reason, string detail, ProviderAnswer? answer = null) =>
        new() { Provider = provider, Outcome = outcome, Reason = reason, Detail = detail, Answer = answer ?? ProviderAnswer.None };

    public static async Task<(string Body, ProviderAnswer Answer)> ReadAsync(HttpResponseMessage response, CancellationToken ct, params string[] headerNames)
    {
        // the providers answer in UTF-8: decoding the bytes skips parsing Content-Type for a charset on every answer
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var body = bytes.Length == 0 ? "" : Encoding.UTF8.GetString(bytes);
        StringBuilder? headers = null;
        foreach (var name in headerNames)
        {
            if (!response.Headers.TryGetValues(name, out var values) && !response.Content.Headers.TryGetValues(name, out values)) continue;
            headers ??= new StringBuilder();
            if (headers.Length > 0) headers.Append("; ");
            headers.Append(name).Append(": ").Append(string.Join(",", values));
        }
        return (body, ProviderAnswer.From((int)response.StatusCode, body, headers?.ToString(), response.Version));
    }

    /// <summary>Retry-After as a delay, in either of its forms (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider clock)
    {
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    public static bool IsCleartext(Uri uri) => uri.Scheme == Uri.UriSchemeHttp;

}
