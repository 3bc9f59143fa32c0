using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace PushConsole.Sandbox;

/// <summary>
/// What the provider sandbox knows: the service accounts it trusts and the OAuth tokens it issued, the APNs keys
/// and device tokens, the Web Push subscriptions (it plays the browser too, so it keeps their private keys), and
/// per provider the knobs, counters and recent messages.
/// The sandbox plays Google's and Apple's side, so it holds only public keys of credentials it did not create.
/// </summary>
public sealed partial class SandboxState(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ServiceAccountKey> _serviceAccounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _bearersUsed = new(StringComparer.Ordinal);
    private long _tokensIssued;
    private long _tokenRequestsRefused;

    public TimeProvider Clock => clock;

    public SandboxProvider Fcm { get; } = new("fcm", clock);
    public SandboxProvider Apns { get; } = new("apns", clock);
    public SandboxProvider WebPush { get; } = new("webpush", clock);

    public IEnumerable<SandboxProvider> Providers => [Fcm, Apns, WebPush];

    public SandboxProvider Provider(string name) =>
        Providers.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown provider \"{name}\" (fcm, apns, webpush).", nameof(name));

    /// <summary>Where this sandbox's OAuth token endpoint is reachable (set when it starts listening).</summary>
    public Uri? TokenUri { get; internal set; }

    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    public long TokenRequestsRefused => Interlocked.Read(ref _tokenRequestsRefused);

    public sealed record ServiceAccountKey(string ClientEmail, string KeyId, string ProjectId, RSA PublicKey);

    public sealed record IssuedToken(string AccessToken, string ClientEmail, string ProjectId, DateTimeOffset ExpiresAt);

    /// <summary>Trusts a service account: its assertions signed with this key get tokens.</summary>
    public void TrustServiceAccount(string clientEmail, string keyId, string projectId, RSA publicKey) =>
        _serviceAccounts[keyId] = new ServiceAccountKey(clientEmail, keyId, projectId, publicKey);

    /// <summary>Makes a service account the sandbox trusts, as the Firebase console would, with token_uri pointing here.</summary>
    public string CreateServiceAccountJson(string projectId)
    {
        var tokenUri = TokenUri ?? throw new InvalidOperationException("The sandbox is not listening yet.");
        using var rsa = RSA.Create(2048);
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var email = $"firebase-adminsdk@{projectId}.iam.gserviceaccount.com";
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
        TrustServiceAccount(email, keyId, projectId, publicKey);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = keyId,
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = email,
            ["client_id"] = "100000000000000000000",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = tokenUri.ToString(),
            ["universe_domain"] = "googleapis.com",
        });
    }

    internal ServiceAccountKey? FindServiceAccount(string keyId) => _serviceAccounts.GetValueOrDefault(keyId);

    internal IReadOnlyList<ServiceAccountKey> FindServiceAccountsOf(string clientEmail) =>
        [.. _serviceAccounts.Values.Where(a => a.ClientEmail == clientEmail)];

    internal IssuedToken Issue(ServiceAccountKey account)
    {
        var token = "ya29.sandbox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var issued = new IssuedToken(token, account.ClientEmail, account.ProjectId, clock.GetUtcNow().AddSeconds(3599));
        _tokens[token] = issued;
        Interlocked.Increment(ref _tokensIssued);
        return issued;
    }

    /// <summary>How many different OAuth access tokens FCM sends carried: a client that caches its token shows 1.</summary>
    public long FcmAccessTokensUsed => _bearersUsed.Count;

    internal void SawBearer(string token) => _bearersUsed.TryAdd(token, 0);

    internal void CountRefusedTokenRequest() => Interlocked.Increment(ref _tokenRequestsRefused);

    /// <summary>Forgets every access token issued so far (as if they expired): the next FCM send gets a plain 401.</summary>
    public void RevokeAccessTokens() => _tokens.Clear();

    /// <summary>The token's grant if it was issued here and has not expired.</summary>
    public IssuedToken? ValidateAccessToken(string accessToken) =>
        _tokens.TryGetValue(accessToken, out var token) && token.ExpiresAt > clock.GetUtcNow() ? token : null;
}
