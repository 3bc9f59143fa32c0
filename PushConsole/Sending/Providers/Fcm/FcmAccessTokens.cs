using Google.Apis.Auth.OAuth2;

namespace PushConsole.Sending.Providers.Fcm;

/// <summary>
/// OAuth access tokens for one service account (Google.Apis.Auth, scoped to firebase.messaging, token_uri honoured).
/// The library caches the token and fetches a new one shortly before it expires; a 401 forces one refresh.
/// </summary>
public sealed class FcmAccessTokens
{
    public const string MessagingScope = "https://www.googleapis.com/auth/firebase.messaging";

    private readonly ServiceCredential _credential;
    private readonly Google.Apis.Util.IClock _clock;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    // the token as a finished task, so a send with a fresh token costs no call into the library
    private Cached? _cached;

    private FcmAccessTokens(ServiceCredential credential, Google.Apis.Util.IClock clock, string projectId)
    {
        _credential = credential;
        _clock = clock;
        ProjectId = projectId;
    }

    public string ProjectId { get; }

    /// <summary>
    /// Parses the service-account JSON (throws on a malformed one; the app page validated it already). The grant's JWT and
    /// the token's expiry follow <paramref name="clock"/> (the app's TimeProvider), like every other credential here.
    /// </summary>
    public static FcmAccessTokens FromServiceAccountJson(string json, TimeProvider? clock = null)
    {
        var account = CredentialFactory.FromJson<ServiceAccountCredential>(json);
        var projectId = account.ProjectId ?? throw new InvalidOperationException("The service account has no project_id.");
        // scoped: unscoped credentials make self-signed JWTs and never call the token endpoint
        var googleClock = new GoogleClock(clock ?? TimeProvider.System);
        var credential = new ServiceAccountCredential(new ServiceAccountCredential.Initializer(account.Id, account.TokenServerUrl)
        {
            ProjectId = account.ProjectId,
            Key = account.Key,
            KeyId = account.KeyId,
            Scopes = [MessagingScope],
            Clock = googleClock,
        });
        return new FcmAccessTokens(credential, googleClock, projectId);
    }

    private sealed class GoogleClock(TimeProvider clock) : Google.Apis.Util.IClock
    {
        public DateTime Now => clock.GetLocalNow().DateTime;
        public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;
    }

    /// <summary>The cached token, or a new one when it is close to expiry (the library is asked again from <see cref="LibraryRefreshMargin"/> before expiry, before its own refresh window).</summary>
    public Task<string> GetAsync(CancellationToken ct)
    {
        if (_credential.Token is { AccessToken: { } token, ExpiresInSeconds: { } lifetime } response
            && _clock.UtcNow < response.IssuedUtc.AddSeconds(lifetime) - LibraryRefreshMargin)
        {
            var cached = _cached;
            if (cached is not null && ReferenceEquals(cached.Token, token)) return cached.Task;
            _cached = cached = new Cached(token, Task.FromResult(token));
            return cached.Task;
        }
        return ((ITokenAccess)_credential).GetAccessTokenForRequestAsync(cancellationToken: ct);
    }

    private static readonly TimeSpan LibraryRefreshMargin = TimeSpan.FromMinutes(10);

    private sealed record Cached(string Token, Task<string> Task);

    /// <summary>The provider refused <paramref name="rejected"/>: fetch a new token once, however many sends saw the same refusal.</summary>
    public async Task<string> RefreshAsync(string rejected, CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            var current = await GetAsync(ct);
            if (!string.Equals(current, rejected, StringComparison.Ordinal)) return current;
            await _credential.RequestAccessTokenAsync(ct);
            return _credential.Token.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
