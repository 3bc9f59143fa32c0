using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PushConsole.Sending.Providers.WebPush;

/// <summary>
/// RFC 8291 message encryption: ECDH P-256 + HKDF-SHA-256 + RFC 8188 aes128gcm, one record, a fresh ephemeral
/// key and salt per message. Keys are raw 65-byte points (0x04||X||Y), never SubjectPublicKeyInfo.
/// </summary>
public static class WebPushEncryption
{
    public const int RecordSize = 4096;
    public const int HeaderLength = 16 + 4 + 1 + 65;
    public const int TagLength = 16;
    /// <summary>4096 − 86-byte header − 1 delimiter − 16-byte tag.</summary>
    public const int MaxPlaintext = RecordSize - HeaderLength - 1 - TagLength;

    private static readonly byte[] KeyInfoPrefix = Encoding.ASCII.GetBytes("WebPush: info\0");
    private static readonly byte[] CekInfo = Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0");
    private static readonly byte[] NonceInfo = Encoding.ASCII.GetBytes("Content-Encoding: nonce\0");

    /// <summary>Encrypts for a subscription with a fresh ephemeral key pair and salt.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] uaPublic, byte[] authSecret)
    {
        Check(plaintext, authSecret);
        Span<byte> salt = stackalloc byte[16];
        RandomNumberGenerator.Fill(salt);
        if (OpenSslEcdh.IsAvailable)
        {
            Span<byte> asPublic = stackalloc byte[65];
            Span<byte> secret = stackalloc byte[32];
            OpenSslEcdh.Agree(uaPublic, asPublic, secret);
            return Seal(plaintext, uaPublic, authSecret, asPublic, secret, salt);
        }
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return Encrypt(plaintext, uaPublic, authSecret, ephemeral, salt.ToArray());
    }

    /// <summary>Deterministic form (given key pair and salt) for the RFC 8291 appendix test vector.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] uaPublic, byte[] authSecret, ECDiffieHellman asKey, byte[] salt)
    {
        Check(plaintext, authSecret);
        Span<byte> secret = stackalloc byte[32];
        if (OpenSslEcdh.IsAvailable)
        {
            // the same path as a real send, with the given private key
            Span<byte> derivedPublic = stackalloc byte[65];
            var d = asKey.ExportParameters(true).D ?? throw new ArgumentException("The sender key has no private part.", nameof(asKey));
            OpenSslEcdh.Agree(uaPublic, d, derivedPublic, secret);
            return Seal(plaintext, uaPublic, authSecret, derivedPublic, secret, salt);
        }
        using (var ua = ImportPublic(uaPublic))
        using (var uaKey = ua.PublicKey)
            asKey.DeriveRawSecretAgreement(uaKey).CopyTo(secret);
        return Seal(plaintext, uaPublic, authSecret, RawPublicKey(asKey), secret, salt);
    }

    private static void Check(ReadOnlySpan<byte> plaintext, byte[] authSecret)
    {
        if (plaintext.Length > MaxPlaintext) throw new ArgumentException($"Web Push plaintext may be at most {MaxPlaintext} bytes.", nameof(plaintext));
        if (authSecret.Length != 16) throw new ArgumentException("The auth secret must be 16 bytes.", nameof(authSecret));
    }

