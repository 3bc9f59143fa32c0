using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace PushConsole.Apps;

/// <summary>Key generation, hashing and encryption at rest for app secrets.</summary>
public sealed class AppSecrets(IDataProtectionProvider dataProtection)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("PushConsole.Apps.Credentials.v1");

    public static string NewAppKey() => "ak_" + RandomNumberGenerator.GetString(Alphabet, 24);

    public static string NewMasterSecret() => "ms_" + RandomNumberGenerator.GetString(Alphabet, 40);

    /// <summary>SHA-256 is enough here: the secret is 238 random bits, not a password.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Verify(string secret, string expectedHash)
    {
        var actual = Encoding.ASCII.GetBytes(Hash(secret));
        var expected = Encoding.ASCII.GetBytes(expectedHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);

    /// <summary>A fresh VAPID (P-256) key pair: raw public point and private scalar, both base64url.</summary>
    public static (string PublicKey, string PrivateKey) NewVapidKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(true);
        var point = new byte[65];
        point[0] = 0x04;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        return (Base64Url.EncodeToString(point), Base64Url.EncodeToString(parameters.D!));
    }
}
