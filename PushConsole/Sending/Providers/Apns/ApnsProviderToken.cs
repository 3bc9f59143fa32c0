using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PushConsole.Sending.Providers.Apns;

/// <summary>
/// The APNs provider token (ES256 JWT from the .p8 key). One token is reused for <c>refresh</c> (default 50 min):
/// Apple refuses a new token more often than every 20 minutes on a connection, and one older than 60.
/// </summary>
public sealed class ApnsProviderToken : IDisposable
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(20);
    private readonly ECDsa _key;
    private readonly string _header;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _refresh;
    private readonly Lock _gate = new();
    // one reference, so a reader never sees the token of one mint with the time of another
    private Token? _current;
    private long _minted;

    public ApnsProviderToken(string p8Pem, string keyId, string teamId, TimeProvider clock, TimeSpan refresh)
    {
        _key = ECDsa.Create();
        _key.ImportFromPem(p8Pem);
        KeyId = keyId;
        TeamId = teamId;
        _clock = clock;
        _refresh = refresh;
        _header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{keyId}}"}"""));
    }

    public string KeyId { get; }
    public string TeamId { get; }

    /// <summary>How many tokens this key has signed (a test shows 1,000 sends use one).</summary>
    public long Minted => Interlocked.Read(ref _minted);

    /// <summary>The current token, signing a new one only when it is <c>refresh</c> old.</summary>
    public string Current()
    {
        var now = _clock.GetUtcNow();
        var current = _current;
        if (current is { } c && now - c.IssuedAt < _refresh) return c.Jwt;
        lock (_gate)
        {
            if (_current is { } again && now - again.IssuedAt < _refresh) return again.Jwt;
            return Mint(now);
        }
    }

    /// <summary>APNs said ExpiredProviderToken for <paramref name="rejected"/>: sign a new one, unless that would refresh too often.</summary>
    public string Renew(string rejected)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_current is { } c && (c.Jwt != rejected || now - c.IssuedAt < MinimumAge)) return c.Jwt;
            return Mint(now);
        }
    }

    /// <summary>The authorization header value for <paramref name="jwt"/>, built once per token rather than once per push.</summary>
    public string AuthorizationFor(string jwt) => _current is { } c && ReferenceEquals(c.Jwt, jwt) ? c.Authorization : "bearer " + jwt;

    private string Mint(DateTimeOffset now)
    {
        var claims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"iss":"{{TeamId}}","iat":{{now.ToUnixTimeSeconds()}}}"""));
        var signingInput = $"{_header}.{claims}";
        // IEEE P1363 r||s (64 bytes), which is what JWS wants, not DER
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        var jwt = $"{signingInput}.{Base64Url.EncodeToString(signature)}";
        _current = new Token(jwt, now, "bearer " + jwt);
        Interlocked.Increment(ref _minted);
        return jwt;
    }

    public void Dispose() => _key.Dispose();

    private sealed record Token(string Jwt, DateTimeOffset IssuedAt, string Authorization);
}