    /// <summary>The aes128gcm body: header, then plaintext || 0x02 encrypted in place into the one array sent.</summary>
    private static byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> uaPublic, ReadOnlySpan<byte> authSecret, ReadOnlySpan<byte> asPublic,
        ReadOnlySpan<byte> ecdhSecret, ReadOnlySpan<byte> salt)
    {
        Span<byte> cek = stackalloc byte[16];
        Span<byte> nonce = stackalloc byte[12];
        DeriveKeys(ecdhSecret, authSecret, uaPublic, asPublic, salt, cek, nonce);
        var body = new byte[HeaderLength + plaintext.Length + 1 + TagLength];
        salt.CopyTo(body);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(16), RecordSize);
        body[20] = 65;
        asPublic.CopyTo(body.AsSpan(21));
        var record = body.AsSpan(HeaderLength, plaintext.Length + 1);
        plaintext.CopyTo(record);
        record[^1] = 0x02; // final-record delimiter, no padding
        using var aes = new AesGcm(cek, TagLength);
        aes.Encrypt(nonce, record, record, body.AsSpan(HeaderLength + record.Length, TagLength));
        return body;
    }

    /// <summary>The receiving side (the sandbox plays the browser): returns the plaintext, or null when it does not decrypt.</summary>
    public static byte[]? Decrypt(ReadOnlySpan<byte> body, ECDiffieHellman uaKey, byte[] authSecret, out string? problem) =>
        Decrypt(body, uaKey, RawPublicKey(uaKey), authSecret, out problem);

    public static byte[]? Decrypt(ReadOnlySpan<byte> body, ECDiffieHellman uaKey, byte[] uaPublic, byte[] authSecret, out string? problem)
    {
        problem = null;
        if (body.Length < HeaderLength + 1 + TagLength) { problem = "The body is shorter than an aes128gcm header and one record."; return null; }
        var salt = body[..16].ToArray();
        var rs = BinaryPrimitives.ReadUInt32BigEndian(body[16..20]);
        var idLength = body[20];
        if (rs < 18) { problem = "rs must be at least 18."; return null; }
        if (idLength != 65) { problem = "keyid must be the 65-byte sender public key."; return null; }
        var asPublic = body.Slice(21, 65).ToArray();
        var record = body[HeaderLength..];
        if (record.Length > rs) { problem = "Only one record is allowed, and it must fit rs."; return null; }
        ECDiffieHellman sender;
        try { sender = ImportPublic(asPublic); }
        catch (CryptographicException) { problem = "keyid is not a P-256 point."; return null; }
        byte[] secret;
        using (sender)
        using (var senderKey = sender.PublicKey)
            secret = uaKey.DeriveRawSecretAgreement(senderKey);
        var (cek, nonce) = DeriveKeys(secret, authSecret, uaPublic, asPublic, salt);
        var padded = new byte[record.Length - TagLength];
        try
        {
            using var aes = new AesGcm(cek, TagLength);
            aes.Decrypt(nonce, record[..^TagLength], record[^TagLength..], padded);
        }
        catch (AuthenticationTagMismatchException) { problem = "The record does not decrypt (wrong keys or corrupted)."; return null; }
        var end = padded.Length - 1;
        while (end >= 0 && padded[end] == 0) end--;
        if (end < 0 || padded[end] != 0x02) { problem = "The final record must end with the 0x02 delimiter."; return null; }
        return padded[..end];
    }

    /// <summary>0x04||X||Y, the form browsers and RFC 8291 use.</summary>
    public static byte[] RawPublicKey(ECAlgorithm key)
    {
        var q = key.ExportParameters(false).Q;
        var raw = new byte[65];
        raw[0] = 0x04;
        q.X!.CopyTo(raw, 1);
        q.Y!.CopyTo(raw, 33);
        return raw;
    }

    public static ECDiffieHellman ImportPublic(byte[] raw)
    {
        if (raw.Length != 65 || raw[0] != 0x04) throw new CryptographicException("A P-256 public key must be 65 bytes starting with 0x04.");
        return ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = raw[1..33], Y = raw[33..65] },
        });
    }

    public static (byte[] Cek, byte[] Nonce) DeriveKeys(byte[] ecdhSecret, byte[] authSecret, byte[] uaPublic, byte[] asPublic, byte[] salt)
    {
        var (cek, nonce) = (new byte[16], new byte[12]);
        DeriveKeys(ecdhSecret, authSecret, uaPublic, asPublic, salt, cek, nonce);
        return (cek, nonce);
    }

    /// <summary>RFC 8291 §3.3–3.4: IKM from the ECDH secret and auth secret, then CEK and NONCE from the salt; no heap arrays.</summary>
    public static void DeriveKeys(ReadOnlySpan<byte> ecdhSecret, ReadOnlySpan<byte> authSecret, ReadOnlySpan<byte> uaPublic, ReadOnlySpan<byte> asPublic,
        ReadOnlySpan<byte> salt, Span<byte> cek, Span<byte> nonce)
    {
        Span<byte> prkKey = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, ecdhSecret, authSecret, prkKey);
        Span<byte> keyInfo = stackalloc byte[KeyInfoPrefix.Length + 65 + 65];
        KeyInfoPrefix.CopyTo(keyInfo);
        uaPublic.CopyTo(keyInfo[KeyInfoPrefix.Length..]);
        asPublic.CopyTo(keyInfo[(KeyInfoPrefix.Length + 65)..]);
        Span<byte> ikm = stackalloc byte[32];
        HKDF.Expand(HashAlgorithmName.SHA256, prkKey, ikm, keyInfo);
        Span<byte> prk = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, cek[..16], CekInfo);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, nonce[..12], NonceInfo);
    }
}
