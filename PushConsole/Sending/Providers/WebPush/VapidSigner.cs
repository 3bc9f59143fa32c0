using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PushConsole.Sending.Providers.WebPush;

/// <summary>
/// RFC 8292 VAPID for one app: an ES256 JWT per push-service origin (aud), reused until an hour before its exp,
/// sent as <c>Authorization: vapid t=…, k=…</c>.
/// </summary>
public sealed class VapidSigner : IDisposable
{
    private static readonly string Header = Base64Url.EncodeToString("""{"typ":"JWT","alg":"ES256"}"""u8);
    private readonly ECDsa _key;
    private readonly string _subject;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Expires)> _byOrigin = new(StringComparer.Ordinal);

    /// <param name="publicKey">raw 65-byte point, base64url</param>
    /// <param name="privateKey">the scalar d, base64url</param>
    public VapidSigner(string publicKey, string privateKey, string subject, TimeProvider clock, TimeSpan lifetime)
    {
        var q = Base64Url.DecodeFromChars(publicKey);
        if (q.Length != 65 || q[0] != 0x04) throw new ArgumentException("The VAPID public key must be a raw 65-byte P-256 point.", nameof(publicKey));
        _key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64Url.DecodeFromChars(privateKey),
            Q = new ECPoint { X = q[1..33], Y = q[33..65] },
        });
        PublicKey = publicKey;
        _subject = subject;
        _clock = clock;
        _lifetime = lifetime > TimeSpan.FromHours(24) ? TimeSpan.FromHours(24) : lifetime;
    }

    public string PublicKey { get; }

    /// <summary>The Authorization header value for a push to <paramref name="endpoint"/>.</summary>
    public string AuthorizationFor(Uri endpoint)
    {
        var audience = endpoint.GetLeftPart(UriPartial.Authority); // origin: scheme://host[:port], no path
        var now = _clock.GetUtcNow();
        if (_byOrigin.TryGetValue(audience, out var cached) && cached.Expires - now > TimeSpan.FromHours(1) && cached.Expires - now <= _lifetime)
            return cached.Value;
        var expires = now + _lifetime;
        var value = $"vapid t={Sign(audience, expires)}, k={PublicKey}";
        _byOrigin[audience] = (value, expires);
        return value;
    }

    private string Sign(string audience, DateTimeOffset expires)
    {
        var claims = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = audience, ["exp"] = expires.ToUnixTimeSeconds(), ["sub"] = _subject,
        }));
        var input = $"{Header}.{claims}";
        return $"{input}.{Base64Url.EncodeToString(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
    }

    public void Dispose() => _key.Dispose();
}
