using Google.Apis.Auth.OAuth2.Responses;
using PushConsole.Apps;

namespace PushConsole.Sending.Providers.Fcm;

/// <summary>The "check" button: really fetches an OAuth token from the service account's token_uri (the same code the FCM client uses).</summary>
public sealed class FcmCredentialCheck : IFcmCredentialCheck
{
    public const string MessagingScope = FcmAccessTokens.MessagingScope;

    public async Task<(bool Ok, string Message)> FetchTokenAsync(string serviceAccountJson, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            var token = await FcmAccessTokens.FromServiceAccountJson(serviceAccountJson).GetAsync(timeout.Token);
            return string.IsNullOrEmpty(token)
                ? (false, "The token endpoint answered without an access token.")
                : (true, "The token endpoint issued an access token for firebase.messaging.");
        }
        catch (TokenResponseException e)
        {
            return (false, $"The token endpoint refused the service account: {e.Error?.Error} {e.Error?.ErrorDescription}".Trim());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, "The token endpoint did not answer within 20 seconds.");
        }
        catch (HttpRequestException e)
        {
            return (false, $"Could not reach the token endpoint: {e.Message}");
        }
    }
}
